//! One provider's schema file: the shape of `terraform providers schema -json` with
//! one provider, plus the `terrane` key naming provider, source, version and origin.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::block::Block;
use crate::error::ParseError;
use crate::function::Function;

/// The schema of one resource, data source, ephemeral resource or provider block.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct TypeSchema {
    /// The provider's schema version of this type.
    #[serde(default)]
    pub version: u64,
    /// Its block.
    pub block: Block,
}

/// One provider's schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderSchema {
    /// Local name (`aws`).
    pub name: String,
    /// Registry source (`hashicorp/aws`).
    pub source: String,
    /// Version the schema was taken from.
    pub version: String,
    /// Where the file came from (`terraform providers schema -json`, or a package it
    /// was extracted from, where optional and optional+computed look the same).
    pub extracted_from: String,
    /// The `format_version` of the JSON.
    pub format_version: String,
    /// The provider configuration block.
    pub provider: Option<TypeSchema>,
    /// Resource types.
    pub resources: BTreeMap<String, TypeSchema>,
    /// Data source types.
    pub data_sources: BTreeMap<String, TypeSchema>,
    /// Ephemeral resource types.
    pub ephemeral_resources: BTreeMap<String, TypeSchema>,
    /// Provider-defined functions.
    pub functions: BTreeMap<String, Function>,
}

/// The file as written.
#[derive(Deserialize)]
struct SchemaFile {
    #[serde(default)]
    format_version: String,
    provider_schemas: BTreeMap<String, ProviderEntry>,
    #[serde(default)]
    terrane: Meta,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Meta {
    provider: String,
    source: String,
    version: String,
    extracted_from: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProviderEntry {
    provider: Option<TypeSchema>,
    resource_schemas: BTreeMap<String, TypeSchema>,
    data_source_schemas: BTreeMap<String, TypeSchema>,
    ephemeral_resource_schemas: BTreeMap<String, TypeSchema>,
    functions: BTreeMap<String, Function>,
}

impl ProviderSchema {
    /// Parses a schema file in the shape of `terraform providers schema -json` (its
    /// first provider), with the optional `terrane` key naming provider, source and
    /// version; without it the name is the last segment of the provider address.
    pub fn from_json(text: &str) -> Result<ProviderSchema, ParseError> {
        let file: SchemaFile = serde_json::from_str(text)?;
        let (addr, p) = file
            .provider_schemas
            .into_iter()
            .next()
            .ok_or_else(|| ParseError::new("provider_schemas is empty"))?;
        let meta = file.terrane;
        let name = if meta.provider.is_empty() {
            addr.rsplit('/').next().unwrap_or_default().to_string()
        } else {
            meta.provider
        };
        Ok(ProviderSchema {
            name,
            source: meta.source,
            version: meta.version,
            extracted_from: meta.extracted_from,
            format_version: file.format_version,
            provider: p.provider,
            resources: p.resource_schemas,
            data_sources: p.data_source_schemas,
            ephemeral_resources: p.ephemeral_resource_schemas,
            functions: p.functions,
        })
    }

    /// Whether the file was read from the provider itself (`terraform providers schema
    /// -json`) rather than extracted from a package that loses `computed` on optional
    /// attributes.
    pub fn is_from_provider(&self) -> bool {
        self.extracted_from.contains("providers schema")
    }

    /// The provider configuration block, if the file has one.
    pub fn provider_block(&self) -> Option<&Block> {
        self.provider.as_ref().map(|t| &t.block)
    }

    /// The block of a resource type, if known.
    pub fn resource(&self, ty: &str) -> Option<&Block> {
        self.resources.get(ty).map(|t| &t.block)
    }

    /// The block of a data source type, if known.
    pub fn data_source(&self, ty: &str) -> Option<&Block> {
        self.data_sources.get(ty).map(|t| &t.block)
    }

    /// The block of an ephemeral resource type, if known.
    pub fn ephemeral_resource(&self, ty: &str) -> Option<&Block> {
        self.ephemeral_resources.get(ty).map(|t| &t.block)
    }
}
