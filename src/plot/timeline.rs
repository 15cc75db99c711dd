//! The agent timeline of a trace: what each agent did, hour by hour, and who watched.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::charts::{BLUE, GREEN, GREY, ORANGE, RED, font, legend};
use super::{Chart, PlotError, err};

/// The agent timeline of one traced replication: what each agent did when, with the
/// stretches a manager watched them shaded. The picture of the boss effect.
pub struct Timeline<'a> {
    /// The trace.
    pub trace: &'a crate::experiment::Trace,
}

/// Most agents a timeline shows (one row each).
pub const TIMELINE_AGENTS: u32 = 40;

fn state_color(state: crate::engine::AgentState) -> Option<(RGBColor, &'static str)> {
    use crate::engine::AgentState::*;
    match state {
        Idle => None,
        Talking => Some((BLUE, "talk")),
        WrapUp => Some((RGBColor(158, 202, 225), "wrap-up")),
        FollowUp => Some((GREEN, "follow-up")),
        Slack => Some((RED, "slack")),
        Report => Some((RGBColor(148, 103, 189), "report")),
        Callback => Some((ORANGE, "callback")),
        Away => Some((GREY, "away")),
        OffDuty => Some((RGBColor(215, 215, 215), "off duty")),
        Outbound => Some((RGBColor(140, 86, 75), "outbound")),
    }
}

impl Chart for Timeline<'_> {
    fn name(&self) -> &str {
        "timeline"
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        use crate::engine::AgentState;
        root.fill(&WHITE).map_err(err)?;
        let t = self.trace;
        let rows = t.agents.clamp(1, TIMELINE_AGENTS);
        // The last stale timer may fire long after the last happening: stop at the latter.
        let end = t.rows.last().map_or(t.end, |r| r.time);
        let end_h = (end / 3600.0).max(1e-3);
        let title = if t.agents > TIMELINE_AGENTS {
            format!(
                "Agent timeline (first {TIMELINE_AGENTS} of {} agents); yellow: watched by a manager",
                t.agents
            )
        } else {
            "Agent timeline; yellow: watched by a manager".to_string()
        };
        let mut chart = ChartBuilder::on(root)
            .caption(title, font(20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..end_h, 0.0..f64::from(rows))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("time of day")
            .x_label_formatter(&|x| t.clock.moment(x * 3600.0))
            .y_desc("agent")
            .y_labels(rows.min(20) as usize)
            .y_label_formatter(&|y| format!("{}", y.floor() as i64))
            .label_style(font(12))
            .axis_desc_style(font(14))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        let row = |agent: u32| f64::from(agent);
        chart
            .draw_series(t.watches.iter().filter(|w| w.agent < rows).map(|w| {
                Rectangle::new(
                    [
                        (w.span.0 / 3600.0, row(w.agent)),
                        (w.span.1 / 3600.0, row(w.agent) + 1.0),
                    ],
                    RGBColor(255, 230, 120).mix(0.6).filled(),
                )
            }))
            .map_err(err)?;
        for state in [
            AgentState::Talking,
            AgentState::WrapUp,
            AgentState::FollowUp,
            AgentState::Slack,
            AgentState::Report,
            AgentState::Callback,
            AgentState::Away,
            AgentState::OffDuty,
            AgentState::Outbound,
        ] {
            let Some((color, label)) = state_color(state) else {
                continue;
            };
            let segments: Vec<_> = t
                .segments
                .iter()
                .filter(|s| s.state == state && s.agent < rows)
                .collect();
            if segments.is_empty() {
                continue;
            }
            chart
                .draw_series(segments.iter().map(|s| {
                    Rectangle::new(
                        [
                            (s.span.0 / 3600.0, row(s.agent) + 0.2),
                            (s.span.1 / 3600.0, row(s.agent) + 0.8),
                        ],
                        color.filled(),
                    )
                }))
                .map_err(err)?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 15, y + 5)], color.filled())
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}
