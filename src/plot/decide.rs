//! The charts of the planning tools: a sweep's KPIs over the values of one key, and a
//! staffing plan's agents and service level per interval.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::charts::{BLUE, ByInterval, GREEN, ORANGE, RED, XTicks, font, legend};
use super::{Chart, PlotError, err};
use crate::kpi::Kpi;
use crate::model::Clock;
use crate::stats::Estimate;

/// A sweep: service level, abandonment and ASA against the swept value, with 95 % CI bands;
/// values that are not plain numbers (policies, durations) on a categorical axis.
pub struct SweepChart<'a> {
    /// The sweep.
    pub sweep: &'a crate::experiment::Sweep,
}

impl Chart for SweepChart<'_> {
    fn name(&self) -> &str {
        "sweep"
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(err)?;
        let s = self.sweep;
        let root = root
            .titled(
                &format!("Sweep of {} (mean and 95 % CI band)", s.key),
                font(22),
            )
            .map_err(err)?;
        // Plain numbers on a numeric axis; anything else (durations, rates, policies) is
        // categorical: the points in order, labelled with their values.
        let values: Vec<String> = s
            .points
            .iter()
            .map(|(v, _)| v.trim_matches('"').to_string())
            .collect();
        let numbers: Option<Vec<f64>> = values.iter().map(|v| v.parse::<f64>().ok()).collect();
        let (xs, ticks): (Vec<f64>, XTicks) = match numbers {
            Some(n) => (n, XTicks::Numbers),
            None => (
                (0..values.len()).map(|i| i as f64).collect(),
                XTicks::Categories(&values[..]),
            ),
        };
        let (lo, hi) = xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(*x), b.max(*x))
            });
        let pad = ((hi - lo) * 0.05).max(0.5);
        let x_range = (lo - pad, hi + pad);
        let height = root.dim_in_pixel().1;
        let (top, rest) = root.split_vertically(height / 3);
        let (middle, bottom) = rest.split_vertically(height / 3);
        for (area, kpi, scale, label, color, cap) in [
            (
                &top,
                Kpi::ServiceLevel,
                100.0,
                "service level [%]",
                GREEN,
                Some(105.0),
            ),
            (
                &middle,
                Kpi::AbandonmentRate,
                100.0,
                "abandoned [%]",
                RED,
                Some(105.0),
            ),
            (&bottom, Kpi::AsaS, 1.0, "ASA [s]", BLUE, None),
        ] {
            let series: Vec<(f64, Estimate)> = xs
                .iter()
                .zip(&s.points)
                .filter_map(|(x, (_, r))| {
                    let mut e = *r.overall.get(kpi)?;
                    e.mean *= scale;
                    e.ci95 = [e.ci95[0] * scale, e.ci95[1] * scale];
                    (!e.mean.is_nan()).then_some((*x, e))
                })
                .collect();
            ByInterval::panel(area, &series, x_range, label, color, cap, &s.key, ticks)?;
        }
        Ok(())
    }
}

/// The staffing vector of `staff`: agents per interval (and the Erlang estimate) on top, the
/// service level they reach (mean and 95 % CI band) against the target below.
pub struct StaffChart<'a> {
    /// The periods, in order.
    pub periods: &'a [crate::experiment::PeriodStaffing],
    /// The target.
    pub target: &'a crate::experiment::StaffTarget,
    /// The scenario's clock, for the time axis.
    pub clock: Clock,
}

impl Chart for StaffChart<'_> {
    fn name(&self) -> &str {
        "staffing"
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(err)?;
        let root = root
            .titled(
                &format!(
                    "Fewest agents for {:.0} % within {} s, per interval",
                    self.target.service_level * 100.0,
                    self.target.within_s
                ),
                font(22),
            )
            .map_err(err)?;
        let hours = |t: f64| t / 3600.0;
        let end = self.periods.last().map_or(1.0, |p| hours(p.span.1));
        let start = self.periods.first().map_or(0.0, |p| hours(p.span.0));
        let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 / 2);
        let staffed: Vec<(f64, f64)> = self
            .periods
            .iter()
            .filter_map(|p| Some((hours(p.span.0), f64::from(p.staffed.as_ref()?.agents))))
            .collect();
        let erlang: Vec<(f64, f64)> = self
            .periods
            .iter()
            .filter_map(|p| {
                let mid = hours(0.5 * (p.span.0 + p.span.1));
                Some((mid, f64::from(p.erlang_estimate?)))
            })
            .collect();
        let most = staffed
            .iter()
            .chain(&erlang)
            .map(|(_, n)| *n)
            .fold(1.0, f64::max)
            * 1.15;
        let mut chart = ChartBuilder::on(&top)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(start..end, 0.0..most)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("time of day")
            .y_desc("agents")
            .x_label_formatter(&|x| self.clock.time_of_day(x * 3600.0))
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()
            .map_err(err)?;
        // Each period's head count holds for the whole period: steps, not a line.
        let steps: Vec<(f64, f64)> = self
            .periods
            .iter()
            .filter_map(|p| {
                let n = f64::from(p.staffed.as_ref()?.agents);
                Some([(hours(p.span.0), n), (hours(p.span.1), n)])
            })
            .flatten()
            .collect();
        chart
            .draw_series(LineSeries::new(steps, BLUE.stroke_width(2)))
            .map_err(err)?
            .label("agents (simulated, meets the target)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLUE.stroke_width(2)));
        chart
            .draw_series(erlang.iter().map(|p| Circle::new(*p, 3, ORANGE.filled())))
            .map_err(err)?
            .label("Erlang estimate")
            .legend(|(x, y)| Circle::new((x + 9, y), 3, ORANGE.filled()));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        let attained: Vec<(f64, Estimate)> = self
            .periods
            .iter()
            .filter_map(|p| {
                let mut e = p.staffed.as_ref()?.service_level;
                e.mean *= 100.0;
                e.ci95 = [e.ci95[0] * 100.0, e.ci95[1] * 100.0];
                Some((hours(0.5 * (p.span.0 + p.span.1)), e))
            })
            .collect();
        ByInterval::panel(
            &bottom,
            &attained,
            (start, end),
            "service level reached [%]",
            GREEN,
            Some(105.0),
            "time of day",
            XTicks::Clock(self.clock),
        )?;
        Ok(())
    }
}
