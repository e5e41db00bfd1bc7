//! The reference infrastructure as stack programs: every target `terrane` can
//! synthesize. `app()` registers them; each target is built only when asked for.

use terrane_core::{App, Error, SchemaSet};

pub mod aws_platform;
pub mod gcp_platform;
pub mod k8s_platform;

/// The provider schemas of `schemas/`, for the offline schema check; each is parsed
/// when the check first meets a block of its provider, so `terrane list` parses none.
pub fn schemas() -> Result<SchemaSet, Error> {
    let mut set = terrane_aws::schema();
    set.extend(terrane_gcp::schema());
    Ok(set)
}

/// All targets of the project, with the provider schemas for the offline check.
pub fn app() -> Result<App, Error> {
    let mut app = App::new();
    app.schemas(schemas()?);
    gcp_platform::register(&mut app);
    aws_platform::register(&mut app);
    Ok(app)
}
