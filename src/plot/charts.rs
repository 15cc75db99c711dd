//! The charts of a run (waits, the day by interval, follow-up responses) and the colours,
//! font and legend every chart shares.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, FONT_FAMILY, PlotError, err};
use crate::experiment::ExperimentResult;
use crate::kpi::Kpi;
use crate::model::{Clock, Scenario};
use crate::stats::{DurationHistogram, Estimate};

pub(super) const BLUE: RGBColor = RGBColor(31, 119, 180);
pub(super) const ORANGE: RGBColor = RGBColor(255, 127, 14);
pub(super) const GREEN: RGBColor = RGBColor(44, 160, 44);
pub(super) const RED: RGBColor = RGBColor(214, 39, 40);
pub(super) const GREY: RGBColor = RGBColor(120, 120, 120);

pub(super) fn font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().into()
}

/// Draws the legend of `chart` in a white box at `position`.
pub(super) fn legend<
    'a,
    DB: DrawingBackend<ErrorType: 'static> + 'a,
    CT: plotters::coord::CoordTranslate,
>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), PlotError> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(font(13))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(err)
}

/// Bin edges from 0 to about `max` in `bins` steps of a round width.
fn edges(max: f64, bins: usize) -> Vec<f64> {
    let raw = (max / bins as f64).max(1e-3);
    let magnitude = 10f64.powf(raw.log10().floor());
    let width = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|w| *w >= raw)
        .unwrap_or(10.0 * magnitude);
    (0..=bins).map(|i| i as f64 * width).collect()
}

/// A histogram and its CDF side by side, with a reference line (threshold or promise).
struct Distribution<'a> {
    name: &'static str,
    title: String,
    x_label: &'static str,
    histogram: &'a DurationHistogram,
    marker: Option<(f64, String)>,
}

impl Chart for Distribution<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(err)?;
        let root = root.titled(&self.title, font(22)).map_err(err)?;
        let (left, right) = root.split_horizontally(root.dim_in_pixel().0 / 2);
        let total = self.histogram.count().max(1) as f64;
        let x_max = self
            .histogram
            .quantile(0.995)
            .max(self.marker.as_ref().map_or(0.0, |m| m.0 * 1.2))
            .max(1.0);
        let e = edges(x_max, 40);
        let counts = self.histogram.counts_in(&e);
        let x_end = *e.last().unwrap_or(&x_max);
        let y_max = counts.iter().map(|c| *c as f64 / total).fold(0.0, f64::max) * 1.1;
        let mut chart = ChartBuilder::on(&left)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x_end, 0.0..y_max.max(1e-6))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(self.x_label)
            .y_desc("share of calls")
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(e.windows(2).zip(&counts).map(|(w, c)| {
                Rectangle::new(
                    [(w[0], 0.0), (w[1], *c as f64 / total)],
                    BLUE.mix(0.7).filled(),
                )
            }))
            .map_err(err)?;
        let mut cdf = ChartBuilder::on(&right)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x_end, 0.0..1.0)
            .map_err(err)?;
        cdf.configure_mesh()
            .x_desc(self.x_label)
            .y_desc("share at or below")
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()
            .map_err(err)?;
        let points: Vec<(f64, f64)> = (0..=200)
            .map(|i| {
                let x = x_end * i as f64 / 200.0;
                (x, self.histogram.share_at_or_below(x))
            })
            .collect();
        cdf.draw_series(LineSeries::new(points, BLUE.stroke_width(2)))
            .map_err(err)?
            .label("cumulative share")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE.stroke_width(2)));
        if let Some((at, label)) = &self.marker {
            let share = self.histogram.share_at_or_below(*at);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(*at, 0.0), (*at, y_max.max(1e-6))],
                    RED.stroke_width(2),
                )))
                .map_err(err)?;
            cdf.draw_series(std::iter::once(PathElement::new(
                vec![(*at, 0.0), (*at, 1.0)],
                RED.stroke_width(2),
            )))
            .map_err(err)?
            .label(format!("{label}: {:.1} % at or below", share * 100.0))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
        }
        legend(&mut cdf, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}

