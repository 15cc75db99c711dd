//! The scenario templates the page offers: the files of `scenarios/`, compiled in. They are
//! the only files the server reads from, so a scenario sent by a page can name a forecast
//! only among the templates' own (`forecast.csv`, `week.csv`), never a path on the machine.

/// A compiled-in file of `scenarios/`.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// The file name, e.g. `default.toml`.
    pub file: &'static str,
    /// Its text.
    pub text: &'static str,
}

macro_rules! files {
    ($($name:literal),* $(,)?) => {
        &[$(Template { file: $name, text: include_str!(concat!("../../scenarios/", $name)) }),*]
    };
}

/// Every scenario of `scenarios/`, the default first (a test checks that none is missing).
pub const TEMPLATES: &[Template] = files![
    "default.toml",
    "student_mm1.toml",
    "erlang_a_textbook.toml",
    "floor77_walker.toml",
    "floor77_alongside.toml",
    "floor77_random.toml",
    "floor77_dashboard.toml",
    "evening_rep.toml",
    "broken_promises.toml",
    "lunch_peak.toml",
    "intraday_retail.toml",
    "departments.toml",
    "back_office.toml",
    "outage_redial_storm.toml",
    "outbound_invitations.toml",
    "forecast_day.toml",
    "week.toml",
];

/// The data files the templates refer to, by the name they are written with.
pub const ATTACHMENTS: &[Template] = files!["forecast.csv", "week.csv"];

/// The attachments as a scenario parse takes them.
pub fn attachments() -> Vec<(String, String)> {
    ATTACHMENTS
        .iter()
        .map(|t| (t.file.to_string(), t.text.to_string()))
        .collect()
}

/// The source name of a template's results, as the command line names the same file when it
/// runs from the project folder (`scenarios/default.toml`), so both write the same bytes.
pub fn source_of(file: &str) -> String {
    format!("scenarios/{file}")
}
