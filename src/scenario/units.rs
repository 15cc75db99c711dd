//! Durations (`"90s"`, `"4m"`, `"1h30m"`, `"2d"`, plain seconds) and rates (`"12/min"`, `"720/h"`).
//!
//! Parsing is separate from range checks: a malformed text is a syntax error, while `"-2m"`
//! parses and is then rejected by validation with the allowed range, which reads better.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// What a duration may look like, for error messages.
pub const DURATION_FORMS: &str = "a number of seconds or text like \"90s\", \"4m\", \"1h30m\", \"2d\" (units ms, s, m or min, h, d)";

/// What a rate may look like, for error messages.
pub const RATE_FORMS: &str = "text like \"12/min\", \"720/h\", \"3/s\" or \"5000/d\" (calls per second, minute, hour or day)";

fn unit_seconds(unit: &str) -> Option<f64> {
    Some(match unit {
        "ms" => 0.001,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" | "hour" => 3600.0,
        "d" | "day" => 86_400.0,
        _ => return None,
    })
}

/// Parses a duration text into seconds. A leading minus sign is accepted so that validation can
/// report the range rather than the syntax.
pub fn parse_duration(text: &str) -> Option<f64> {
    let s = text.trim();
    if let Ok(v) = s.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    let (sign, mut rest) = match s.strip_prefix('-') {
        Some(r) => (-1.0, r.trim_start()),
        None => (1.0, s),
    };
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let factor = unit_seconds(&rest[..unit_end])?;
        total += number * factor;
        rest = rest[unit_end..].trim_start();
    }
    Some(sign * total)
}

/// Parses a rate text into calls per second.
pub fn parse_rate(text: &str) -> Option<f64> {
    let (count, per) = text.trim().split_once('/')?;
    let count: f64 = count.trim().parse().ok()?;
    let per = per.trim();
    // "/30m" style: the part after the slash may itself carry a number.
    let seconds = unit_seconds(per).or_else(|| parse_duration(per).filter(|s| *s > 0.0))?;
    let rate = count / seconds;
    rate.is_finite().then_some(rate)
}

/// A number for a message: as written when it is of everyday size, in scientific notation when
/// it is huge or tiny (`1e300` rather than three hundred digits).
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if v.is_finite() && a != 0.0 && !(1e-4..1e9).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A duration in seconds as the shortest scenario text that says it: `"90s"` is `"1m30s"`,
/// `315360000` is `"3650d"`, fractions of a second stay in seconds (`"0.25s"`).
pub fn duration_text(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 || seconds.fract() != 0.0 || seconds >= 1e15 {
        return format!("{}s", compact(seconds));
    }
    let mut rest = seconds as u64;
    if rest == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400u64), ("h", 3600), ("m", 60), ("s", 1)] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

/// What a time may look like, for error messages.
pub const TIME_FORMS: &str = "clock text like \"08:00\" or \"17:30:15\", \"d2 09:00\" for day 2 at 09:00 \
    where a moment of a multi-day run is meant, or a duration like \"8h\" (see the README's clock)";

/// A time as written in a scenario: clock text, or a duration as before the clock existed.
///
/// Which one it means depends on the key: a time of day (shift, break, back-office hours)
/// counts a duration from midnight; a moment of the run (outage, absence, outbound start)
/// counts it from the start of the run. Range checks are validation's (`"25:00"` parses).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// Seconds, written as a number or a duration text.
    Offset(f64),
    /// `[dD ]HH:MM[:SS]`.
    Clock {
        /// The day, counted from 1 at the opening; `None` when not written.
        day: Option<u64>,
        /// Hours as written.
        hours: u64,
        /// Minutes as written.
        minutes: u64,
        /// Seconds as written (0 when left out).
        seconds: u64,
    },
}

