//! A Terraform provider (plugin protocol v6) that serves the schema of another
//! provider from `schemas/<name>.json`, so that real `terraform init`, `validate`
//! and `plan` run where that provider's binary cannot be installed.
//!
//! - GetProviderSchema: the schema file, as `terraform providers schema -json` wrote it.
//! - Validate calls: no diagnostics (terraform core type-checks against the schema).
//! - PlanResourceChange: configured values kept, computed attributes left null
//!   become unknown ("known after apply").
//! - ReadResource: the prior state. ReadDataSource: placeholders of the right types.
//! - ApplyResourceChange: refused ([`NEVER_APPLIES`]): it never creates anything.
//!
//! Terraform starts it through a `dev_overrides` CLI configuration (see the `cli`
//! crate's `validate --terraform`), never through a lock file.

mod convert;
mod cty;
mod error;
mod provider;
mod schema_file;
mod values;

use std::path::Path;

pub use error::Error;
pub use provider::{SchemaProvider, NEVER_APPLIES};
pub use schema_file::ProviderSchemas;

/// The handshake cookie terraform sets when it starts a provider; without it the
/// binary was started by hand.
pub const MAGIC_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

const USAGE: &str = "usage: terrane-schema-provider NAME SCHEMA_FILE\n\
This is a Terraform provider plugin: terraform starts it. `terrane validate --terraform` \
sets it up through a dev_overrides CLI configuration.";

/// The program: `terrane-schema-provider NAME SCHEMA_FILE`, started by terraform.
pub fn main() -> std::process::ExitCode {
    use std::process::ExitCode;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, file] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if std::env::var(MAGIC_COOKIE.0).ok().as_deref() != Some(MAGIC_COOKIE.1) {
        eprintln!("{USAGE}");
        return ExitCode::from(1);
    }
    // tf-provider appends a backtrace to every diagnostic when backtraces are on
    // (RUST_BACKTRACE=1 in a developer's shell): terraform would print it under each
    // message. Set before any thread starts.
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("terrane-schema-provider: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(serve(name, Path::new(file))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terrane-schema-provider: {e}");
            ExitCode::from(1)
        }
    }
}

/// Serves provider `name` from `schema_file` until terraform stops it.
pub async fn serve(name: &str, schema_file: &Path) -> Result<(), ServeError> {
    let schemas = ProviderSchemas::load(schema_file, name)?;
    tf_provider::serve(name, SchemaProvider::new(name, schemas))
        .await
        .map_err(|e| ServeError::Protocol(e.to_string()))
}

/// Why serving stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The schema file cannot be served.
    #[error(transparent)]
    Schema(#[from] Error),
    /// The plugin server failed.
    #[error("plugin server: {0}")]
    Protocol(String),
}
