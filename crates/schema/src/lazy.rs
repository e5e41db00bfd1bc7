//! A provider schema embedded in the binary and parsed at first use, type by type:
//! the first lookup only indexes the file (each type's block is kept as raw JSON), and
//! each type's block is parsed when it is first looked up. Start-up does not grow
//! with schema size, and a program pays only for the types it checks.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::block::Block;
use crate::error::ParseError;
use crate::provider::{ProviderSchema, TypeSchema};

/// An embedded schema file, indexed at the first lookup and parsed type by type
/// (each at most once per process).
///
/// ```
/// use terrane_schema::LazySchema;
/// static THING: LazySchema = LazySchema::new("thing", r#"{"provider_schemas":{"x/thing":{
///     "resource_schemas":{"thing_a":{"block":{}}}}}}"#);
/// assert!(!THING.is_loaded());
/// assert!(THING.resource("thing_a").is_ok_and(|b| b.is_some()));
/// assert!(THING.resource("thing_b").is_ok_and(|b| b.is_none()));
/// assert!(THING.is_loaded());
/// ```
#[derive(Debug)]
pub struct LazySchema {
    name: &'static str,
    text: &'static str,
    index: OnceLock<Result<Index, ParseError>>,
    whole: OnceLock<Result<ProviderSchema, ParseError>>,
}

/// One type's block: raw JSON until its first lookup.
#[derive(Debug)]
struct Lazy {
    raw: &'static RawValue,
    parsed: OnceLock<Result<TypeSchema, ParseError>>,
}

impl Lazy {
    fn get(&self) -> Result<&Block, ParseError> {
        self.parsed
            .get_or_init(|| serde_json::from_str(self.raw.get()).map_err(ParseError::from))
            .as_ref()
            .map(|t| &t.block)
            .map_err(Clone::clone)
    }
}

#[derive(Debug, Default)]
struct Index {
    provider: Option<Lazy>,
    resources: HashMap<&'static str, Lazy>,
    data_sources: HashMap<&'static str, Lazy>,
    ephemeral_resources: HashMap<&'static str, Lazy>,
}

/// The file with each type left as raw JSON.
#[derive(Deserialize)]
struct RawFile<'a> {
    #[serde(borrow)]
    provider_schemas: BTreeMap<&'a str, RawProvider<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawProvider<'a> {
    #[serde(borrow)]
    provider: Option<&'a RawValue>,
    #[serde(borrow)]
    resource_schemas: HashMap<&'a str, &'a RawValue>,
    #[serde(borrow)]
    data_source_schemas: HashMap<&'a str, &'a RawValue>,
    #[serde(borrow)]
    ephemeral_resource_schemas: HashMap<&'a str, &'a RawValue>,
}

fn lazy_map(raw: HashMap<&'static str, &'static RawValue>) -> HashMap<&'static str, Lazy> {
    raw.into_iter()
        .map(|(k, raw)| {
            let parsed = OnceLock::new();
            (k, Lazy { raw, parsed })
        })
        .collect()
}

impl Index {
    fn build(text: &'static str) -> Result<Index, ParseError> {
        let file: RawFile<'static> = serde_json::from_str(text)?;
        let (_, p) = file
            .provider_schemas
            .into_iter()
            .next()
            .ok_or_else(|| ParseError::new("provider_schemas is empty"))?;
        Ok(Index {
            provider: p.provider.map(|raw| Lazy {
                raw,
                parsed: OnceLock::new(),
            }),
            resources: lazy_map(p.resource_schemas),
            data_sources: lazy_map(p.data_source_schemas),
            ephemeral_resources: lazy_map(p.ephemeral_resource_schemas),
        })
    }
}

impl LazySchema {
    /// A schema named `name` (the provider's local name, which prefixes its type
    /// names) whose JSON is `text`; nothing is parsed yet.
    pub const fn new(name: &'static str, text: &'static str) -> Self {
        LazySchema {
            name,
            text,
            index: OnceLock::new(),
            whole: OnceLock::new(),
        }
    }

    /// The provider's local name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    fn index(&self) -> Result<&Index, ParseError> {
        self.index
            .get_or_init(|| Index::build(self.text))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The block of a resource type, if the schema has it.
    pub fn resource(&self, ty: &str) -> Result<Option<&Block>, ParseError> {
        self.index()?.resources.get(ty).map(Lazy::get).transpose()
    }

    /// The block of a data source type, if the schema has it.
    pub fn data_source(&self, ty: &str) -> Result<Option<&Block>, ParseError> {
        self.index()?
            .data_sources
            .get(ty)
            .map(Lazy::get)
            .transpose()
    }

    /// The block of an ephemeral resource type, if the schema has it.
    pub fn ephemeral_resource(&self, ty: &str) -> Result<Option<&Block>, ParseError> {
        self.index()?
            .ephemeral_resources
            .get(ty)
            .map(Lazy::get)
            .transpose()
    }

    /// The provider configuration block, if the schema has it.
    pub fn provider(&self) -> Result<Option<&Block>, ParseError> {
        self.index()?.provider.as_ref().map(Lazy::get).transpose()
    }

    /// The whole schema, parsed now if this is the first call (every type at once:
    /// for tools and tests, not for the check).
    pub fn get(&self) -> Result<&ProviderSchema, &ParseError> {
        self.whole
            .get_or_init(|| ProviderSchema::from_json(self.text))
            .as_ref()
    }

    /// Whether the file has been indexed or parsed (for tests and measurements).
    pub fn is_loaded(&self) -> bool {
        self.index.get().is_some() || self.whole.get().is_some()
    }
}
