//! The charts of `schedule`: requirement against agents on duty with the service level the
//! roster attains, and a Gantt of the shifts.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::charts::{BLUE, GREEN, GREY, ORANGE, RED, font, legend};
use super::{Chart, PlotError, err};
use crate::experiment::{Schedule, StaffTarget};
use crate::model::Clock;

/// Requirement and scheduled agents per interval (top), and the service level the roster
/// attains in the search's simulation (band: 95 % CI) and out of sample (bottom).
pub struct ScheduleChart<'a> {
    /// The schedule.
    pub schedule: &'a Schedule,
    /// Its target.
    pub target: &'a StaffTarget,
    /// The scenario's clock, for the time axis.
    pub clock: Clock,
}

/// Hours after the opening of interval `k`'s start.
fn hours(s: &Schedule, k: usize) -> f64 {
    k as f64 * s.interval_s / 3600.0
}

/// `x` hours after the opening as clock text; over a week with its day (`d2 08:00`).
fn time_label(s: &Schedule, clock: Clock, x: f64) -> String {
    if s.days > 1 {
        clock.moment(x * 3600.0)
    } else {
        clock.time_of_day(x * 3600.0)
    }
}

/// A per-interval count as steps: level over each interval.
fn steps(s: &Schedule, counts: &[u32]) -> Vec<(f64, f64)> {
    counts
        .iter()
        .enumerate()
        .flat_map(|(k, &n)| [(hours(s, k), f64::from(n)), (hours(s, k + 1), f64::from(n))])
        .collect()
}

impl Chart for ScheduleChart<'_> {
    fn name(&self) -> &str {
        "schedule"
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        let s = self.schedule;
        root.fill(&WHITE).map_err(err)?;
        let root = root
            .titled(
                &format!(
                    "Roster for {:.0} % within {} s: requirement, agents on duty, service level",
                    self.target.service_level * 100.0,
                    self.target.within_s
                ),
                font(22),
            )
            .map_err(err)?;
        let end = hours(s, s.requirement.len()).max(1e-6);
        let label = |x: &f64| time_label(s, self.clock, *x);
        let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 / 2);
        let most = s
            .requirement
            .iter()
            .chain(&s.scheduled)
            .copied()
            .max()
            .map_or(1.0, f64::from)
            .max(1.0)
            * 1.2;
        let mut chart = ChartBuilder::on(&top)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..end, 0.0..most)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("time of day")
            .y_desc("agents")
            .x_label_formatter(&label)
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(AreaSeries::new(steps(s, &s.scheduled), 0.0, BLUE.mix(0.2)))
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                steps(s, &s.scheduled),
                BLUE.stroke_width(2),
            ))
            .map_err(err)?
            .label("scheduled (on duty, breaks out)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLUE.stroke_width(2)));
        chart
            .draw_series(LineSeries::new(
                steps(s, &s.requirement),
                ORANGE.stroke_width(2),
            ))
            .map_err(err)?
            .label("requirement")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], ORANGE.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;

        let mut chart = ChartBuilder::on(&bottom)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..end, 0.0..105.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("time of day")
            .y_desc("service level [%]")
            .x_label_formatter(&label)
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()
            .map_err(err)?;
        let with_calls = |k: &usize| s.rates_per_s[*k] > 0.0;
        let mid = |k: usize| hours(s, k) + 0.5 * s.interval_s / 3600.0;
        let searched: Vec<(f64, [f64; 3])> = (0..s.trials.len())
            .filter(with_calls)
            .map(|k| {
                let e = &s.trials[k].service_level;
                (mid(k), [e.mean, e.ci95[0], e.ci95[1]].map(|v| v * 100.0))
            })
            .filter(|(_, v)| v[0].is_finite())
            .collect();
        // One band and line per run of intervals with calls: none across a closed night.
        let step = s.interval_s / 3600.0;
        let mut runs: Vec<Vec<(f64, [f64; 3])>> = Vec::new();
        for point in &searched {
            match runs.last_mut() {
                Some(run) if run.last().is_some_and(|p| point.0 - p.0 < 1.5 * step) => {
                    run.push(*point);
                }
                _ => runs.push(vec![*point]),
            }
        }
        for run in &runs {
            let band: Vec<(f64, f64)> = run
                .iter()
                .map(|(x, v)| (*x, v[2].min(105.0)))
                .chain(run.iter().rev().map(|(x, v)| (*x, v[1].max(0.0))))
                .filter(|(_, y)| y.is_finite())
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band,
                    GREEN.mix(0.25).filled(),
                )))
                .map_err(err)?;
        }
        for run in runs.iter().skip(1) {
            chart
                .draw_series(LineSeries::new(
                    run.iter().map(|(x, v)| (*x, v[0])),
                    GREEN.stroke_width(2),
                ))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                runs.first().into_iter().flatten().map(|(x, v)| (*x, v[0])),
                GREEN.stroke_width(2),
            ))
            .map_err(err)?
            .label("in the search's simulation (95 % CI band)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], GREEN.stroke_width(2)));
        let checked: Vec<(f64, f64)> = (0..s.check.len())
            .filter(with_calls)
            .map(|k| (mid(k), s.check[k].service_level.mean * 100.0))
            .filter(|(_, v)| v.is_finite())
            .collect();
        chart
            .draw_series(
                checked
                    .iter()
                    .map(|p| Cross::new(*p, 5, BLACK.stroke_width(2))),
            )
            .map_err(err)?
            .label("out of sample (replications the search never used)")
            .legend(|(x, y)| Cross::new((x + 9, y), 5, BLACK.stroke_width(2)));
        let goal = self.target.service_level * 100.0;
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, goal), (end, goal)],
                8,
                5,
                RED.stroke_width(2),
            ))
            .map_err(err)?
            .label("target")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], RED.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}

