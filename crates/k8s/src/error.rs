//! The one error type of terrane-k8s: rendering either fails on domain checks
//! (all reported together) or on YAML serialization.

use std::fmt;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when rendering manifests.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One or more domain checks failed; every problem is listed, one per line.
    #[error("{0}")]
    Checks(Diagnostics),
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

/// One failed domain check, naming target, overlay, namespace, kind/name and field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The target being rendered (`eks-prod`).
    pub target: String,
    /// The overlay whose effective objects were checked (`production`), or `base`.
    pub overlay: String,
    /// Namespace of the offending object (empty for cluster-scoped objects).
    pub namespace: String,
    /// Kind of the offending object (`HorizontalPodAutoscaler`).
    pub kind: String,
    /// Name of the offending object.
    pub name: String,
    /// Path of the offending field (`spec.minReplicas`).
    pub field: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (overlay {}): {}/{}/{}: {}: {}",
            self.target,
            self.overlay,
            self.namespace,
            self.kind,
            self.name,
            self.field,
            self.message
        )
    }
}

/// Every failed check of one render, sorted and deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The diagnostics as display lines, for tests and the command line.
    pub fn lines(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}
