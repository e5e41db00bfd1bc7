//! The reference infrastructure as stack programs: every target `terrane` can
//! synthesize. `app()` registers them; each target is built only when asked for.

use std::sync::Arc;

use terrane_core::schema::ProviderSchema;
use terrane_core::{App, Error, SchemaSet};

pub mod aws_platform;
pub mod gcp_platform;
pub mod k8s_platform;

/// The provider schemas of `schemas/`, for the offline schema check.
pub fn schemas() -> Result<SchemaSet, Error> {
    let mut set = SchemaSet::new();
    for (name, text) in [
        ("aws", include_str!("../../schemas/aws.json")),
        ("google", include_str!("../../schemas/google.json")),
        ("helm", include_str!("../../schemas/helm.json")),
    ] {
        let schema = ProviderSchema::from_json(text).map_err(|e| Error::Schema {
            name: format!("schemas/{name}.json"),
            message: e.to_string(),
        })?;
        set.add(Arc::new(schema));
    }
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
