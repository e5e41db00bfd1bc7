//! Errors of terrane-core: one enum for everything that can stop a synth.

use crate::diag::Diagnostics;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop terrane-core from producing output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The checks found problems; nothing was written. Every problem is listed.
    #[error("{0}")]
    Checks(Diagnostics),
    /// A target name was asked for that the app does not define.
    #[error("unknown target `{name}`; known targets: {known}")]
    UnknownTarget {
        /// The name asked for.
        name: String,
        /// The targets the app defines, comma separated.
        known: String,
    },
    /// Reading or writing the output failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the path.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A provider schema file could not be read.
    #[error("schema {name}: {message}")]
    Schema {
        /// The schema's name (file or provider).
        name: String,
        /// What is wrong with it.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
