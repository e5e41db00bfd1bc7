//! The schema file with each type's block left as raw JSON text: read by the lazy index
//! at run time and by build.rs, which prepares the embedded files' index.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

/// The file with each type left as raw JSON.
#[derive(Deserialize)]
pub(crate) struct RawFile<'a> {
    #[serde(borrow)]
    pub(crate) provider_schemas: BTreeMap<&'a str, RawProvider<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawProvider<'a> {
    #[serde(borrow)]
    pub(crate) provider: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) resource_schemas: BTreeMap<&'a str, &'a RawValue>,
    #[serde(borrow)]
    pub(crate) data_source_schemas: BTreeMap<&'a str, &'a RawValue>,
    #[serde(borrow)]
    pub(crate) ephemeral_resource_schemas: BTreeMap<&'a str, &'a RawValue>,
}
