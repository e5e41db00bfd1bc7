//! The provider schema file (`schemas/<name>.json`, the shape `terraform providers
//! schema -json` prints), read into just the structs the provider needs.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::cty::CtyType;
use crate::error::Error;

#[derive(Debug, Deserialize)]
struct SchemaFile {
    provider_schemas: BTreeMap<String, ProviderSchemas>,
}

/// The schemas of one provider: its configuration block, resources, data sources.
#[derive(Debug, Deserialize)]
pub struct ProviderSchemas {
    /// The `provider` block's schema.
    pub provider: Schema,
    /// Resource types by full name (`google_sql_user`).
    #[serde(default)]
    pub resource_schemas: BTreeMap<String, Schema>,
    /// Data source types by full name.
    #[serde(default)]
    pub data_source_schemas: BTreeMap<String, Schema>,
}

/// One versioned block schema.
#[derive(Debug, Clone, Deserialize)]
pub struct Schema {
    /// Schema version (state upgrades key on it).
    #[serde(default)]
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

/// A block: attributes and nested block types.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Block {
    /// Attributes by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested block types by name.
    #[serde(default)]
    pub block_types: BTreeMap<String, BlockType>,
    /// Documentation.
    #[serde(default)]
    pub description: String,
    /// Whether the block is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// One attribute: a type or a nested attribute object, and its constraints.
#[derive(Debug, Clone, Deserialize)]
pub struct Attribute {
    /// The value type (absent when `nested_type` is given).
    #[serde(default, rename = "type")]
    pub ty: Option<CtyType>,
    /// Nested attributes (protocol 6 only).
    #[serde(default)]
    pub nested_type: Option<NestedType>,
    /// Documentation.
    #[serde(default)]
    pub description: String,
    /// The configuration must set it.
    #[serde(default)]
    pub required: bool,
    /// The configuration may set it.
    #[serde(default)]
    pub optional: bool,
    /// The provider sets it when the configuration does not.
    #[serde(default)]
    pub computed: bool,
    /// Hidden in plan output.
    #[serde(default)]
    pub sensitive: bool,
    /// Deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// Nested attributes of an attribute and how they nest.
#[derive(Debug, Clone, Deserialize)]
pub struct NestedType {
    /// The nested attributes.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// How the nested object repeats.
    pub nesting_mode: Nesting,
}

/// A nested block type.
#[derive(Debug, Clone, Deserialize)]
pub struct BlockType {
    /// How the block repeats.
    pub nesting_mode: Nesting,
    /// The nested block's schema.
    pub block: Block,
    /// Fewest blocks allowed.
    #[serde(default)]
    pub min_items: i64,
    /// Most blocks allowed (0: no limit).
    #[serde(default)]
    pub max_items: i64,
}

/// How a nested block or attribute object repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Nesting {
    /// One object, or null.
    Single,
    /// One object, never null.
    Group,
    /// An ordered list of objects.
    List,
    /// A set of objects.
    Set,
    /// A map of objects by key.
    Map,
}

impl ProviderSchemas {
    /// Reads the schemas of provider `name` (`google`, `helm`, ...) from a schema file:
    /// the `provider_schemas` entry whose address ends in `/<name>`.
    pub fn load(path: &Path, name: &str) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let file: SchemaFile = serde_json::from_str(&text).map_err(|source| Error::Parse {
            path: path.to_path_buf(),
            source,
        })?;
        let suffix = format!("/{name}");
        file.provider_schemas
            .into_iter()
            .find(|(address, _)| address.ends_with(&suffix))
            .map(|(_, schemas)| schemas)
            .ok_or_else(|| Error::NoProvider {
                path: path.to_path_buf(),
                name: name.to_string(),
            })
    }
}
