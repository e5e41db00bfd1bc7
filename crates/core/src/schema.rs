//! Provider schemas (the shape of `terraform providers schema -json`, trimmed) and
//! the offline check of every emitted block against them.
//!
//! The check runs at synth for every resource, data source and provider block whose
//! type is in a registered schema, including raw overrides: unknown argument,
//! missing required argument, wrong type, block given as an attribute or the
//! reverse, read-only attribute set, too many blocks where one is allowed.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::tree::Tree;

/// A Terraform type (cty) as given in a provider schema.
#[derive(Debug, Clone, PartialEq)]
pub enum CtyType {
    /// `string`
    String,
    /// `number`
    Number,
    /// `bool`
    Bool,
    /// `dynamic` (any)
    Dynamic,
    /// `list(T)`
    List(Box<CtyType>),
    /// `set(T)`
    Set(Box<CtyType>),
    /// `map(T)`
    Map(Box<CtyType>),
    /// `object({...})` with its optional attribute names.
    Object(BTreeMap<String, CtyType>, Vec<String>),
    /// `tuple([...])`
    Tuple(Vec<CtyType>),
}

impl CtyType {
    /// Parses the JSON form (`"string"`, `["list","string"]`, `["object",{...}]`).
    pub fn from_json(j: &Json) -> std::result::Result<CtyType, String> {
        match j {
            Json::String(s) => match s.as_str() {
                "string" => Ok(CtyType::String),
                "number" => Ok(CtyType::Number),
                "bool" => Ok(CtyType::Bool),
                "dynamic" => Ok(CtyType::Dynamic),
                other => Err(format!("unknown type `{other}`")),
            },
            Json::Array(a) if a.len() >= 2 => {
                let kind = a[0].as_str().unwrap_or_default();
                match kind {
                    "list" => Ok(CtyType::List(Box::new(CtyType::from_json(&a[1])?))),
                    "set" => Ok(CtyType::Set(Box::new(CtyType::from_json(&a[1])?))),
                    "map" => Ok(CtyType::Map(Box::new(CtyType::from_json(&a[1])?))),
                    "object" => {
                        let mut attrs = BTreeMap::new();
                        if let Json::Object(o) = &a[1] {
                            for (k, v) in o {
                                attrs.insert(k.clone(), CtyType::from_json(v)?);
                            }
                        }
                        let optional = a
                            .get(2)
                            .and_then(Json::as_array)
                            .map(|v| {
                                v.iter()
                                    .filter_map(|s| s.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default();
                        Ok(CtyType::Object(attrs, optional))
                    }
                    "tuple" => {
                        let items = a[1]
                            .as_array()
                            .map(|v| {
                                v.iter()
                                    .map(CtyType::from_json)
                                    .collect::<std::result::Result<Vec<_>, _>>()
                            })
                            .transpose()?
                            .unwrap_or_default();
                        Ok(CtyType::Tuple(items))
                    }
                    other => Err(format!("unknown type `{other}`")),
                }
            }
            other => Err(format!("unknown type {other}")),
        }
    }

    /// Short name for messages.
    pub fn describe(&self) -> String {
        match self {
            CtyType::String => "string".into(),
            CtyType::Number => "number".into(),
            CtyType::Bool => "bool".into(),
            CtyType::Dynamic => "any".into(),
            CtyType::List(t) => format!("list({})", t.describe()),
            CtyType::Set(t) => format!("set({})", t.describe()),
            CtyType::Map(t) => format!("map({})", t.describe()),
            CtyType::Object(..) => "object".into(),
            CtyType::Tuple(_) => "tuple".into(),
        }
    }
}

/// An attribute of a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// Its type.
    pub ty: CtyType,
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
    /// Provider description.
    pub description: String,
}

/// How a nested block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// At most one, written as an object.
    Single,
    /// A single object that Terraform treats as always present.
    Group,
    /// An ordered list of blocks.
    List,
    /// An unordered set of blocks.
    Set,
    /// Blocks keyed by label.
    Map,
}

/// A nested block type.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockType {
    /// Repetition.
    pub nesting: Nesting,
    /// Minimum number of blocks.
    pub min_items: u64,
    /// Maximum number of blocks (0 = unlimited).
    pub max_items: u64,
    /// The block's own schema.
    pub block: Block,
}

