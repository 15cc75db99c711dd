//! Forecasts from a file: `arrivals.profile = { file = "forecast.csv" }`, one row per interval
//! with its start, the calls expected in it and, optionally, the average handle time, the way
//! a spreadsheet or a workforce tool exports them.
//!
//! Rows start at a time of day (`08:00`, one day that repeats) or at a date and time
//! (`2026-03-02 08:00`, several days that run once). They lie on a grid of one interval from
//! the first row (the interval is the shortest step between rows, or `profile.interval`);
//! intervals without a row (a night) expect no calls. Every error names the row and the column.

use super::error::ScenarioError;
use super::units::{When, parse_clock, parse_duration};
use crate::model::DAY_S;

/// Most intervals a forecast may have (a year of 30-second intervals).
pub const MAX_FORECAST_INTERVALS: usize = 1_000_000;

/// A forecast read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Time of day of the first row, seconds after midnight (the run opens then).
    pub first_start_s: f64,
    /// Length of one interval, seconds.
    pub interval_s: f64,
    /// Calls per second in each interval from the first row's start.
    pub rates_per_s: Vec<f64>,
    /// The AHT of each interval where the file gives one.
    pub aht_s: Vec<Option<f64>>,
    /// Rows without dates: one day, repeating daily.
    pub daily: bool,
}

/// The columns a forecast may have; others are ignored (exports carry more).
const START: &str = "start";
const CALLS: &str = "calls";
const AHT: &str = "aht";

/// Days from 1970-01-01 to the civil date (proleptic Gregorian), or `None` when it is no date.
fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A row's start: `(day number, seconds after midnight)`, the day `None` without a date.
fn start_of(text: &str) -> Result<(Option<i64>, f64), String> {
    let t = text.trim();
    let (date, time) = match t.split_once(['T', ' ']) {
        Some((d, rest)) if d.contains('-') => (Some(d), rest.trim()),
        _ => (None, t),
    };
    let Some(When::Clock {
        day: None,
        hours,
        minutes,
        seconds,
    }) = parse_clock(time)
    else {
        return Err(format!(
            "{t:?}: allowed a time of day like \"08:00\" or a date and time like \
             \"2026-03-02 08:00\""
        ));
    };
    if !(hours < 24 && minutes < 60 && seconds < 60) {
        return Err(format!("{t:?}: allowed times from 00:00 to 23:59:59"));
    }
    let tod = (hours * 3600 + minutes * 60 + seconds) as f64;
    let day = match date {
        None => None,
        Some(d) => {
            let parts: Vec<&str> = d.split('-').collect();
            let number = |p: &str| p.parse::<i64>().ok();
            let day = match parts.as_slice() {
                [y, m, dd] if y.len() == 4 => number(y)
                    .zip(number(m))
                    .zip(number(dd))
                    .and_then(|((y, m), dd)| days_from_civil(y, m, dd)),
                _ => None,
            };
            Some(day.ok_or_else(|| format!("{d:?}: allowed a date like 2026-03-02"))?)
        }
    };
    Ok((day, tod))
}

