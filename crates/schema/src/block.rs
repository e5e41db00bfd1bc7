//! Block schemas: attributes (typed by a cty type or a nested attribute type) and
//! nested block types with their nesting mode and item bounds.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::cty::CtyType;

/// Whether a description is plain text or markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DescriptionKind {
    /// Plain text.
    #[default]
    Plain,
    /// Markdown.
    Markdown,
}

/// A block schema: attributes and nested blocks.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct Block {
    /// Attributes by name.
    #[serde(deserialize_with = "crate::sorted_map::deserialize")]
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested block types by name.
    #[serde(deserialize_with = "crate::sorted_map::deserialize")]
    pub block_types: BTreeMap<String, BlockType>,
    /// Provider description.
    pub description: String,
    /// How the description is written.
    pub description_kind: DescriptionKind,
    /// Deprecated by the provider.
    pub deprecated: bool,
}

/// How an attribute's value is typed.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrType {
    /// A cty type (`"type"` in the JSON).
    Cty(CtyType),
    /// Nested attributes (`"nested_type"`, protocol 6 providers).
    Nested(NestedType),
}

/// An attribute of a block (or of a nested attribute type).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawAttribute")]
pub struct Attribute {
    /// Its type.
    pub ty: AttrType,
    /// Must be set.
    pub required: bool,
    /// May be set.
    pub optional: bool,
    /// Known after apply (read-only unless also optional).
    pub computed: bool,
    /// Redacted by Terraform.
    pub sensitive: bool,
    /// Deprecated by the provider.
    pub deprecated: bool,
    /// Set in configuration but never stored in state, so never readable.
    pub write_only: bool,
    /// Provider description.
    pub description: String,
    /// How the description is written.
    pub description_kind: DescriptionKind,
}

impl Attribute {
    /// The attribute's value as one cty type: a nested type becomes an object type
    /// (its non-required attributes optional) wrapped by its nesting mode.
    pub fn value_type(&self) -> Cow<'_, CtyType> {
        match &self.ty {
            AttrType::Cty(t) => Cow::Borrowed(t),
            AttrType::Nested(n) => Cow::Owned(n.to_cty()),
        }
    }

    /// Computed by the provider and never set by configuration.
    pub fn is_read_only(&self) -> bool {
        self.computed && !self.optional && !self.required
    }
}

/// The JSON shape of an attribute, before `type`/`nested_type` become one [`AttrType`].
#[derive(Deserialize)]
struct RawAttribute {
    #[serde(rename = "type")]
    ty: Option<CtyType>,
    nested_type: Option<NestedType>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    computed: bool,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    write_only: bool,
    #[serde(default)]
    description: String,
    #[serde(default)]
    description_kind: DescriptionKind,
}

impl TryFrom<RawAttribute> for Attribute {
    type Error = String;

    fn try_from(a: RawAttribute) -> Result<Self, String> {
        let ty = match (a.ty, a.nested_type) {
            (Some(t), None) => AttrType::Cty(t),
            (None, Some(n)) => AttrType::Nested(n),
            (None, None) => return Err("attribute without a type".into()),
            (Some(_), Some(_)) => return Err("attribute with both type and nested_type".into()),
        };
        Ok(Attribute {
            ty,
            required: a.required,
            optional: a.optional,
            computed: a.computed,
            sensitive: a.sensitive,
            deprecated: a.deprecated,
            write_only: a.write_only,
            description: a.description,
            description_kind: a.description_kind,
        })
    }
}

/// Nested attributes: an object of attributes, repeated by its nesting mode.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NestedType {
    /// How the object repeats (`single` when absent).
    #[serde(rename = "nesting_mode", default = "single")]
    pub nesting: Nesting,
    /// The object's attributes.
    #[serde(default)]
    #[serde(deserialize_with = "crate::sorted_map::deserialize")]
    pub attributes: BTreeMap<String, Attribute>,
    /// Minimum number of elements (list and set nesting).
    #[serde(default)]
    pub min_items: u64,
    /// Maximum number of elements (0 = unlimited).
    #[serde(default)]
    pub max_items: u64,
}

impl NestedType {
    /// The same shape as a cty type (see [`Attribute::value_type`]).
    pub fn to_cty(&self) -> CtyType {
        let mut attrs = BTreeMap::new();
        let mut optional = Vec::new();
        for (name, a) in &self.attributes {
            if !a.required {
                optional.push(name.clone());
            }
            attrs.insert(name.clone(), a.value_type().into_owned());
        }
        let obj = CtyType::Object(attrs, Some(optional));
        match self.nesting {
            Nesting::List => CtyType::List(Box::new(obj)),
            Nesting::Set => CtyType::Set(Box::new(obj)),
            Nesting::Map => CtyType::Map(Box::new(obj)),
            Nesting::Single | Nesting::Group => obj,
        }
    }
}

fn single() -> Nesting {
    Nesting::Single
}

fn list() -> Nesting {
    Nesting::List
}

/// How a nested block (or nested attribute type) repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Nesting {
    /// At most one, written as an object.
    Single,
    /// A single object that Terraform treats as always present.
    Group,
    /// An ordered list.
    List,
    /// An unordered set.
    Set,
    /// Keyed by label.
    Map,
}

/// A nested block type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BlockType {
    /// Repetition (`list` when absent).
    #[serde(rename = "nesting_mode", default = "list")]
    pub nesting: Nesting,
    /// Minimum number of blocks.
    #[serde(default)]
    pub min_items: u64,
    /// Maximum number of blocks (0 = unlimited).
    #[serde(default)]
    pub max_items: u64,
    /// The block's own schema.
    pub block: Block,
}
