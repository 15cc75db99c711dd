//! The covering integer program behind shift scheduling (issue #17, item 2): the fewest-cost
//! set of shifts (pattern, start, break) such that the agents on duty meet a requirement in
//! every interval, solved by a real MILP solver (`good_lp` with the pure-Rust `microlp`).
//!
//! Time is counted in intervals of the requirement. A column is one way to work a pattern: a
//! start, and where its break falls; the program chooses how many agents work each column.

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp,
    variable,
};

/// A break inside a shift: its length, and the earliest and latest start after the shift's
/// start, all in intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakRule {
    /// Length in intervals.
    pub length: usize,
    /// Earliest start, intervals after the shift's start.
    pub earliest: usize,
    /// Latest start, intervals after the shift's start.
    pub latest: usize,
}

/// A shift pattern that agents may work.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Display name.
    pub name: String,
    /// Length in intervals, break included.
    pub length: usize,
    /// Intervals at which the shift may start.
    pub starts: Vec<usize>,
    /// The breaks, in order (each starts after the one before ends).
    pub breaks: Vec<BreakRule>,
    /// Cost of one agent working the pattern once (e.g. paid hours × hourly cost).
    pub cost: f64,
    /// Fewest agents on this pattern in all.
    pub min: u32,
    /// Most agents on this pattern in all.
    pub max: u32,
}

/// Most breaks in one pattern.
pub const MAX_BREAKS: usize = 4;

/// One way to work a pattern: where it starts and where its breaks fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Index of the pattern.
    pub pattern: usize,
    /// Interval the shift starts in.
    pub start: usize,
    /// Intervals the pattern's breaks start in, in order (the first `breaks.len()` are used).
    pub break_at: [usize; MAX_BREAKS],
}

impl Column {
    /// Each break of this column: its first interval and its length.
    pub fn breaks<'p>(&self, p: &'p Pattern) -> impl Iterator<Item = (usize, usize)> + 'p {
        let at = self.break_at;
        p.breaks
            .iter()
            .enumerate()
            .map(move |(k, b)| (at[k], b.length))
    }

    /// Whether an agent on this column is on duty in interval `t` (on shift, not on a break).
    pub fn on_duty(&self, patterns: &[Pattern], t: usize) -> bool {
        let p = &patterns[self.pattern];
        let in_shift = t >= self.start && t < self.start + p.length;
        in_shift && !self.breaks(p).any(|(b, length)| t >= b && t < b + length)
    }
}

/// Every column of `patterns` that fits in `intervals` intervals.
pub fn columns(patterns: &[Pattern], intervals: usize) -> Vec<Column> {
    let mut out = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        for &start in p.starts.iter().filter(|&&s| s + p.length <= intervals) {
            let mut column = Column {
                pattern: i,
                start,
                break_at: [0; MAX_BREAKS],
            };
            place_breaks(p, 0, 0, &mut column, &mut out);
        }
    }
    out
}

/// Every placement of `p`'s breaks from break `k` on, none before offset `free` (where the
/// one before ends), each inside its window and the shift; one column per placement.
fn place_breaks(p: &Pattern, k: usize, free: usize, column: &mut Column, out: &mut Vec<Column>) {
    let Some(rule) = p.breaks.get(k) else {
        out.push(*column);
        return;
    };
    for offset in rule.earliest.max(free)..=rule.latest {
        if offset + rule.length > p.length {
            break;
        }
        column.break_at[k] = column.start + offset;
        place_breaks(p, k + 1, offset + rule.length, column, out);
    }
}

/// Whether some column of `cols` is on duty in every interval that needs agents.
pub fn coverable(
    requirement: &[u32],
    patterns: &[Pattern],
    cols: &[Column],
) -> Result<(), CoverError> {
    for (t, &needed) in requirement.iter().enumerate() {
        if needed > 0 && !cols.iter().any(|c| c.on_duty(patterns, t)) {
            return Err(CoverError::Uncoverable {
                interval: t,
                needed,
            });
        }
    }
    Ok(())
}

/// A solved roster: how many agents work each column, and what it costs.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    /// Columns with at least one agent, and their agents.
    pub shifts: Vec<(Column, u32)>,
    /// Total cost.
    pub cost: f64,
}