/// A block schema: attributes and nested blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    /// Attributes by name.
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested block types by name.
    pub block_types: BTreeMap<String, BlockType>,
    /// Provider description.
    pub description: String,
}

impl Block {
    fn from_json(j: &Json) -> std::result::Result<Block, String> {
        let mut b = Block {
            description: j
                .get("description")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string(),
            ..Block::default()
        };
        if let Some(Json::Object(attrs)) = j.get("attributes") {
            for (name, a) in attrs {
                let flag = |k: &str| a.get(k).and_then(Json::as_bool).unwrap_or(false);
                let ty = if let Some(t) = a.get("type") {
                    CtyType::from_json(t).map_err(|e| format!("{name}: {e}"))?
                } else if let Some(nt) = a.get("nested_type") {
                    nested_type_to_cty(nt).map_err(|e| format!("{name}: {e}"))?
                } else {
                    return Err(format!("{name}: attribute without type"));
                };
                b.attributes.insert(
                    name.clone(),
                    Attribute {
                        ty,
                        required: flag("required"),
                        optional: flag("optional"),
                        computed: flag("computed"),
                        sensitive: flag("sensitive"),
                        deprecated: flag("deprecated"),
                        description: a
                            .get("description")
                            .and_then(Json::as_str)
                            .unwrap_or_default()
                            .to_string(),
                    },
                );
            }
        }
        if let Some(Json::Object(blocks)) = j.get("block_types") {
            for (name, bt) in blocks {
                let nesting = match bt
                    .get("nesting_mode")
                    .and_then(Json::as_str)
                    .unwrap_or("list")
                {
                    "single" => Nesting::Single,
                    "group" => Nesting::Group,
                    "list" => Nesting::List,
                    "set" => Nesting::Set,
                    "map" => Nesting::Map,
                    other => return Err(format!("{name}: unknown nesting_mode `{other}`")),
                };
                let inner = bt
                    .get("block")
                    .ok_or_else(|| format!("{name}: block type without block"))?;
                b.block_types.insert(
                    name.clone(),
                    BlockType {
                        nesting,
                        min_items: bt.get("min_items").and_then(Json::as_u64).unwrap_or(0),
                        max_items: bt.get("max_items").and_then(Json::as_u64).unwrap_or(0),
                        block: Block::from_json(inner).map_err(|e| format!("{name}.{e}"))?,
                    },
                );
            }
        }
        Ok(b)
    }
}

fn nested_type_to_cty(nt: &Json) -> std::result::Result<CtyType, String> {
    let mut attrs = BTreeMap::new();
    let mut optional = Vec::new();
    if let Some(Json::Object(a)) = nt.get("attributes") {
        for (k, v) in a {
            let t = if let Some(t) = v.get("type") {
                CtyType::from_json(t)?
            } else if let Some(n) = v.get("nested_type") {
                nested_type_to_cty(n)?
            } else {
                CtyType::Dynamic
            };
            if !v.get("required").and_then(Json::as_bool).unwrap_or(false) {
                optional.push(k.clone());
            }
            attrs.insert(k.clone(), t);
        }
    }
    let obj = CtyType::Object(attrs, optional);
    Ok(
        match nt
            .get("nesting_mode")
            .and_then(Json::as_str)
            .unwrap_or("single")
        {
            "list" => CtyType::List(Box::new(obj)),
            "set" => CtyType::Set(Box::new(obj)),
            "map" => CtyType::Map(Box::new(obj)),
            _ => obj,
        },
    )
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
    /// The provider configuration block.
    pub provider: Option<Block>,
    /// Resource types.
    pub resources: BTreeMap<String, Block>,
    /// Data source types.
    pub data_sources: BTreeMap<String, Block>,
}