/// Service level and queue length by interval of the day, each with its 95 % CI band.
pub(super) struct ByInterval<'a> {
    result: &'a ExperimentResult,
}

impl ByInterval<'_> {
    fn series(&self, kpi: Kpi, scale: f64) -> Vec<(f64, Estimate)> {
        let layout = self.result.interval_layout;
        self.result
            .by_interval
            .iter()
            .enumerate()
            .filter_map(|(i, row)| {
                let e = row.iter().find(|(k, _)| *k == kpi)?.1;
                let mid = (layout.start_s(i) + 0.5 * layout.length_s) / 3600.0;
                let mut e = e;
                e.mean *= scale;
                e.ci95 = [e.ci95[0] * scale, e.ci95[1] * scale];
                (!e.mean.is_nan()).then_some((mid, e))
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn panel<DB: DrawingBackend<ErrorType: 'static>>(
        area: &DrawingArea<DB, Shift>,
        series: &[(f64, Estimate)],
        x_range: (f64, f64),
        y_label: &str,
        color: RGBColor,
        y_cap: Option<f64>,
        x_label: &str,
        ticks: XTicks<'_>,
    ) -> Result<(), PlotError> {
        let top = series
            .iter()
            .map(|(_, e)| {
                if e.ci95[1].is_finite() {
                    e.ci95[1]
                } else {
                    e.mean
                }
            })
            .fold(0.0, f64::max)
            * 1.1;
        let top = y_cap.map_or(top, |c| top.min(c)).max(1e-6);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(x_range.0..x_range.1, 0.0..top)
            .map_err(err)?;
        // A categorical axis (a policy sweep) labels positions 0, 1, ... with their values.
        let tick_label = |x: &f64| match ticks {
            XTicks::Categories(t) if (x - x.round()).abs() < 1e-9 && *x >= 0.0 => {
                t.get(x.round() as usize).cloned().unwrap_or_default()
            }
            XTicks::Categories(_) => String::new(),
            XTicks::Numbers => format!("{x}"),
            XTicks::Clock(c) => c.time_of_day(x * 3600.0),
        };
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .x_labels(match ticks {
                XTicks::Categories(t) => t.len().max(2) * 2 + 1,
                _ => 10,
            })
            .x_label_formatter(&tick_label)
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()
            .map_err(err)?;
        let band: Vec<(f64, f64)> = series
            .iter()
            .map(|(x, e)| (*x, e.ci95[1].min(top)))
            .chain(series.iter().rev().map(|(x, e)| (*x, e.ci95[0].max(0.0))))
            .filter(|(_, y)| y.is_finite())
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(
                band,
                color.mix(0.25).filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                series.iter().map(|(x, e)| (*x, e.mean)),
                color.stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series(
                series
                    .iter()
                    .map(|(x, e)| Circle::new((*x, e.mean), 3, color.filled())),
            )
            .map_err(err)?;
        Ok(())
    }
}

impl Chart for ByInterval<'_> {
    fn name(&self) -> &str {
        "by_interval"
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(err)?;
        let root = root
            .titled(
                "Service level and queue length by interval (mean and 95 % CI band)",
                font(22),
            )
            .map_err(err)?;
        let layout = self.result.interval_layout;
        let x_range = (0.0, layout.start_s(layout.count) / 3600.0);
        let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 / 2);
        Self::panel(
            &top,
            &self.series(Kpi::ServiceLevel, 100.0),
            x_range,
            "service level [%]",
            GREEN,
            Some(105.0),
            "time of day",
            XTicks::Clock(layout.clock()),
        )?;
        Self::panel(
            &bottom,
            &self.series(Kpi::QueueLengthMean, 1.0),
            x_range,
            "callers on hold",
            BLUE,
            None,
            "time of day",
            XTicks::Clock(layout.clock()),
        )
    }
}

/// How a panel labels its x axis.
#[derive(Clone, Copy)]
pub(super) enum XTicks<'a> {
    /// Plain numbers.
    Numbers,
    /// Positions 0, 1, ... named by these values (a policy sweep).
    Categories(&'a [String]),
    /// Hours after the opening, labelled with the time of day.
    Clock(Clock),
}