impl Roster {
    /// Agents on duty in each of `intervals` intervals.
    pub fn on_duty(&self, patterns: &[Pattern], intervals: usize) -> Vec<u32> {
        (0..intervals)
            .map(|t| {
                self.shifts
                    .iter()
                    .filter(|(c, _)| c.on_duty(patterns, t))
                    .map(|(_, n)| n)
                    .sum()
            })
            .collect()
    }
}

/// Why no roster was found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoverError {
    /// No column is on duty in an interval that needs agents.
    #[error("no shift pattern covers interval {interval}, which needs {needed} agent(s)")]
    Uncoverable {
        /// The interval, counted from 0.
        interval: usize,
        /// Agents it needs.
        needed: u32,
    },
    /// The patterns' min and max cannot be met together with the requirement.
    #[error("no roster meets the requirement within the patterns' min and max agents")]
    Infeasible,
    /// The solver failed for another reason (unbounded, or its own error).
    #[error("the integer program could not be solved: {0}")]
    Solver(#[source] ResolutionError),
}

/// The least-cost roster of `patterns` whose agents on duty meet `requirement` (agents per
/// interval) everywhere.
pub fn solve(requirement: &[u32], patterns: &[Pattern]) -> Result<Roster, CoverError> {
    let cols = columns(patterns, requirement.len());
    coverable(requirement, patterns, &cols)?;
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = cols
        .iter()
        .map(|c| vars.add(variable().integer().min(0).max(patterns[c.pattern].max)))
        .collect();
    let objective: Expression = cols
        .iter()
        .zip(&x)
        .map(|(c, &v)| patterns[c.pattern].cost * v)
        .sum();
    let mut model = vars.minimise(objective).using(microlp);
    for (t, &needed) in requirement.iter().enumerate() {
        if needed == 0 {
            continue;
        }
        let on_duty: Expression = cols
            .iter()
            .zip(&x)
            .filter(|(c, _)| c.on_duty(patterns, t))
            .map(|(_, &v)| v)
            .sum();
        model = model.with(on_duty.geq(f64::from(needed)));
    }
    for (i, p) in patterns.iter().enumerate() {
        let agents: Expression = cols
            .iter()
            .zip(&x)
            .filter(|(c, _)| c.pattern == i)
            .map(|(_, &v)| v)
            .sum();
        if p.min > 0 {
            model = model.with(agents.clone().geq(f64::from(p.min)));
        }
        model = model.with(agents.leq(f64::from(p.max)));
    }
    let solution = model.solve().map_err(|e| match e {
        ResolutionError::Infeasible => CoverError::Infeasible,
        other => CoverError::Solver(other),
    })?;
    let shifts: Vec<(Column, u32)> = cols
        .iter()
        .zip(&x)
        .map(|(c, &v)| (*c, solution.value(v).round().max(0.0) as u32))
        .filter(|(_, n)| *n > 0)
        .collect();
    let cost = shifts
        .iter()
        .map(|(c, n)| patterns[c.pattern].cost * f64::from(*n))
        .sum();
    Ok(Roster { shifts, cost })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(
        name: &str,
        length: usize,
        starts: std::ops::RangeInclusive<usize>,
        cost: f64,
    ) -> Pattern {
        Pattern {
            name: name.into(),
            length,
            starts: starts.collect(),
            breaks: Vec::new(),
            cost,
            min: 0,
            max: 50,
        }
    }

    /// The least cost by trying every assignment of 0..=`most` agents to every column.
    fn brute_force(requirement: &[u32], patterns: &[Pattern], most: u32) -> Option<f64> {
        let cols = columns(patterns, requirement.len());
        let mut counts = vec![0u32; cols.len()];
        let mut best: Option<f64> = None;
        loop {
            let meets = requirement.iter().enumerate().all(|(t, &r)| {
                let on: u32 = cols
                    .iter()
                    .zip(&counts)
                    .filter(|(c, _)| c.on_duty(patterns, t))
                    .map(|(_, n)| n)
                    .sum();
                on >= r
            }) && patterns.iter().enumerate().all(|(i, p)| {
                let n: u32 = cols
                    .iter()
                    .zip(&counts)
                    .filter(|(c, _)| c.pattern == i)
                    .map(|(_, n)| n)
                    .sum();
                n >= p.min && n <= p.max
            });
            if meets {
                let cost: f64 = cols
                    .iter()
                    .zip(&counts)
                    .map(|(c, n)| patterns[c.pattern].cost * f64::from(*n))
                    .sum();
                best = Some(best.map_or(cost, |b: f64| b.min(cost)));
            }
            // Next assignment, like an odometer.
            let mut i = 0;
            loop {
                if i == counts.len() {
                    return best;
                }
                if counts[i] < most {
                    counts[i] += 1;
                    break;
                }
                counts[i] = 0;
                i += 1;
            }
        }
    }

    #[test]
    fn the_integer_program_equals_brute_force_on_small_instances() {
        let mut long = pattern("long", 4, 0..=2, 4.0);
        long.breaks = vec![BreakRule {
            length: 1,
            earliest: 1,
            latest: 2,
        }];
        let patterns = vec![long, pattern("short", 2, 0..=4, 2.5)];
        // Columns: long has 3 starts × 2 breaks, short 5 starts: 11 columns, so brute force
        // with up to 2 agents each tries 3^11 = 177,147 assignments.
        let mut seed = 7u64;
        for _ in 0..12 {
            let requirement: Vec<u32> = (0..6)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((seed >> 33) % 3) as u32
                })
                .collect();
            let roster = solve(&requirement, &patterns).unwrap();
            let exact = brute_force(&requirement, &patterns, 2).unwrap();
            assert!(
                (roster.cost - exact).abs() < 1e-9,
                "{requirement:?}: solver {} against brute force {exact}",
                roster.cost
            );
            let on = roster.on_duty(&patterns, requirement.len());
            assert!(on.iter().zip(&requirement).all(|(o, r)| o >= r));
        }
    }

    #[test]
    fn two_breaks_are_placed_in_order_inside_their_windows() {
        let mut p = pattern("split", 6, 0..=0, 1.0);
        p.breaks = vec![
            BreakRule {
                length: 1,
                earliest: 1,
                latest: 2,
            },
            BreakRule {
                length: 1,
                earliest: 2,
                latest: 5,
            },
        ];
        let placed: Vec<[usize; 2]> = columns(&[p.clone()], 6)
            .iter()
            .map(|c| [c.break_at[0], c.break_at[1]])
            .collect();
        // The second break starts after the first ends and ends inside the 6-interval shift.
        assert_eq!(
            placed,
            [[1, 2], [1, 3], [1, 4], [1, 5], [2, 3], [2, 4], [2, 5]]
        );
        let c = columns(&[p.clone()], 6)[0];
        let duty: Vec<bool> = (0..6).map(|t| c.on_duty(&[p.clone()], t)).collect();
        assert_eq!(duty, [true, false, false, true, true, true]);
        // And the program still equals brute force with such a pattern.
        let patterns = vec![p, pattern("short", 2, 0..=4, 0.4)];
        for requirement in [[1, 1, 1, 1, 1, 1], [2, 1, 0, 2, 1, 1], [0, 2, 2, 0, 1, 2]] {
            let roster = solve(&requirement, &patterns).unwrap();
            let exact = brute_force(&requirement, &patterns, 2).unwrap();
            assert!((roster.cost - exact).abs() < 1e-9, "{requirement:?}");
        }
    }

    #[test]
    fn uncoverable_and_infeasible_are_told_apart() {
        let patterns = vec![pattern("morning", 2, 0..=0, 1.0)];
        assert_eq!(
            solve(&[1, 1, 1], &patterns),
            Err(CoverError::Uncoverable {
                interval: 2,
                needed: 1
            })
        );
        let mut capped = patterns.clone();
        capped[0].max = 1;
        assert_eq!(solve(&[2, 0], &capped), Err(CoverError::Infeasible));
        let mut floor = patterns;
        floor[0].min = 3;
        let r = solve(&[1, 0], &floor).unwrap();
        assert_eq!(r.shifts.iter().map(|(_, n)| n).sum::<u32>(), 3);
    }
}
