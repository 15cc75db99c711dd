//! What the reader tells an analyst about text it cannot take: TOML syntax errors with a short
//! excerpt, serde's type names in words, the key path of an error, and which `--set` override
//! a bad value came from; and the overrides themselves (`--set key.path=value`).

use super::ScenarioError;

/// serde's type names in words: "expected i64" means nothing to an analyst.
pub(super) fn plain_types(message: &str) -> String {
    let mut out = message.to_string();
    for (rust, words) in [
        ("i64", "a whole number"),
        ("u64", "a whole number >= 0"),
        ("u32", "a whole number >= 0"),
        ("i32", "a whole number"),
        ("f64", "a number"),
        ("a boolean", "true or false"),
    ] {
        out = out.replace(&format!("expected {rust}"), &format!("expected {words}"));
    }
    out
}

/// An error at a key that a `--set` override wrote is the override's, not the file's.
pub(super) fn blame(e: ScenarioError, overrides: &[String]) -> ScenarioError {
    let ScenarioError::Invalid { key, message, .. } = &e else {
        return e;
    };
    let culprit = overrides.iter().rev().find(|arg| {
        let Some(set) = arg
            .split_once('=')
            .and_then(|(k, _)| canonical_key(k.trim()))
        else {
            return false;
        };
        *key == set || key.starts_with(&format!("{set}.")) || key.starts_with(&format!("{set}["))
    });
    match culprit {
        Some(arg) => ScenarioError::Override {
            arg: arg.clone(),
            message: format!("key `{key}`: {message}"),
        },
        None => e,
    }
}

/// `callers.1.share` and `callers[1].share` both as `callers[1].share`, the form of messages.
pub(super) fn canonical_key(key: &str) -> Option<String> {
    let mut out = String::new();
    for seg in split_key(key)? {
        match seg {
            KeySegment::Name(n) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&n);
            }
            KeySegment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    Some(out)
}

/// Characters of the offending line quoted on either side of the error.
pub(super) const EXCERPT_CHARS: usize = 40;

/// TOML's message with its layout (line, column, the line and a caret under the spot), the
/// line cut to a short excerpt around the spot: a 50 MB line once came back as 100 MB of error.
pub(super) fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    let Some(span) = e.span() else {
        return message.to_string();
    };
    let at = span.start.min(text.len());
    let at = (0..=at)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line_no = text[..line_start].matches('\n').count() + 1;
    let before: Vec<char> = text[line_start..at].chars().collect();
    let column = before.len() + 1;
    let after: String = text[at..line_end].chars().take(EXCERPT_CHARS).collect();
    let skipped = before.len().saturating_sub(EXCERPT_CHARS);
    let lead: String = before[skipped..].iter().collect();
    let (dots_before, dots_after) = (
        if skipped > 0 { "…" } else { "" },
        if text[at..line_end].chars().nth(EXCERPT_CHARS).is_some() {
            "…"
        } else {
            ""
        },
    );
    let caret_at = dots_before.chars().count() + lead.chars().count();
    format!(
        "line {line_no}, column {column}: {message}\n  |\n  | {dots_before}{lead}{after}{dots_after}\n  | {}^",
        " ".repeat(caret_at)
    )
}

/// Formats a serde path as `callers[0].patience.mean`.
pub(super) fn path_text(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                out.push('.');
                out.push_str(variant);
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

/// Extracts `foo` from serde's "unknown field `foo`, expected ...".
pub(super) fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// Splits `callers[1].share` or `callers.1.share` into segments.
pub(super) fn split_key(key: &str) -> Option<Vec<KeySegment>> {
    let mut out = Vec::new();
    for part in key.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() && rest.is_empty() {
            return None;
        }
        if !name.is_empty() {
            match name.parse::<usize>() {
                Ok(i) => out.push(KeySegment::Index(i)),
                Err(_) => out.push(KeySegment::Name(name.to_string())),
            }
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(KeySegment::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

pub(super) enum KeySegment {
    Name(String),
    Index(usize),
}

/// Applies one `key.path=value`; the value is read as TOML, or as a string when that fails.
pub(super) fn apply_override(table: &mut toml::Table, arg: &str) -> Result<(), ScenarioError> {
    let fail = |message: &str| ScenarioError::Override {
        arg: arg.to_string(),
        message: message.to_string(),
    };
    let (key, value_text) = arg
        .split_once('=')
        .ok_or_else(|| fail("expected key.path=value"))?;
    if arg.contains(['\n', '\r']) {
        return Err(fail(
            "a value on one line: a line break would start a new TOML line and set other keys",
        ));
    }
    let segments = split_key(key.trim())
        .ok_or_else(|| fail("malformed key path; write e.g. agents.count or callers[1].share"))?;
    let value = toml::from_str::<toml::Table>(&format!("v = {value_text}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value_text.trim().to_string()));

    let mut slot: &mut toml::Value = {
        let KeySegment::Name(first) = &segments[0] else {
            return Err(fail("a key path starts with a name"));
        };
        table
            .entry(first.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
    };
    for seg in &segments[1..] {
        slot = match seg {
            KeySegment::Name(name) => match slot {
                toml::Value::Table(t) => t
                    .entry(name.clone())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new())),
                _ => {
                    return Err(fail(&format!(
                        "cannot set `{name}` inside a value that is not a table"
                    )));
                }
            },
            KeySegment::Index(i) => match slot {
                toml::Value::Array(a) => {
                    let len = a.len();
                    a.get_mut(*i).ok_or_else(|| {
                        fail(&format!(
                            "index {i} is out of range: the list has {len} entries"
                        ))
                    })?
                }
                _ => {
                    return Err(fail(&format!(
                        "index [{i}] used on a value that is not a list"
                    )));
                }
            },
        };
    }
    *slot = value;
    Ok(())
}