impl ProviderSchema {
    /// Parses a schema file in the shape of `terraform providers schema -json`
    /// (one provider), with the `terrane` key naming provider, source and version.
    pub fn from_json(text: &str) -> Result<ProviderSchema> {
        let err = |m: String| Error::Schema {
            name: "schema".into(),
            message: m,
        };
        let j: Json = serde_json::from_str(text).map_err(|e| err(e.to_string()))?;
        let meta = j.get("terrane");
        let get_meta = |k: &str| {
            meta.and_then(|m| m.get(k))
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let ps = j
            .get("provider_schemas")
            .and_then(Json::as_object)
            .ok_or_else(|| err("no provider_schemas".into()))?;
        let (addr, p) = ps
            .iter()
            .next()
            .ok_or_else(|| err("provider_schemas is empty".into()))?;
        let mut s = ProviderSchema {
            name: get_meta("provider"),
            source: get_meta("source"),
            version: get_meta("version"),
            ..Default::default()
        };
        if s.name.is_empty() {
            s.name = addr.rsplit('/').next().unwrap_or_default().to_string();
        }
        if let Some(b) = p.get("provider").and_then(|p| p.get("block")) {
            s.provider = Some(Block::from_json(b).map_err(|e| err(format!("provider: {e}")))?);
        }
        for (key, map) in [
            ("resource_schemas", &mut s.resources),
            ("data_source_schemas", &mut s.data_sources),
        ] {
            if let Some(Json::Object(o)) = p.get(key) {
                for (ty, v) in o {
                    let b = v
                        .get("block")
                        .ok_or_else(|| err(format!("{ty}: no block")))?;
                    map.insert(
                        ty.clone(),
                        Block::from_json(b).map_err(|e| err(format!("{ty}: {e}")))?,
                    );
                }
            }
        }
        Ok(s)
    }
}

/// The schemas the offline check knows, looked up by type name.
#[derive(Debug, Clone, Default)]
pub struct SchemaSet {
    providers: Vec<Arc<ProviderSchema>>,
    resources: HashMap<String, (usize, String)>,
    data: HashMap<String, (usize, String)>,
    by_name: HashMap<String, usize>,
}

impl SchemaSet {
    /// An empty set (no check).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a provider schema.
    pub fn add(&mut self, p: Arc<ProviderSchema>) -> &mut Self {
        let i = self.providers.len();
        for ty in p.resources.keys() {
            self.resources.insert(ty.clone(), (i, ty.clone()));
        }
        for ty in p.data_sources.keys() {
            self.data.insert(ty.clone(), (i, ty.clone()));
        }
        self.by_name.insert(p.name.clone(), i);
        self.providers.push(p);
        self
    }

    /// Adds every provider of another set.
    pub fn extend(&mut self, other: SchemaSet) {
        for p in other.providers {
            self.add(p);
        }
    }

    /// True when no schema is registered.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }

    /// The schema of a resource type, if known.
    pub fn resource(&self, ty: &str) -> Option<&Block> {
        self.resources
            .get(ty)
            .and_then(|(i, t)| self.providers[*i].resources.get(t))
    }

    /// The schema of a data source type, if known.
    pub fn data_source(&self, ty: &str) -> Option<&Block> {
        self.data
            .get(ty)
            .and_then(|(i, t)| self.providers[*i].data_sources.get(t))
    }

    /// The provider configuration schema, if known.
    pub fn provider(&self, name: &str) -> Option<&Block> {
        self.by_name
            .get(name)
            .and_then(|i| self.providers[*i].provider.as_ref())
    }

    /// Whether a provider's schema is registered.
    pub fn knows_provider(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }
}

/// One schema problem: argument path and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    /// Argument path (`template.containers[0].image`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Meta-argument keys that are not part of a type's schema.
const META_KEYS: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
    "alias",
];

