//! The chart of a comparison: paired differences of the main KPIs, variant by variant.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::charts::{BLUE, GREEN, GREY, ORANGE, RED, font, legend};
use super::{Chart, PlotError, err};
use crate::experiment::Comparison;
use crate::kpi::Kpi;

/// Paired differences against the base, relative to the base mean, with 95 % CIs.
struct PairedDifferences<'a> {
    comparison: &'a Comparison,
}

/// The KPIs a comparison chart shows, when defined for the base.
const COMPARED: [Kpi; 8] = [
    Kpi::ServiceLevel,
    Kpi::AbandonmentRate,
    Kpi::AsaS,
    Kpi::WaitP90S,
    Kpi::Occupancy,
    Kpi::QueueLengthMean,
    Kpi::CallbackDelayMeanS,
    Kpi::FollowUpResponseMeanS,
];

impl Chart for PairedDifferences<'_> {
    fn name(&self) -> &str {
        "paired_differences"
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(err)?;
        let c = self.comparison;
        let base = &c.results[0];
        let kpis: Vec<Kpi> = COMPARED
            .into_iter()
            .filter(|k| base.overall.get(*k).is_some_and(|e| e.mean.abs() > 0.0))
            .collect();
        // (row, variant, mean %, lo %, hi %)
        let mut bars = Vec::new();
        for (v, diffs) in c.differences.iter().enumerate() {
            for (row, k) in kpis.iter().enumerate() {
                let base_mean = base.overall.get(*k).map_or(f64::NAN, |e| e.mean.abs());
                if let Some((_, d)) = diffs.iter().find(|(kk, _)| kk == k)
                    && d.paired.mean.is_finite()
                {
                    let pct = |x: f64| 100.0 * x / base_mean;
                    bars.push((
                        row,
                        v,
                        pct(d.paired.mean),
                        pct(d.paired.ci95[0]),
                        pct(d.paired.ci95[1]),
                    ));
                }
            }
        }
        let extent = bars
            .iter()
            .flat_map(|b| [b.3, b.4, b.2])
            .filter(|x| x.is_finite())
            .fold(1.0f64, |m, x| m.max(x.abs()))
            * 1.1;
        let rows = kpis.len().max(1) as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Paired difference vs base (% of the base mean, 95 % CI)",
                font(22),
            )
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(190)
            .build_cartesian_2d(-extent..extent, -0.5..rows - 0.5)
            .map_err(err)?;
        let labels: Vec<&str> = kpis.iter().map(|k| k.key()).collect();
        chart
            .configure_mesh()
            .y_labels(kpis.len().max(1))
            .y_label_formatter(&|y| {
                let i = y.round() as usize;
                labels.get(i).copied().unwrap_or("").to_string()
            })
            .x_desc("change relative to the base [%]")
            .label_style(font(13))
            .axis_desc_style(font(14))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, rows - 0.5)],
                GREY.stroke_width(1),
            )))
            .map_err(err)?;
        let palette = [BLUE, ORANGE, GREEN, RED, GREY];
        let variants = c.differences.len().max(1) as f64;
        for (v, (name, _)) in c.variants[1..].iter().enumerate() {
            let color = palette[v % palette.len()];
            let offset = |row: usize| row as f64 + 0.3 * ((v as f64 + 0.5) / variants - 0.5);
            let mine: Vec<_> = bars.iter().filter(|b| b.1 == v).collect();
            chart
                .draw_series(mine.iter().map(|b| {
                    PathElement::new(
                        vec![(b.3, offset(b.0)), (b.4, offset(b.0))],
                        color.stroke_width(3),
                    )
                }))
                .map_err(err)?;
            chart
                .draw_series(
                    mine.iter()
                        .map(|b| Circle::new((b.2, offset(b.0)), 5, color.filled())),
                )
                .map_err(err)?
                .label(name.clone())
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}

/// The charts of a comparison: the paired differences, then the base's run charts.
pub fn charts_for_comparison(comparison: &Comparison) -> Result<Vec<super::Rendered>, PlotError> {
    Ok(vec![super::render(&PairedDifferences { comparison })?])
}
