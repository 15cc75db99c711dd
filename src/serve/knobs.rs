//! What the page's sliders and menus can change in a scenario, and where a key sits in its
//! text. Sliders never rewrite the editor's text: they become `--set` overrides, recorded
//! with the results exactly as the command line records them. A manager's style is the
//! exception, because a style takes its own keys: switching it edits the text
//! ([`restyle`]), where the analyst sees the change.

use serde::Serialize;

use crate::model::{Arrivals, Scenario};

/// The knobs of one scenario, each with the override key it sets and its current value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Knobs {
    /// `agents.count`, unless the agents follow a plan or shifts.
    pub agents: Option<u32>,
    /// `arrivals.rate` in calls per hour, for a constant rate.
    pub rate_per_h: Option<f64>,
    /// `arrivals.profile.rates` in calls per hour, for a profile written in the file (a
    /// slider scales them all).
    pub profile_per_h: Option<Vec<f64>>,
    /// Mean patience in seconds, and the `callers[i].patience.mean` keys it sets (every
    /// class whose patience is given by its mean).
    pub patience: Option<Patience>,
    /// Each manager's name and style (switched by [`restyle`]).
    pub managers: Vec<ManagerKnob>,
    /// The callback offer, when the scenario has a `[callbacks]` table.
    pub callbacks: Option<CallbackKnob>,
}

/// The patience knob.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patience {
    /// The first such class's mean patience, in seconds.
    pub mean_s: f64,
    /// The keys a change sets, one per class.
    pub keys: Vec<String>,
}

/// A manager's style menu.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManagerKnob {
    /// The manager's name.
    pub name: String,
    /// `walker`, `alongside`, `office` or `random`.
    pub style: &'static str,
}

/// The callback knob: `callbacks.enabled` and `callbacks.offer_above`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallbackKnob {
    /// Whether callbacks are offered.
    pub enabled: bool,
    /// The announced wait above which they are, in seconds.
    pub offer_above_s: f64,
}

/// The manager styles, in menu order (the validation's).
pub const STYLES: [&str; 4] = {
    let s = &crate::scenario::MANAGER_STYLES;
    [s[0].0, s[1].0, s[2].0, s[3].0]
};

fn at<'t>(table: &'t toml::Table, path: &[&str]) -> Option<&'t toml::Value> {
    let (first, rest) = path.split_first()?;
    let mut value = table.get(*first)?;
    for key in rest {
        value = value.as_table()?.get(*key)?;
    }
    Some(value)
}

/// The knobs of `scenario`, read from its file's `table` (which keys are written) and from
/// the validated model (their values).
pub fn knobs(table: &toml::Table, scenario: &Scenario) -> Knobs {
    let planned = at(table, &["agents", "plan"]).is_some()
        || at(table, &["agents", "shifts"]).is_some()
        || at(table, &["agents", "count"]).is_none();
    let per_h = |r: f64| (r * 3600.0 * 1000.0).round() / 1000.0;
    let (rate_per_h, profile_per_h) = match &scenario.arrivals {
        Arrivals::Constant { rate_per_s } if at(table, &["arrivals", "rate"]).is_some() => {
            (Some(per_h(*rate_per_s)), None)
        }
        Arrivals::Profile { rates_per_s, .. }
            if at(table, &["arrivals", "profile", "rates"]).is_some_and(|v| v.is_array()) =>
        {
            (None, Some(rates_per_s.iter().map(|r| per_h(*r)).collect()))
        }
        _ => (None, None),
    };
    let callers = table.get("callers").and_then(|c| c.as_array());
    let keys: Vec<String> = callers
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, c)| {
            c.get("patience")
                .and_then(|p| p.get("mean"))
                .is_some_and(|m| m.is_str())
        })
        .map(|(i, _)| format!("callers[{i}].patience.mean"))
        .collect();
    let first = keys.first().and_then(|first| {
        let i: usize = first["callers[".len()..].split(']').next()?.parse().ok()?;
        Some(scenario.callers.get(i)?.patience.as_ref()?.mean())
    });
    let patience = first.map(|mean_s| Patience { mean_s, keys });
    let managers = scenario
        .floor
        .managers
        .iter()
        .map(|m| ManagerKnob {
            name: m.name.clone(),
            style: m.style.key(),
        })
        .collect();
    // A `[callbacks]` table with `enabled = false` leaves no callbacks in the model: the
    // offer is read from the text then.
    let callbacks = table.get("callbacks").and_then(|c| c.as_table()).map(|c| {
        let enabled = scenario.callbacks.is_some();
        let offer_above_s = scenario.callbacks.as_ref().map_or_else(
            || {
                c.get("offer_above")
                    .and_then(|v| v.as_str())
                    .and_then(crate::scenario::units::parse_duration)
                    .unwrap_or(60.0)
            },
            |cb| cb.offer_above_s,
        );
        CallbackKnob {
            enabled,
            offer_above_s,
        }
    });
    Knobs {
        agents: (!planned).then_some(scenario.agents.count),
        rate_per_h,
        profile_per_h,
        patience,
        managers,
        callbacks,
    }
}

