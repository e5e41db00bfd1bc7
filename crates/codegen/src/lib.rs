//! terrane-codegen: generates the typed resource, data source and provider types of
//! terrane-aws and terrane-gcp from the schemas in `schemas/`.
//!
//! Everything is rendered with the minijinja templates in `templates/` (type files
//! compactly by their template, the other files formatted with rustfmt), and either
//! written or compared with what is committed ([`Mode::Check`]).

mod builder;
pub mod cdktf;
mod docs;
mod files;
mod functions;
mod generate;
mod krate;
mod names;
mod render;
mod rust_model;
mod samples;
mod services;
mod too_deep;
mod type_names;
mod view;

use std::path::{Path, PathBuf};

pub use docs::doc_lines;
pub use files::run;
pub use generate::generate_crate;
pub use krate::{service_of, standalone_crate, CoreDep, CrateOptions, GeneratedCrate};
pub use names::{camel, ident};
pub use render::rustfmt;
pub use too_deep::MAX_NESTED_BLOCKS;

/// Write the generated files, or only compare them with the files on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write every file that differs (and remove stale generated files).
    Write,
    /// Change nothing; report every file that would change.
    Check,
}

/// The crates the generator writes, and which providers go into each.
pub const CRATES: &[(&str, &[&str])] = &[("aws", &["aws", "helm"]), ("gcp", &["google"])];

/// The workspace root this crate was built in.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[cfg(test)]
mod tests;
