//! Errors in a scenario or its overrides. Each names the file, the key and what is allowed.

/// A scenario that cannot be used, with enough detail for the analyst to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{file}: cannot read the scenario: {source}")]
    Read {
        /// The scenario file.
        file: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The text is not valid TOML.
    #[error("{file}: not valid TOML: {message}")]
    Syntax {
        /// The scenario file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A key is unknown, missing, of the wrong type or out of range.
    #[error("{file}: key `{key}`: {message}")]
    Invalid {
        /// The scenario file.
        file: String,
        /// Dotted path of the offending key, e.g. `callers[0].patience.mean`.
        key: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A `--set key.path=value` argument is malformed.
    #[error("--set {arg:?}: {message}")]
    Override {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
    },
}