/// The table path a header line opens (`[agents]`, `[[callers]]`), counting arrays of tables.
fn header_path(
    line: &str,
    counts: &mut std::collections::HashMap<String, usize>,
) -> Option<String> {
    let line = line.trim();
    if let Some(name) = line.strip_prefix("[[").and_then(|l| l.split("]]").next()) {
        let name = name.trim().to_string();
        let n = counts.entry(name.clone()).or_insert(0);
        *n += 1;
        return Some(format!("{name}[{}]", *n - 1));
    }
    let name = line.strip_prefix('[')?.split(']').next()?.trim();
    Some(name.to_string())
}

/// The 1-based line of `text` where `key` (a dotted path such as `callers[0].patience.mean`)
/// is written: the line of the key itself, of the inline table or array that holds it, or of
/// the header of its table. A guess from the text's layout, for the editor's marker only.
pub fn line_of(text: &str, key: &str) -> Option<usize> {
    let mut counts = std::collections::HashMap::new();
    let mut table = String::new();
    let mut best: Option<(usize, usize)> = None;
    let mut consider = |path: &str, line: usize| {
        let matches = key == path
            || key.starts_with(&format!("{path}."))
            || key.starts_with(&format!("{path}["));
        if matches && best.is_none_or(|(len, _)| path.len() > len) {
            best = Some((path.len(), line));
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start();
        if line.starts_with('[') {
            if let Some(path) = header_path(line, &mut counts) {
                consider(&path, i + 1);
                table = path;
            }
            continue;
        }
        let Some((name, _)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name.starts_with('#') {
            continue;
        }
        let path = if table.is_empty() {
            name.to_string()
        } else {
            format!("{table}.{name}")
        };
        consider(&path, i + 1);
    }
    best.map(|(_, line)| line)
}

/// Why a style switch could not be written into the text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RestyleError {
    /// There is no such manager.
    #[error("there is no manager number {0} in the scenario")]
    NoManager(usize),
    /// The style is not one of [`STYLES`].
    #[error("unknown style {0:?}: allowed walker, alongside, random, office")]
    Style(String),
    /// The manager's table is not written line by line.
    #[error(
        "managers[{0}] is not written as a [[managers]] table with one key per line: edit its style in the editor"
    )]
    Layout(usize),
}

