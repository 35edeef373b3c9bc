//! The crate's error type.

/// Errors of an NLU backend.
#[derive(Debug, thiserror::Error)]
pub enum NlpError {
    /// The backend (for example an LLM endpoint) failed or could not be reached.
    #[error("NLU backend unavailable: {0}")]
    Backend(String),
    /// The backend answered with something that is not a valid NLU result.
    #[error("NLU backend returned an invalid result: {0}")]
    InvalidResponse(String),
    /// Embedded or supplied model data (lexicon, training text) could not be read.
    #[error("invalid NLU model data: {0}")]
    InvalidModelData(String),
    /// A line of a labelled JSON Lines file is not a labelled message.
    #[error("line {line}: not a labelled message: {message}")]
    InvalidLabelledLine {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, NlpError>;
