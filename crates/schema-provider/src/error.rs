//! Why the schema-serving provider could not start.

use std::path::PathBuf;

/// A schema file that cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The schema file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a providers schema document.
    #[error("{} is not a `terraform providers schema -json` document: {source}", path.display())]
    Parse {
        /// The schema file.
        path: PathBuf,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The file has no schema for the provider asked for.
    #[error("{} has no schema for provider `{name}`", path.display())]
    NoProvider {
        /// The schema file.
        path: PathBuf,
        /// The provider name asked for.
        name: String,
    },
}
