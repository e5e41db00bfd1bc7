//! The one error type of terrane-k8s: rendering either fails on domain checks
//! (all reported together) or on YAML serialization.

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when rendering manifests.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One or more domain checks failed; every problem is listed, one per line, as
    /// terrane-core diagnostics (stack `k8s/<overlay>`, address `<namespace>/<Kind>/<name>`).
    #[error("{0}")]
    Checks(terrane_core::Diagnostics),
    /// An object could not be serialized to YAML (a bug in terrane-k8s, not in the stack program).
    #[error("cannot serialize {what} to YAML: {source}")]
    Yaml {
        /// The object or file being serialized, as `Kind/name`.
        what: String,
        /// The serializer's error.
        #[source]
        source: serde_norway::Error,
    },
}