/// Follow-up responses started observed and unobserved, with the perceived and true means.
struct FollowUpResponses<'a> {
    observed: &'a DurationHistogram,
    unobserved: &'a DurationHistogram,
    true_mean: f64,
    perceived_mean: f64,
}

impl Chart for FollowUpResponses<'_> {
    fn name(&self) -> &str {
        "follow_up_responses"
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(err)?;
        let to_min = 1.0 / 60.0;
        let x_max = self
            .observed
            .quantile(0.99)
            .max(self.unobserved.quantile(0.99))
            .max(self.true_mean)
            .max(60.0)
            * to_min;
        let e = edges(x_max, 40);
        let x_end = *e.last().unwrap_or(&x_max);
        let shares = |h: &DurationHistogram| -> Vec<(f64, f64)> {
            let total = h.count().max(1) as f64;
            let seconds: Vec<f64> = e.iter().map(|m| m * 60.0).collect();
            h.counts_in(&seconds)
                .iter()
                .zip(e.windows(2))
                .map(|(c, w)| (0.5 * (w[0] + w[1]), *c as f64 / total))
                .collect()
        };
        let (obs, unobs) = (shares(self.observed), shares(self.unobserved));
        let y_max = obs.iter().chain(&unobs).map(|p| p.1).fold(0.0, f64::max) * 1.15;
        let mut chart = ChartBuilder::on(root)
            .caption("Follow-up response: started watched vs unwatched", font(22))
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x_end, 0.0..y_max.max(1e-6))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("response time: promise to resolution [min]")
            .y_desc("share of follow-ups")
            .label_style(font(13))
            .axis_desc_style(font(14))
            .draw()
            .map_err(err)?;
        for (points, color, label, n) in [
            (
                &obs,
                ORANGE,
                "work started while watched",
                self.observed.count(),
            ),
            (
                &unobs,
                BLUE,
                "work started unwatched",
                self.unobserved.count(),
            ),
        ] {
            if n == 0 {
                continue;
            }
            chart
                .draw_series(LineSeries::new(
                    points.iter().copied(),
                    color.stroke_width(2),
                ))
                .map_err(err)?
                .label(format!("{label} (n = {n})"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        for (at, color, label) in [
            (self.true_mean, BLACK, "true mean (what customers live)"),
            (
                self.perceived_mean,
                RED,
                "perceived mean (what managers believe)",
            ),
        ] {
            if !at.is_finite() {
                continue;
            }
            let x = at * to_min;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, y_max)],
                    color.stroke_width(2),
                )))
                .map_err(err)?
                .label(format!("{label}: {:.0} min", x))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}

/// Every chart that applies to a run of `scenario`.
pub fn charts_for_run(
    scenario: &Scenario,
    result: &ExperimentResult,
) -> Result<Vec<super::Rendered>, PlotError> {
    let mut out = vec![super::render(&Distribution {
        name: "wait_distribution",
        title: "Waits of answered calls".into(),
        x_label: "wait [s]",
        histogram: &result.answered_waits,
        marker: Some((
            scenario.service_level_threshold,
            format!("threshold {} s", scenario.service_level_threshold),
        )),
    })?];
    if !result.by_interval.is_empty() {
        out.push(super::render(&ByInterval { result })?);
    }
    if let (Some(h), Some(cb)) = (&result.callback_delays, &scenario.callbacks) {
        out.push(super::render(&Distribution {
            name: "callback_delays",
            title: "Callback delays: acceptance to reaching the customer".into(),
            x_label: "callback delay [s]",
            histogram: h,
            marker: Some((cb.promise_s, format!("promise {} s", cb.promise_s))),
        })?);
    }
    if let Some([observed, unobserved]) = &result.follow_up_responses {
        let mean = |k: Kpi| result.overall.get(k).map_or(f64::NAN, |e| e.mean);
        out.push(super::render(&FollowUpResponses {
            observed,
            unobserved,
            true_mean: mean(Kpi::FollowUpResponseMeanS),
            perceived_mean: mean(Kpi::PerceivedFollowUpResponseMeanS),
        })?);
    }
    Ok(out)
}