/// Parses clock text `[dD ]HH:MM[:SS]`; `None` when the text is no clock text.
pub fn parse_clock(text: &str) -> Option<When> {
    let s = text.trim();
    let (day, rest) = match s.strip_prefix('d').or_else(|| s.strip_prefix('D')) {
        Some(r) => {
            let (d, rest) = r.split_once(char::is_whitespace)?;
            (Some(d.parse::<u64>().ok()?), rest.trim_start())
        }
        None => (None, s),
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let number = |p: &str| -> Option<u64> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (hours, minutes, seconds) = match parts.as_slice() {
        [h, m] if m.len() == 2 => (number(h)?, number(m)?, 0),
        [h, m, sec] if m.len() == 2 && sec.len() == 2 => (number(h)?, number(m)?, number(sec)?),
        _ => return None,
    };
    Some(When::Clock {
        day,
        hours,
        minutes,
        seconds,
    })
}

struct WhenVisitor;

impl Visitor<'_> for WhenVisitor {
    type Value = When;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(TIME_FORMS)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<When, E> {
        Ok(When::Offset(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<When, E> {
        Ok(When::Offset(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<When, E> {
        Ok(When::Offset(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<When, E> {
        if v.contains(':') {
            return parse_clock(v)
                .ok_or_else(|| E::custom(format!("invalid time {v:?}: expected {TIME_FORMS}")));
        }
        parse_duration(v)
            .map(When::Offset)
            .ok_or_else(|| E::custom(format!("invalid time {v:?}: expected {TIME_FORMS}")))
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WhenVisitor)
    }
}

/// `warmup`: a duration, or `"auto"` (chosen from the data, per replication).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Warmup {
    /// This many seconds.
    Fixed(Seconds),
    /// MSER-5 truncation per replication.
    Auto,
}

struct WarmupVisitor;

impl Visitor<'_> for WarmupVisitor {
    type Value = Warmup;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{DURATION_FORMS}, or \"auto\"")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Warmup, E> {
        Ok(Warmup::Fixed(Seconds(v as f64)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Warmup, E> {
        Ok(Warmup::Fixed(Seconds(v as f64)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Warmup, E> {
        Ok(Warmup::Fixed(Seconds(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Warmup, E> {
        if v.trim() == "auto" {
            return Ok(Warmup::Auto);
        }
        parse_duration(v)
            .map(|s| Warmup::Fixed(Seconds(s)))
            .ok_or_else(|| {
                E::custom(format!(
                    "invalid warm-up {v:?}: expected {DURATION_FORMS}, or \"auto\" (chosen \
                     from the data)"
                ))
            })
    }
}

impl<'de> Deserialize<'de> for Warmup {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WarmupVisitor)
    }
}

/// A duration as written in a scenario, already converted to seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(pub f64);

/// A rate as written in a scenario, already converted to calls per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerSecond(pub f64);

struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = Seconds;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(DURATION_FORMS)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
        Ok(Seconds(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
        Ok(Seconds(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Seconds, E> {
        Ok(Seconds(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
        parse_duration(v)
            .map(Seconds)
            .ok_or_else(|| E::custom(format!("invalid duration {v:?}: expected {DURATION_FORMS}")))
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DurationVisitor)
    }
}

struct RateVisitor;

impl Visitor<'_> for RateVisitor {
    type Value = PerSecond;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(RATE_FORMS)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PerSecond, E> {
        parse_rate(v)
            .map(PerSecond)
            .ok_or_else(|| E::custom(format!("invalid rate {v:?}: expected {RATE_FORMS}")))
    }
}

impl<'de> Deserialize<'de> for PerSecond {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(90.0));
        assert_eq!(parse_duration("4m"), Some(240.0));
        assert_eq!(parse_duration("1h30m"), Some(5400.0));
        assert_eq!(parse_duration("1h 30m"), Some(5400.0));
        assert_eq!(parse_duration("2d"), Some(172_800.0));
        assert_eq!(parse_duration("1.5min"), Some(90.0));
        assert_eq!(parse_duration("250ms"), Some(0.25));
        assert_eq!(parse_duration("42"), Some(42.0));
        assert_eq!(parse_duration("-2m"), Some(-120.0));
        for bad in ["", "4x", "m", "4m3", "1..2s", "inf", "NaN", "-"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn compact_texts() {
        assert_eq!(compact(12.5), "12.5");
        assert_eq!(compact(1e300), "1e300");
        assert_eq!(compact(-3e-9), "-3e-9");
        assert_eq!(duration_text(90.0), "1m30s");
        assert_eq!(duration_text(3650.0 * 86_400.0), "3650d");
        assert_eq!(duration_text(0.25), "0.25s");
        for s in [1.0, 59.0, 3601.0, 86_399.0, 90_061.0] {
            assert_eq!(parse_duration(&duration_text(s)), Some(s));
        }
    }

    #[test]
    fn clock_texts() {
        let clock = |day, hours, minutes, seconds| {
            Some(When::Clock {
                day,
                hours,
                minutes,
                seconds,
            })
        };
        assert_eq!(parse_clock("08:00"), clock(None, 8, 0, 0));
        assert_eq!(parse_clock("8:05"), clock(None, 8, 5, 0));
        assert_eq!(parse_clock(" 17:30:15 "), clock(None, 17, 30, 15));
        assert_eq!(parse_clock("d2 09:00"), clock(Some(2), 9, 0, 0));
        // Out of range still parses: validation names the range.
        assert_eq!(parse_clock("25:70"), clock(None, 25, 70, 0));
        for bad in [
            "", "8", "8:0", "08:000", "d2", "d 09:00", "dx 09:00", "-1:00", "08:00:1", "8h:00",
            ":00",
        ] {
            assert_eq!(parse_clock(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("12/min"), Some(0.2));
        assert_eq!(parse_rate("720/h"), Some(0.2));
        assert_eq!(parse_rate("3/s"), Some(3.0));
        assert_eq!(parse_rate("60/30m"), Some(60.0 / 1800.0));
        for bad in ["12", "12/", "/min", "12/fortnight", "x/min", "1/0s"] {
            assert_eq!(parse_rate(bad), None, "{bad:?}");
        }
    }
}