/// The keys each style takes beyond `name` and `style` (the validation's own list), and a
/// default line for each key it needs.
fn style_keys(
    style: &str,
) -> (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
) {
    let takes = crate::scenario::MANAGER_STYLES
        .iter()
        .find(|(s, _)| *s == style)
        .map_or(&[][..], |(_, keys)| *keys);
    let needs: &[(&str, &str)] = match style {
        "walker" => &[
            (
                "office",
                r#"office = { dist = "exponential", mean = "50m" }"#,
            ),
            (
                "visit",
                r#"visit = { dist = "uniform", min = "10m", max = "20m" }"#,
            ),
        ],
        "random" => &[("visit", r#"visit = { dist = "exponential", mean = "15m" }"#)],
        _ => &[],
    };
    (takes, needs)
}

/// `text` with manager `index` switched to `style`: its `style` line rewritten, the keys the
/// new style does not take commented out (marked, so switching back restores them), and the
/// keys it needs added with defaults.
pub fn restyle(text: &str, index: usize, style: &str) -> Result<String, RestyleError> {
    const MARK: &str = "# (other style) ";
    if !STYLES.contains(&style) {
        return Err(RestyleError::Style(style.to_string()));
    }
    let lines: Vec<&str> = text.lines().collect();
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_start().starts_with("[[managers]]"))
        .collect();
    let start = *headers.get(index).ok_or(RestyleError::NoManager(index))?;
    let end = (start + 1..lines.len())
        .find(|&i| lines[i].trim_start().starts_with('['))
        .unwrap_or(lines.len());
    let (takes, needs) = style_keys(style);
    let key_of = |line: &str| -> Option<String> {
        let (name, _) = line.split_once('=')?;
        Some(name.trim().to_string())
    };
    let mut block: Vec<String> = Vec::new();
    let mut styled = false;
    for line in &lines[start + 1..end] {
        let trimmed = line.trim_start();
        if let Some(kept) = trimmed.strip_prefix(MARK.trim_start()) {
            // Restored when the new style takes it again.
            match key_of(kept) {
                Some(k) if takes.contains(&k.as_str()) => block.push(kept.to_string()),
                _ => block.push(line.to_string()),
            }
            continue;
        }
        if trimmed.starts_with('#') || trimmed.is_empty() {
            block.push(line.to_string());
            continue;
        }
        let key = key_of(trimmed).ok_or(RestyleError::Layout(index))?;
        let value = trimmed.split_once('=').map_or("", |(_, v)| v);
        if value.matches(['[', '{']).count() != value.matches([']', '}']).count() {
            return Err(RestyleError::Layout(index));
        }
        match key.as_str() {
            "style" => {
                block.push(format!("style = \"{style}\""));
                styled = true;
            }
            "name" => block.push(line.to_string()),
            k if takes.contains(&k) => block.push(line.to_string()),
            _ => block.push(format!("{MARK}{trimmed}")),
        }
    }
    if !styled {
        return Err(RestyleError::Layout(index));
    }
    for (key, default) in needs {
        let present = block
            .iter()
            .any(|l| !l.trim_start().starts_with('#') && key_of(l).as_deref() == Some(key));
        if !present {
            // After the style line, so the block reads in order.
            let at = block
                .iter()
                .position(|l| l.starts_with("style ="))
                .map_or(block.len(), |i| i + 1);
            block.insert(at, (*default).to_string());
        }
    }
    let mut out: Vec<String> = lines[..=start].iter().map(|l| l.to_string()).collect();
    out.extend(block);
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"x\"\n[agents]\ncount = 3\n[[callers]]\nname = \"a\"\n\
        patience = { dist = \"exponential\", mean = \"2m\" }\n[[callers]]\nname = \"b\"\n\
        handle_time = { dist = \"exponential\", mean = \"4m\" }\n";

    #[test]
    fn keys_are_found_on_their_lines() {
        assert_eq!(line_of(TEXT, "name"), Some(1));
        assert_eq!(line_of(TEXT, "agents.count"), Some(3));
        assert_eq!(line_of(TEXT, "agents.plan"), Some(2));
        assert_eq!(line_of(TEXT, "callers[0].patience.mean"), Some(6));
        assert_eq!(line_of(TEXT, "callers[1].handle_time.cv"), Some(9));
        assert_eq!(line_of(TEXT, "callers[1]"), Some(7));
        assert_eq!(line_of(TEXT, "lines"), None);
    }

    const WALKER: &str = "[[managers]]\nname = \"Dana\"\nstyle = \"walker\"\n\
        office = { dist = \"exponential\", mean = \"50m\" }\nvisit = { dist = \"uniform\", min = \"10m\", max = \"20m\" }\nwatches = 20\n";

    #[test]
    fn a_style_switch_comments_out_keys_and_switching_back_restores_them() {
        let office = restyle(WALKER, 0, "office").unwrap();
        assert!(office.contains("style = \"office\""));
        assert!(office.contains("# (other style) watches = 20"));
        assert!(!office.lines().any(|l| l.starts_with("office =")));
        let back = restyle(&office, 0, "walker").unwrap();
        assert_eq!(back, WALKER);
        let random = restyle(WALKER, 0, "random").unwrap();
        assert!(random.lines().any(|l| l.starts_with("visit =")));
        assert!(random.contains("# (other style) office ="));
    }

    #[test]
    fn a_style_switch_adds_the_keys_the_style_needs() {
        let text = "[[managers]]\nname = \"Kim\"\nstyle = \"office\"\n";
        let walker = restyle(text, 0, "walker").unwrap();
        assert!(walker.contains("office = {"));
        assert!(walker.contains("visit = {"));
        assert_eq!(restyle(text, 1, "walker"), Err(RestyleError::NoManager(1)));
        assert!(matches!(
            restyle(text, 0, "boss"),
            Err(RestyleError::Style(_))
        ));
    }
}