/// Reads forecast `text` (from `file`); `interval` is `profile.interval` when given.
pub fn parse_forecast(
    text: &str,
    file: &str,
    interval: Option<f64>,
) -> Result<Forecast, ScenarioError> {
    let err = |row: Option<usize>, column: &str, message: String| ScenarioError::Invalid {
        file: file.to_string(),
        key: match row {
            Some(r) => format!("row {r}, column {column}"),
            None => format!("column {column}"),
        },
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| err(Some(1), START, format!("cannot read the header row: {e}")))?
        .clone();
    let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let missing = |name: &str| {
        err(
            Some(1),
            name,
            format!(
                "missing: the header row needs `start` and `calls` (and may have `aht`); it has {}",
                headers
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    };
    let start_col = find(START).ok_or_else(|| missing(START))?;
    let calls_col = find(CALLS).ok_or_else(|| missing(CALLS))?;
    let aht_col = find(AHT);
    // (absolute start in seconds, calls, aht), rows in file order.
    let mut rows: Vec<(f64, f64, Option<f64>)> = Vec::new();
    let mut dated: Option<bool> = None;
    let mut day_offset = 0.0;
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| err(Some(row), START, format!("unreadable: {e}")))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() >= MAX_FORECAST_INTERVALS {
            return Err(err(
                Some(row),
                START,
                format!("more than {MAX_FORECAST_INTERVALS} rows: allowed at most that many"),
            ));
        }
        let cell = |c: usize| record.get(c).unwrap_or("");
        let (day, tod) = start_of(cell(start_col)).map_err(|m| err(Some(row), START, m))?;
        if dated.is_some_and(|d| d != day.is_some()) {
            return Err(err(
                Some(row),
                START,
                "mixes rows with and without dates: give every row a date, or none".into(),
            ));
        }
        dated = Some(day.is_some());
        let t = match day {
            Some(d) => d as f64 * DAY_S + tod,
            None => {
                // Without dates, a time at or before the previous row's is the next day's.
                let t = day_offset + tod;
                match rows.last() {
                    Some(&(prev, _, _)) if t <= prev => {
                        day_offset += DAY_S;
                        t + DAY_S
                    }
                    _ => t,
                }
            }
        };
        if let Some(&(prev, _, _)) = rows.last()
            && t <= prev
        {
            return Err(err(
                Some(row),
                START,
                format!(
                    "{:?} does not come after the row above: rows go in time order",
                    cell(start_col)
                ),
            ));
        }
        let calls_text = cell(calls_col);
        let calls = calls_text
            .parse::<f64>()
            .ok()
            .filter(|c| c.is_finite() && *c >= 0.0)
            .ok_or_else(|| {
                err(
                    Some(row),
                    CALLS,
                    format!("{calls_text:?}: allowed a number of calls >= 0"),
                )
            })?;
        let aht = match aht_col.map(cell) {
            None | Some("") => None,
            Some(a) => Some(
                parse_duration(a)
                    .filter(|s| *s > 0.0 && *s <= super::validate::MAX_HORIZON_S)
                    .ok_or_else(|| {
                        err(
                            Some(row),
                            AHT,
                            format!(
                                "{a:?}: allowed an average handle time > 0 and at most 10 years, \
                                 in seconds or like \"4m30s\", or empty"
                            ),
                        )
                    })?,
            ),
        };
        rows.push((t, calls, aht));
    }
    let Some(&(first, _, _)) = rows.first() else {
        return Err(err(
            None,
            START,
            "no rows: a forecast needs at least one interval".into(),
        ));
    };
    let interval = match interval {
        Some(i) if !(i > 0.0 && i.is_finite()) => {
            return Err(err(
                None,
                START,
                format!("an interval of {i} s: allowed a length > 0"),
            ));
        }
        Some(i) => i,
        None => rows
            .windows(2)
            .map(|w| w[1].0 - w[0].0)
            .fold(f64::INFINITY, f64::min),
    };
    if !interval.is_finite() {
        return Err(err(
            None,
            START,
            "one row only: give the interval too, profile = { file = \"...\", interval = \"30m\" }"
                .into(),
        ));
    }
    let slots = ((rows.last().map_or(first, |r| r.0) - first) / interval).round() as usize + 1;
    if slots > MAX_FORECAST_INTERVALS {
        return Err(err(
            None,
            START,
            format!("the rows span {slots} intervals: allowed at most {MAX_FORECAST_INTERVALS}"),
        ));
    }
    let mut rates = vec![0.0; slots];
    let mut aht = vec![None; slots];
    for (i, &(t, calls, a)) in rows.iter().enumerate() {
        let steps = (t - first) / interval;
        if (steps - steps.round()).abs() > 1e-6 {
            return Err(err(
                Some(i + 2),
                START,
                format!(
                    "does not start on the grid of {} from the first row: rows are one \
                     interval apart (or a whole number of intervals, for a gap)",
                    super::units::duration_text(interval)
                ),
            ));
        }
        let slot = steps.round() as usize;
        rates[slot] = calls / interval;
        aht[slot] = a;
    }
    let daily = dated == Some(false);
    if daily && slots as f64 * interval > DAY_S + 1e-6 {
        return Err(err(
            None,
            START,
            "rows without dates cover more than a day: give every row a date for several days"
                .into(),
        ));
    }
    Ok(Forecast {
        first_start_s: first.rem_euclid(DAY_S),
        interval_s: interval,
        rates_per_s: rates,
        aht_s: aht,
        daily,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_fill_a_grid_with_gaps_and_dates() {
        let f = parse_forecast(
            "start,calls,aht\n08:00,60,4m\n08:30,90,\n09:30,30,300\n",
            "f.csv",
            None,
        )
        .unwrap();
        assert_eq!(f.interval_s, 1800.0);
        assert_eq!(f.first_start_s, 8.0 * 3600.0);
        assert_eq!(
            f.rates_per_s,
            [60.0 / 1800.0, 90.0 / 1800.0, 0.0, 30.0 / 1800.0]
        );
        assert_eq!(f.aht_s, [Some(240.0), None, None, Some(300.0)]);
        assert!(f.daily);
        let week = parse_forecast(
            "Start,Calls\n2026-03-02 20:00,10\n2026-03-03 08:00,40\n",
            "w.csv",
            Some(3600.0),
        )
        .unwrap();
        assert!(!week.daily);
        assert_eq!(week.rates_per_s.len(), 13);
        assert_eq!(week.first_start_s, 20.0 * 3600.0);
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
        assert_eq!(days_from_civil(2026, 2, 29), None);
    }

    #[test]
    fn errors_name_row_and_column() {
        let e = |text: &str| parse_forecast(text, "f.csv", None).unwrap_err().to_string();
        assert!(e("start,calls\n08:00,x\n").contains("row 2, column calls"));
        // The grid is the shortest step (15 minutes); 09:10 is off it.
        let off = "start,calls\n08:00,5\n08:30,5\n08:45,5\n09:10,5\n";
        assert!(e(off).contains("row 5, column start"));
        // Without dates an earlier time is the next day's: past a day, dates are needed.
        assert!(e("start,calls\n08:00,5\n07:00,5\n08:00,1\n").contains("more than a day"));
        assert!(e("begin,calls\n08:00,5\n").contains("column start"));
        assert!(e("start,calls,aht\n08:00,5,-3\n").contains("column aht"));
        assert!(e("start,calls\n25:00,5\n").contains("row 2"));
        assert!(e("start,calls\n2026-02-30 08:00,5\n").contains("2026-02-30"));
    }
}