/// Most rows the Gantt draws (one per way of working a pattern); the rest are summed up in
/// the title.
pub const GANTT_ROWS: usize = 40;

/// The shifts as bars over the day, one row per start and break, with their agents.
pub struct ShiftGantt<'a> {
    /// The schedule.
    pub schedule: &'a Schedule,
    /// The scenario's clock, for the time axis.
    pub clock: Clock,
}

impl Chart for ShiftGantt<'_> {
    fn name(&self) -> &str {
        "shifts"
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        let s = self.schedule;
        root.fill(&WHITE).map_err(err)?;
        let rows = &s.shifts[..s.shifts.len().min(GANTT_ROWS)];
        let title = if rows.len() < s.shifts.len() {
            format!(
                "Shifts: the first {} of {} starts (agents on each bar; breaks in grey)",
                rows.len(),
                s.shifts.len()
            )
        } else {
            "Shifts (agents on each bar; breaks in grey)".to_string()
        };
        let root = root.titled(&title, font(22)).map_err(err)?;
        let end = hours(s, s.requirement.len()).max(1e-6);
        let n = rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(150)
            .build_cartesian_2d(0.0..end, -0.5..n - 0.5)
            .map_err(err)?;
        let name_of = |y: &f64| {
            let k = y.round() as usize;
            if (y - y.round()).abs() > 1e-6 || *y < 0.0 || k >= rows.len() {
                return String::new();
            }
            let (c, _) = &rows[rows.len() - 1 - k];
            format!(
                "{} {}",
                s.patterns[c.pattern].name,
                time_label(s, self.clock, hours(s, c.start))
            )
        };
        chart
            .configure_mesh()
            .x_desc("time of day")
            .x_label_formatter(&|x| time_label(s, self.clock, *x))
            .y_labels(rows.len().max(1))
            .y_label_formatter(&name_of)
            .disable_y_mesh()
            .label_style(font(12))
            .axis_desc_style(font(14))
            .draw()
            .map_err(err)?;
        let palette = [
            BLUE,
            ORANGE,
            GREEN,
            RGBColor(148, 103, 189),
            RGBColor(140, 86, 75),
        ];
        for (row, (c, agents)) in rows.iter().enumerate() {
            // The first shift on top.
            let y = n - 1.0 - row as f64;
            let p = &s.patterns[c.pattern];
            let color = palette[c.pattern % palette.len()];
            let (a, b) = (hours(s, c.start), hours(s, c.start + p.length));
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(a, y - 0.35), (b, y + 0.35)],
                    color.mix(0.8).filled(),
                )))
                .map_err(err)?;
            for (at, length) in c.breaks(p) {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(hours(s, at), y - 0.35), (hours(s, at + length), y + 0.35)],
                        GREY.mix(0.9).filled(),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{agents}"),
                    (a + 0.05, y + 0.25),
                    font(13).color(&WHITE),
                )))
                .map_err(err)?;
        }
        Ok(())
    }
}
