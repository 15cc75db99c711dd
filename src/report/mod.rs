//! Turning results into bytes (terminal table, JSON, CSV) and writing files atomically.
//!
//! Exporters return bytes and never touch the file system; [`files`] is the only writer: a
//! command's files land all together or not at all.

mod compare;
mod csv;
pub mod files;
#[cfg(feature = "plot")]
mod html;
mod json;
mod partial;
mod refusal;
mod schedule;
mod staff;
mod sweep;
mod table;
mod targets;
mod trace;
mod view;

pub use compare::{compare_csv, compare_json, compare_table};
pub use csv::{intervals_csv, kpis_csv, replications_csv};
#[cfg(feature = "plot")]
pub use html::{escape, html_comparison, html_report, html_schedule, html_staff, html_sweep};
pub use json::json;
pub use partial::{
    BUILD, MAX_PARTIAL_BYTES, PARTIAL_FORMAT, PartialError, Refusal, ShardInfo, partial_bytes,
    read_partial, read_partial_file, read_partial_info,
};
pub use schedule::{schedule_csv, schedule_json, schedule_table};
pub use staff::{staff_csv, staff_json, staff_table};
pub use sweep::{SWEEP_TABLE_KPIS, sweep_csv, sweep_json, sweep_table};
pub use table::table;
pub use trace::trace_csv;
pub use view::{KpiRow, KpiTable, comparison_tables, kpi_tables};

/// Whether the exact value `x` lies within the simulation's 99.9 % band (t·SE): the verdict of
/// the theory column. The wide band keeps false alarms to one in a thousand per KPI, where a
/// 95 % interval would call one KPI in twenty wrong by chance.
pub fn agrees(e: &crate::stats::Estimate, x: f64) -> bool {
    e.within_band(x, 0.001)
}
