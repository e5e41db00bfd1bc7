//! A provider schema embedded in the binary and parsed at first use, type by type:
//! the first lookup only indexes the file (each type's block is kept as raw JSON), and
//! each type's block is parsed when it is first looked up. Start-up does not grow
//! with schema size, and a program pays only for the types it checks.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::value::RawValue;

use crate::block::Block;
use crate::error::ParseError;
use crate::provider::{ProviderSchema, TypeSchema};
use crate::raw::RawFile;

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
    prepared: Option<&'static Prepared>,
    index: OnceLock<Result<Index, ParseError>>,
    whole: OnceLock<Result<ProviderSchema, ParseError>>,
}

/// A type's parsed block. Boxed: a table holds a slot per type (2,141 for aws) and
/// fills only those looked up, so an empty slot is one pointer, not a parsed schema.
type Parsed = OnceLock<Box<Result<TypeSchema, ParseError>>>;

fn parse<'a>(slot: &'a Parsed, raw: &str) -> Result<&'a Block, ParseError> {
    slot.get_or_init(|| Box::new(serde_json::from_str(raw).map_err(ParseError::from)))
        .as_ref()
        .as_ref()
        .map(|t| &t.block)
        .map_err(Clone::clone)
}

/// One type's block: raw JSON until its first lookup.
#[derive(Debug)]
struct Lazy {
    raw: &'static str,
    parsed: Parsed,
}

impl Lazy {
    fn new(raw: &'static str) -> Self {
        Lazy {
            raw,
            parsed: OnceLock::new(),
        }
    }

    fn get(&self) -> Result<&Block, ParseError> {
        parse(&self.parsed, self.raw)
    }
}

/// Where a table's types and their raw JSON are.
#[derive(Debug)]
enum Rows {
    /// Indexed at run time: names and texts, sorted by name.
    Scanned(Vec<(&'static str, &'static str)>),
    /// Prepared at build time: names and byte ranges of `text`, sorted by name; read
    /// in place, so the first lookup copies nothing.
    Prepared {
        text: &'static str,
        rows: &'static [(&'static str, usize, usize)],
    },
}

impl Rows {
    fn len(&self) -> usize {
        match self {
            Rows::Scanned(v) => v.len(),
            Rows::Prepared { rows, .. } => rows.len(),
        }
    }

    /// The position and raw JSON of type `ty`.
    fn find(&self, ty: &str) -> Option<(usize, Result<&'static str, ParseError>)> {
        match self {
            Rows::Scanned(v) => {
                let i = v.binary_search_by(|(name, _)| (*name).cmp(ty)).ok()?;
                Some((i, Ok(v[i].1)))
            }
            Rows::Prepared { text, rows } => {
                let i = rows.binary_search_by(|(name, ..)| (*name).cmp(ty)).ok()?;
                let (_, start, end) = rows[i];
                Some((i, slice(text, start, end)))
            }
        }
    }
}

fn slice(text: &'static str, start: usize, end: usize) -> Result<&'static str, ParseError> {
    text.get(start..end)
        .ok_or_else(|| ParseError::new("prepared index out of step with the file"))
}

/// The types of one kind and a parse slot for each.
#[derive(Debug)]
struct Table {
    rows: Rows,
    parsed: Box<[Parsed]>,
}

impl Table {
    fn new(rows: Rows) -> Table {
        let parsed = (0..rows.len()).map(|_| OnceLock::new()).collect();
        Table { rows, parsed }
    }

    fn get(&self, ty: &str) -> Option<Result<&Block, ParseError>> {
        let (i, raw) = self.rows.find(ty)?;
        Some(raw.and_then(|raw| parse(&self.parsed[i], raw)))
    }
}

#[derive(Debug)]
struct Index {
    provider: Option<Lazy>,
    resources: Table,
    data_sources: Table,
    ephemeral_resources: Table,
}

/// Where each type's block sits in an embedded file (byte offsets of its JSON text),
/// prepared at build time so that nothing is scanned at run time; tables sorted by
/// type name.
#[derive(Debug)]
pub struct Prepared {
    /// The provider configuration's schema.
    pub provider: Option<(usize, usize)>,
    /// Resource types.
    pub resources: &'static [(&'static str, usize, usize)],
    /// Data source types.
    pub data_sources: &'static [(&'static str, usize, usize)],
    /// Ephemeral resource types.
    pub ephemeral_resources: &'static [(&'static str, usize, usize)],
}

fn scanned_table(raw: BTreeMap<&'static str, &'static RawValue>) -> Table {
    // a BTreeMap iterates in name order: the rows are sorted
    Table::new(Rows::Scanned(
        raw.into_iter().map(|(k, v)| (k, v.get())).collect(),
    ))
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
            provider: p.provider.map(|raw| Lazy::new(raw.get())),
            resources: scanned_table(p.resource_schemas),
            data_sources: scanned_table(p.data_source_schemas),
            ephemeral_resources: scanned_table(p.ephemeral_resource_schemas),
        })
    }

    fn from_prepared(text: &'static str, p: &'static Prepared) -> Result<Index, ParseError> {
        let table = |rows| Table::new(Rows::Prepared { text, rows });
        Ok(Index {
            provider: p
                .provider
                .map(|(start, end)| slice(text, start, end).map(Lazy::new))
                .transpose()?,
            resources: table(p.resources),
            data_sources: table(p.data_sources),
            ephemeral_resources: table(p.ephemeral_resources),
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
            prepared: None,
            index: OnceLock::new(),
            whole: OnceLock::new(),
        }
    }

    /// A schema whose index was prepared at build time (the embedded files): the first
    /// lookup scans nothing.
    pub const fn prepared(
        name: &'static str,
        text: &'static str,
        index: &'static Prepared,
    ) -> Self {
        LazySchema {
            name,
            text,
            prepared: Some(index),
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
            .get_or_init(|| match self.prepared {
                Some(p) => Index::from_prepared(self.text, p),
                None => Index::build(self.text),
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The block of a resource type, if the schema has it.
    pub fn resource(&self, ty: &str) -> Result<Option<&Block>, ParseError> {
        self.index()?.resources.get(ty).transpose()
    }

    /// The block of a data source type, if the schema has it.
    pub fn data_source(&self, ty: &str) -> Result<Option<&Block>, ParseError> {
        self.index()?.data_sources.get(ty).transpose()
    }

    /// The block of an ephemeral resource type, if the schema has it.
    pub fn ephemeral_resource(&self, ty: &str) -> Result<Option<&Block>, ParseError> {
        self.index()?.ephemeral_resources.get(ty).transpose()
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