/// Checks a block body against its schema; returns every problem.
///
/// ```
/// use terrane_core::schema::{check_body, ProviderSchema};
/// use terrane_core::Tree;
/// let schema = ProviderSchema::from_json(r#"{"provider_schemas":{"x/y":{"resource_schemas":{
///   "y_thing":{"block":{"attributes":{"name":{"type":"string","required":true}}}}}}}}"#).unwrap();
/// let problems = check_body(&schema.resources["y_thing"], &Tree::object([("nmae", Tree::from("a"))]), true);
/// assert_eq!(problems[0].message, "unknown argument `nmae` (did you mean `name`?)");
/// ```
pub fn check_body(schema: &Block, body: &Tree, top_level: bool) -> Vec<SchemaProblem> {
    let mut out = Vec::new();
    check_block(schema, body, "", top_level, &mut out);
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn problem(out: &mut Vec<SchemaProblem>, path: String, message: String) {
    out.push(SchemaProblem { path, message });
}

fn check_block(schema: &Block, body: &Tree, path: &str, top: bool, out: &mut Vec<SchemaProblem>) {
    let items = match body {
        Tree::Object(items) => items,
        Tree::Expr(_) => {
            problem(
                out,
                path.to_string(),
                "a block cannot be an expression".into(),
            );
            return;
        }
        _ => {
            problem(out, path.to_string(), "expected a block (an object)".into());
            return;
        }
    };
    for (key, value) in items {
        if top && META_KEYS.contains(&key.as_str()) {
            continue;
        }
        let p = join(path, key);
        if let Some(a) = schema.attributes.get(key) {
            if a.computed && !a.optional && !a.required {
                problem(
                    out,
                    p,
                    "is read-only (computed by the provider) and cannot be set".into(),
                );
                continue;
            }
            if matches!(value, Tree::Null) {
                if a.required {
                    problem(out, p, "is required and cannot be null".into());
                }
                continue;
            }
            check_value(&a.ty, value, &p, out);
        } else if let Some(bt) = schema.block_types.get(key) {
            check_nested(bt, value, &p, out);
        } else {
            let suggestion = closest(
                key,
                schema.attributes.keys().chain(schema.block_types.keys()),
            );
            let msg = match suggestion {
                Some(s) => format!("unknown argument `{key}` (did you mean `{s}`?)"),
                None => format!("unknown argument `{key}`"),
            };
            problem(out, p, msg);
        }
    }
    for (name, a) in &schema.attributes {
        if a.required && !items.iter().any(|(k, _)| k == name) {
            problem(out, join(path, name), "missing required argument".into());
        }
    }
    for (name, bt) in &schema.block_types {
        if bt.min_items > 0 && !items.iter().any(|(k, _)| k == name) {
            problem(
                out,
                join(path, name),
                format!("missing required block (at least {})", bt.min_items),
            );
        }
    }
}

fn check_nested(bt: &BlockType, value: &Tree, p: &str, out: &mut Vec<SchemaProblem>) {
    match value {
        Tree::Object(_) if bt.nesting == Nesting::Map => {
            if let Tree::Object(entries) = value {
                for (k, v) in entries {
                    check_block(&bt.block, v, &join(p, k), false, out);
                }
            }
        }
        Tree::Object(_) => {
            if bt.nesting == Nesting::Map {
                return;
            }
            check_block(&bt.block, value, p, false, out)
        }
        Tree::List(items) => {
            if bt.nesting == Nesting::Single || bt.nesting == Nesting::Group {
                if items.len() > 1 {
                    problem(
                        out,
                        p.to_string(),
                        format!("is a single block; {} were given", items.len()),
                    );
                }
            } else if bt.max_items > 0 && items.len() as u64 > bt.max_items {
                problem(
                    out,
                    p.to_string(),
                    format!(
                        "allows at most {} block(s); {} were given",
                        bt.max_items,
                        items.len()
                    ),
                );
            }
            if (items.len() as u64) < bt.min_items {
                problem(
                    out,
                    p.to_string(),
                    format!(
                        "needs at least {} block(s); {} were given",
                        bt.min_items,
                        items.len()
                    ),
                );
            }
            for (i, it) in items.iter().enumerate() {
                check_block(&bt.block, it, &format!("{p}[{i}]"), false, out);
            }
        }
        Tree::Null => {}
        Tree::Expr(_) => problem(
            out,
            p.to_string(),
            "is a block; give it as an object (or a list of objects), not an expression".into(),
        ),
        _ => problem(
            out,
            p.to_string(),
            "is a block; give it as an object (or a list of objects), not as an attribute value"
                .into(),
        ),
    }
}

fn tree_kind(t: &Tree) -> &'static str {
    match t {
        Tree::Null => "null",
        Tree::Bool(_) => "bool",
        Tree::Num(_) => "number",
        Tree::Str(_) => "string",
        Tree::Expr(_) => "expression",
        Tree::List(_) => "list",
        Tree::Object(_) => "object",
    }
}

fn check_value(ty: &CtyType, v: &Tree, p: &str, out: &mut Vec<SchemaProblem>) {
    if matches!(v, Tree::Expr(_) | Tree::Null) {
        return;
    }
    let wrong = |out: &mut Vec<SchemaProblem>| {
        problem(
            out,
            p.to_string(),
            format!("expected {}, got {}", ty.describe(), tree_kind(v)),
        )
    };
    match ty {
        CtyType::Dynamic => {}
        CtyType::String => {
            // Terraform converts numbers and bools to strings.
            if !matches!(v, Tree::Str(_) | Tree::Num(_) | Tree::Bool(_)) {
                wrong(out)
            }
        }
        CtyType::Number => match v {
            Tree::Num(_) => {}
            Tree::Str(s) if s.trim().parse::<f64>().is_ok() => {}
            _ => wrong(out),
        },
        CtyType::Bool => match v {
            Tree::Bool(_) => {}
            Tree::Str(s) if s == "true" || s == "false" => {}
            _ => wrong(out),
        },
        CtyType::List(inner) | CtyType::Set(inner) => match v {
            Tree::List(items) => {
                for (i, it) in items.iter().enumerate() {
                    check_value(inner, it, &format!("{p}[{i}]"), out);
                }
            }
            _ => wrong(out),
        },
        CtyType::Tuple(types) => match v {
            Tree::List(items) => {
                for (i, (t, it)) in types.iter().zip(items).enumerate() {
                    check_value(t, it, &format!("{p}[{i}]"), out);
                }
            }
            _ => wrong(out),
        },
        CtyType::Map(inner) => match v {
            Tree::Object(items) => {
                for (k, it) in items {
                    check_value(inner, it, &format!("{p}[\"{k}\"]"), out);
                }
            }
            _ => wrong(out),
        },
        CtyType::Object(attrs, optional) => match v {
            Tree::Object(items) => {
                // Terraform converts an object value only when every attribute of the
                // type is present (null is fine), unless the type marks it optional.
                for name in attrs.keys() {
                    if !optional.contains(name) && !items.iter().any(|(k, _)| k == name) {
                        problem(out, join(p, name), format!("missing attribute `{name}` of the object (give null to leave it unset)"));
                    }
                }
                for (k, it) in items {
                    match attrs.get(k) {
                        Some(t) => check_value(t, it, &join(p, k), out),
                        None => {
                            let msg = match closest(k, attrs.keys()) {
                                Some(s) => format!("unknown attribute `{k}` (did you mean `{s}`?)"),
                                None => format!("unknown attribute `{k}`"),
                            };
                            problem(out, join(p, k), msg)
                        }
                    }
                }
            }
            _ => wrong(out),
        },
    }
}

fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if d <= 2.max(word.len() / 4) && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    best.map(|(c, _)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}
