//! The schema as the generator sees it (attributes, nested blocks, cty types) and the
//! Rust model the templates render: structs, fields, setters, getters, test values.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

/// A Terraform value type.
#[derive(Debug, Clone)]
pub enum Ty {
    Str,
    Num,
    Bool,
    Dyn,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    /// An object type; `strict` when every field must be written (a cty object type
    /// without optional attributes: terraform rejects a JSON object that leaves one out,
    /// so unset fields are written as `null`).
    Obj(Vec<(String, AttrSchema)>, bool),
}

/// One attribute (of a block, or a field of an object type).
#[derive(Debug, Clone)]
pub struct AttrSchema {
    pub ty: Ty,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    pub write_only: bool,
    pub description: String,
}

/// How a nested block repeats, reduced to what the builder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `single`, or list/set with `max_items = 1`: one optional block, written as an object.
    One,
    /// A list block: getter indexes with `[i]`.
    List,
    /// A set block: readable only through `tolist`.
    Set,
    /// Blocks keyed by label.
    Map,
}

#[derive(Debug, Clone)]
pub struct BlockTypeSchema {
    pub mode: Mode,
    /// `single` nesting: read as an object, not as a one-element list.
    pub single: bool,
    pub min_items: u64,
    pub block: BlockSchema,
}

#[derive(Debug, Clone, Default)]
pub struct BlockSchema {
    pub attrs: Vec<(String, AttrSchema)>,
    pub blocks: Vec<(String, BlockTypeSchema)>,
    pub description: String,
    pub deprecated: bool,
}

fn flag(j: &Json, k: &str) -> bool {
    j.get(k).and_then(Json::as_bool).unwrap_or(false)
}

fn text(j: &Json, k: &str) -> String {
    j.get(k)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

fn parse_cty(j: &Json) -> Result<Ty, String> {
    match j {
        Json::String(s) => match s.as_str() {
            "string" => Ok(Ty::Str),
            "number" => Ok(Ty::Num),
            "bool" => Ok(Ty::Bool),
            "dynamic" => Ok(Ty::Dyn),
            o => Err(format!("unknown type {o}")),
        },
        Json::Array(a) if a.len() >= 2 => {
            let kind = a[0].as_str().unwrap_or_default();
            match kind {
                "list" => Ok(Ty::List(Box::new(parse_cty(&a[1])?))),
                "set" => Ok(Ty::Set(Box::new(parse_cty(&a[1])?))),
                "map" => Ok(Ty::Map(Box::new(parse_cty(&a[1])?))),
                "tuple" => Ok(Ty::Dyn),
                "object" => {
                    let optional: Option<Vec<&str>> = a
                        .get(2)
                        .and_then(Json::as_array)
                        .map(|v| v.iter().filter_map(Json::as_str).collect());
                    let mut fields = Vec::new();
                    if let Json::Object(o) = &a[1] {
                        for (k, v) in o {
                            let required = optional
                                .as_ref()
                                .is_some_and(|opt| !opt.contains(&k.as_str()));
                            fields.push((
                                k.clone(),
                                AttrSchema {
                                    ty: parse_cty(v)?,
                                    required,
                                    optional: !required,
                                    computed: false,
                                    sensitive: false,
                                    deprecated: false,
                                    write_only: false,
                                    description: String::new(),
                                },
                            ));
                        }
                    }
                    Ok(Ty::Obj(fields, optional.is_none()))
                }
                o => Err(format!("unknown type {o}")),
            }
        }
        o => Err(format!("unknown type {o}")),
    }
}

fn parse_attr(name: &str, a: &Json) -> Result<AttrSchema, String> {
    let ty = if let Some(t) = a.get("type") {
        parse_cty(t).map_err(|e| format!("{name}: {e}"))?
    } else if let Some(nt) = a.get("nested_type") {
        let mut fields = Vec::new();
        if let Some(Json::Object(o)) = nt.get("attributes") {
            for (k, v) in o {
                fields.push((k.clone(), parse_attr(k, v)?));
            }
        }
        let obj = Ty::Obj(fields, false);
        match nt
            .get("nesting_mode")
            .and_then(Json::as_str)
            .unwrap_or("single")
        {
            "list" => Ty::List(Box::new(obj)),
            "set" => Ty::Set(Box::new(obj)),
            "map" => Ty::Map(Box::new(obj)),
            _ => obj,
        }
    } else {
        return Err(format!("{name}: attribute without a type"));
    };
    Ok(AttrSchema {
        ty,
        required: flag(a, "required"),
        optional: flag(a, "optional"),
        computed: flag(a, "computed"),
        sensitive: flag(a, "sensitive"),
        deprecated: flag(a, "deprecated"),
        write_only: flag(a, "write_only"),
        description: text(a, "description"),
    })
}

impl BlockSchema {
    pub fn parse(j: &Json) -> Result<BlockSchema, String> {
        let mut b = BlockSchema {
            description: text(j, "description"),
            deprecated: flag(j, "deprecated"),
            ..Default::default()
        };
        if let Some(Json::Object(o)) = j.get("attributes") {
            for (k, v) in o {
                b.attrs.push((k.clone(), parse_attr(k, v)?));
            }
        }
        if let Some(Json::Object(o)) = j.get("block_types") {
            for (k, v) in o {
                let nesting = v
                    .get("nesting_mode")
                    .and_then(Json::as_str)
                    .unwrap_or("list");
                let max = v.get("max_items").and_then(Json::as_u64).unwrap_or(0);
                let min = v.get("min_items").and_then(Json::as_u64).unwrap_or(0);
                let mode = match nesting {
                    "single" | "group" => Mode::One,
                    "list" | "set" if max == 1 => Mode::One,
                    "list" => Mode::List,
                    "set" => Mode::Set,
                    "map" => Mode::Map,
                    o => return Err(format!("{k}: unknown nesting mode {o}")),
                };
                let inner = v.get("block").ok_or_else(|| format!("{k}: no block"))?;
                b.blocks.push((
                    k.clone(),
                    BlockTypeSchema {
                        mode,
                        single: matches!(nesting, "single" | "group"),
                        min_items: min,
                        block: BlockSchema::parse(inner).map_err(|e| format!("{k}.{e}"))?,
                    },
                ));
            }
        }
        Ok(b)
    }
}

/// A provider schema file.
pub struct ProviderFile {
    /// Extracted from a cdktf package rather than read from the provider: optional and
    /// optional+computed cannot be told apart there.
    pub extracted: bool,
    pub source: String,
    pub version: String,
    pub provider: BlockSchema,
    pub resources: BTreeMap<String, BlockSchema>,
    pub data_sources: BTreeMap<String, BlockSchema>,
}

impl ProviderFile {
    pub fn parse(text: &str) -> Result<ProviderFile, String> {
        let j: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let meta = j.get("terrane").ok_or("no `terrane` key")?;
        let ps = j
            .get("provider_schemas")
            .and_then(Json::as_object)
            .and_then(|o| o.values().next())
            .ok_or("no provider_schemas")?;
        let mut f = ProviderFile {
            extracted: !text_of(meta, "extracted_from").contains("providers schema"),
            source: text_of(meta, "source"),
            version: text_of(meta, "version"),
            provider: match ps.get("provider").and_then(|p| p.get("block")) {
                Some(b) => BlockSchema::parse(b).map_err(|e| format!("provider: {e}"))?,
                None => BlockSchema::default(),
            },
            resources: BTreeMap::new(),
            data_sources: BTreeMap::new(),
        };
        for (key, map) in [
            ("resource_schemas", &mut f.resources),
            ("data_source_schemas", &mut f.data_sources),
        ] {
            if let Some(Json::Object(o)) = ps.get(key) {
                for (ty, v) in o {
                    let b = v.get("block").ok_or_else(|| format!("{ty}: no block"))?;
                    map.insert(
                        ty.clone(),
                        BlockSchema::parse(b).map_err(|e| format!("{ty}: {e}"))?,
                    );
                }
            }
        }
        Ok(f)
    }
}

fn text_of(j: &Json, k: &str) -> String {
    text(j, k)
}

// ---------------------------------------------------------------------------
// The Rust model

/// An attribute as rendered: field, setter, getter, test value.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Terraform name.
    pub name: String,
    /// Field and setter name.
    pub ident: String,
    /// Getter name.
    pub getter: String,
    /// One line: name, type, required or not.
    pub summary: String,
    /// `T` of `Value<T>`.
    pub value_ty: String,
    /// What the getter returns.
    pub getter_ty: String,
    pub settable: bool,
    pub required: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    pub readable: bool,
    pub docs: Vec<String>,
    pub getter_docs: Vec<String>,
    /// A literal of the value type, for tests (`"x"`, `1`, `vec!["x"]`).
    pub sample: String,
}

/// A nested block as rendered.
#[derive(Debug, Clone, Serialize)]
pub struct BlockField {
    pub name: String,
    pub ident: String,
    pub getter: String,
    pub struct_name: String,
    /// `one`, `list`, `set` or `map`.
    pub mode: &'static str,
    pub required: bool,
    pub getter_ty: String,
    pub deprecated: bool,
    pub docs: Vec<String>,
    pub getter_docs: Vec<String>,
}

/// A required argument, taken by the constructor or the args struct.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub ident: String,
    /// The field's stored type (`Value<String>`, `Template`).
    pub ty: String,
    /// Constructor parameter type (`impl Into<Value<String>>`, `Template`).
    pub param_ty: String,
    /// How the constructor stores it (`v.into()`, `v`, `vec![v]`).
    pub store: String,
    pub is_block: bool,
    /// One line for the constructor's documentation.
    pub summary: String,
    /// Repeated block: the field is a `Vec` and the first block is required.
    pub repeated: bool,
    pub docs: Vec<String>,
    pub sample: String,
}

/// One Rust struct (a resource, data source, provider, block or object type) or, for
/// object types nobody can set, a marker type that only names the accessor.
#[derive(Debug, Clone, Serialize)]
pub struct StructDef {
    pub name: String,
    /// `resource`, `data`, `provider`, `block`, `object`, `marker`.
    pub kind: &'static str,
    pub docs: Vec<String>,
    pub fields: Vec<Field>,
    pub blocks: Vec<BlockField>,
    pub params: Vec<Param>,
    pub args_struct: Option<String>,
    /// Whether any argument or block can be set (else the body is always empty).
    pub has_args: bool,
    /// Unset fields are written as `null` (see [`Ty::Obj`]).
    pub write_nulls: bool,
    /// Expression for a minimal value of this type (all required arguments, nothing else).
    pub minimal: String,
    /// Expression for a maximal value (every argument and block set).
    pub maximal: String,
}

/// One generated file: a resource, data source or provider type and everything nested in it.
#[derive(Debug, Clone, Serialize)]
pub struct TypeFile {
    /// `resource`, `data`, `provider`.
    pub kind: &'static str,
    pub tf_type: String,
    pub service: String,
    pub module: String,
    pub name: String,
    pub ref_name: String,
    pub link: String,
    pub provider_fn: String,
    pub root: StructDef,
    pub nested: Vec<StructDef>,
    pub deprecated: bool,
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Builder methods every generated struct has besides the setters.
const BUILDER_RESERVED: &[&str] = &[
    "new",
    "to_tree",
    "to_body",
    "provider",
    "resource_type",
    "data_type",
    "alias",
    "required",
    "alias_name",
    "clone",
    "fmt",
    "default",
];
/// Methods of handles (`Handle`) and accessors (`ObjectExpr`).
const GETTER_RESERVED: &[&str] = &[
    "address",
    "at",
    "key",
    "whole",
    "base",
    "from_base",
    "expr",
    "clone",
    "fmt",
    "eq",
];

/// A Rust identifier for a Terraform name: keywords get a trailing `_`.
pub fn ident(name: &str, reserved: &[&str]) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    } else if reserved.contains(&s.as_str()) {
        s.push_str("_attr");
    }
    s
}

/// `cloud_run_v2_service` -> `CloudRunV2Service`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = part.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out
}

/// Doc comment lines from a provider description: trimmed, code fences made inert
/// (a description is never a doctest), empty lines collapsed.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    // width of the marker of the list item being continued, if any
    let mut list_indent: Option<usize> = None;
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r'], "\n")
        .replace('\t', "    ");
    for raw in text.lines() {
        let mut line = raw.trim().to_string();
        if line.starts_with("```") {
            line = if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            };
            in_fence = !in_fence;
            list_indent = None;
        } else if !in_fence {
            line = inert_markdown(&line);
            if line.is_empty() {
                list_indent = None;
            } else if let Some(w) = list_marker(&line) {
                list_indent = Some(w);
            } else if let Some(w) = list_indent {
                // a lazy continuation of a list item: indent it under the item
                line = format!("{}{line}", " ".repeat(w));
            }
        }
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Escapes what rustdoc would take for an intra-doc link (`[PROJECT_ID]`) and wraps
/// bare URLs in `<>`, outside of inline code.
fn inert_markdown(line: &str) -> String {
    let mut out = String::new();
    for (i, seg) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(seg);
            continue;
        }
        let chars: Vec<char> = seg.chars().collect();
        // only a `[...]` pair on one line not followed by `(` is escaped: `[text](url)`
        // stays a link, and a lone bracket (a link spanning lines) is left alone
        let mut keep = vec![true; chars.len()];
        for (j, c) in chars.iter().enumerate() {
            if *c == '[' {
                if let Some(k) = chars[j + 1..]
                    .iter()
                    .position(|c| *c == ']')
                    .map(|k| k + j + 1)
                {
                    if chars.get(k + 1) != Some(&'(') {
                        keep[j] = false;
                        keep[k] = false;
                    }
                }
            }
        }
        let mut j = 0;
        let mut paren_depth = 0;
        while j < chars.len() {
            let c = chars[j];
            let rest: String = chars[j..].iter().take(8).collect();
            if (rest.starts_with("https://") || rest.starts_with("http://"))
                && paren_depth == 0
                && !(j > 0 && chars[j - 1] == '<')
            {
                let mut end = j;
                while end < chars.len()
                    && !chars[end].is_whitespace()
                    && !matches!(chars[end], '<' | '>' | '"')
                {
                    end += 1;
                }
                while end > j && matches!(chars[end - 1], '.' | ',' | ';' | ':' | ')' | '\'' | '"')
                {
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[j..end]);
                out.push('>');
                j = end;
                continue;
            }
            match c {
                '(' if j > 0 && chars[j - 1] == ']' => {
                    paren_depth += 1;
                    out.push(c);
                }
                ')' if paren_depth > 0 => {
                    paren_depth -= 1;
                    out.push(c);
                }
                '[' | ']' if !keep[j] => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
            j += 1;
        }
    }
    out
}

/// The width of a markdown list marker (`* `, `- `, `1. `) starting the line.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("* ") || line.starts_with("- ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        return Some(digits + 2);
    }
    None
}

fn has_obj(t: &Ty) -> bool {
    match t {
        Ty::Obj(..) => true,
        Ty::List(i) | Ty::Set(i) | Ty::Map(i) => has_obj(i),
        _ => false,
    }
}

fn describe(t: &Ty) -> String {
    match t {
        Ty::Str => "string".into(),
        Ty::Num => "number".into(),
        Ty::Bool => "bool".into(),
        Ty::Dyn => "any".into(),
        Ty::List(i) => format!("list({})", describe(i)),
        Ty::Set(i) => format!("set({})", describe(i)),
        Ty::Map(i) => format!("map({})", describe(i)),
        Ty::Obj(..) => "object".into(),
    }
}

/// Builds the structs of one file.
pub struct Builder<'a> {
    pub structs: Vec<StructDef>,
    /// The registry page of the type, for links to each argument.
    pub link: String,
    /// The schema was extracted (see [`ProviderFile::extracted`]).
    pub extracted: bool,
    /// Names nested types must not take (top-level types of the provider, their handles and args).
    pub reserved: &'a std::collections::BTreeSet<String>,
    /// Object fields the provider requires although its schema cannot say so, by
    /// struct name (`services.json`, `required_object_fields`).
    pub required_fields: &'a BTreeMap<String, Vec<String>>,
}

impl Builder<'_> {
    fn nested_name(&self, name: String) -> String {
        if self.reserved.contains(&name) {
            format!("{name}Block")
        } else {
            name
        }
    }

    /// The Rust value type, getter type and sample for a cty type; generates object
    /// structs (settable) or marker types (read-only) named `prefix`.
    fn ty(&mut self, t: &Ty, prefix: &str, settable: bool) -> (String, String, String) {
        match t {
            Ty::Str => ("String".into(), "Expr<String>".into(), "\"x\"".into()),
            Ty::Num => ("Number".into(), "Expr<Number>".into(), "1".into()),
            Ty::Bool => ("bool".into(), "Expr<bool>".into(), "true".into()),
            Ty::Dyn => (
                "Dynamic".into(),
                "Expr<Dynamic>".into(),
                "Tree::empty()".into(),
            ),
            Ty::List(i) | Ty::Set(i) | Ty::Map(i) => {
                let (v, g, s) = self.ty(i, prefix, settable);
                let (coll, acc) = match t {
                    Ty::List(_) => ("List", "ListExpr"),
                    Ty::Set(_) => ("Set", "SetExpr"),
                    _ => ("Map", "MapExpr"),
                };
                let value = format!("{coll}<{v}>");
                let getter = if has_obj(i) {
                    format!("{acc}<{g}>")
                } else {
                    format!("Expr<{value}>")
                };
                let sample = match t {
                    Ty::Map(_) => format!("[(\"k\", {s})]"),
                    _ => format!("vec![{s}]"),
                };
                (value, getter, sample)
            }
            Ty::Obj(fields, strict) => {
                let name = self.nested_name(prefix.to_string());
                self.object(&name, fields, settable, *strict);
                let sample = self
                    .structs
                    .iter()
                    .find(|s| s.name == name)
                    .map(|s| s.minimal.clone())
                    .unwrap_or_default();
                (name.clone(), format!("ObjectExpr<{name}>"), sample)
            }
        }
    }

    fn field(&mut self, parent: &str, name: &str, a: &AttrSchema, settable_ctx: bool) -> Field {
        let settable = settable_ctx && (a.required || a.optional);
        let (value_ty, getter_ty, sample) =
            self.ty(&a.ty, &format!("{parent}{}", camel(name)), settable);
        let mut docs = doc_lines(&a.description);
        let kind = if a.required {
            "required"
        } else if a.optional && a.computed && !self.extracted {
            "optional; the provider sets it when left out"
        } else if a.optional {
            "optional"
        } else {
            "read-only"
        };
        let head = format!(
            "`{name}`: {}, {kind}{}.",
            describe(&a.ty),
            if a.sensitive { ", sensitive" } else { "" }
        );
        let summary = head.clone();
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(head.clone());
        if !self.link.is_empty() {
            docs.push(format!("[Registry documentation]({}#{name})", self.link));
        }
        if a.write_only {
            docs.push("Write-only: never stored in state, so it cannot be read back.".into());
        }
        let mut getter_docs = doc_lines(&a.description);
        if !getter_docs.is_empty() {
            getter_docs.push(String::new());
        }
        getter_docs.push(head);
        if a.computed {
            getter_docs.push("Known after apply.".into());
        }
        Field {
            name: name.to_string(),
            ident: ident(name, BUILDER_RESERVED),
            getter: ident(name, GETTER_RESERVED),
            summary,
            value_ty,
            getter_ty,
            settable,
            required: a.required && settable_ctx,
            sensitive: a.sensitive,
            deprecated: a.deprecated,
            readable: !a.write_only,
            docs,
            getter_docs,
            sample,
        }
    }

    /// A struct for an object type (settable) or a marker (read-only).
    fn object(
        &mut self,
        name: &str,
        fields: &[(String, AttrSchema)],
        settable: bool,
        strict: bool,
    ) {
        if self.structs.iter().any(|s| s.name == name) {
            return;
        }
        let mut fs = Vec::new();
        let must = self.required_fields.get(name).cloned().unwrap_or_default();
        for (n, a) in fields {
            let mut a = a.clone();
            if must.contains(n) {
                a.required = true;
                a.optional = false;
            }
            fs.push(self.field(name, n, &a, settable));
        }
        let docs = vec![if settable {
            "An object value: build it with `new` and the setters.".to_string()
        } else {
            "A read-only object: names the typed accessor `ObjectExpr` of this type.".to_string()
        }];
        let mut def = finish(
            name,
            if settable { "object" } else { "marker" },
            docs,
            fs,
            Vec::new(),
        );
        def.write_nulls = strict;
        if strict && settable {
            def.docs.push(String::new());
            def.docs.push(
                "Terraform needs every field of this object: unset ones are written as `null`."
                    .into(),
            );
        }
        self.structs.push(def);
    }

    /// A struct for a block (resource, data source, provider or nested block).
    pub fn block(
        &mut self,
        name: &str,
        kind: &'static str,
        docs: Vec<String>,
        b: &BlockSchema,
    ) -> StructDef {
        let settable = true;
        let mut fields = Vec::new();
        for (n, a) in &b.attrs {
            fields.push(self.field(name, n, a, settable));
        }
        let mut blocks = Vec::new();
        for (n, bt) in &b.blocks {
            let struct_name = self.nested_name(format!("{name}{}", camel(n)));
            let mut bdocs = doc_lines(&bt.block.description);
            let head = format!(
                "Block `{n}`{}.",
                match (bt.mode, bt.min_items > 0) {
                    (Mode::One, true) => ", required, one",
                    (Mode::One, false) => ", optional, at most one",
                    (_, true) => ", required, repeated (each call adds one)",
                    (_, false) => ", repeated (each call adds one)",
                }
            );
            if !bdocs.is_empty() {
                bdocs.push(String::new());
            }
            bdocs.push(head.clone());
            let mut sdocs = vec![format!("Block `{n}` of [`{name}`].")];
            let d = doc_lines(&bt.block.description);
            if !d.is_empty() {
                sdocs.push(String::new());
                sdocs.extend(d);
            }
            let def = self.block(&struct_name, "block", sdocs, &bt.block);
            self.structs.push(def);
            let obj = format!("ObjectExpr<{struct_name}>");
            let getter_ty = match bt.mode {
                Mode::One if bt.single => obj,
                Mode::One | Mode::List => format!("ListExpr<{obj}>"),
                Mode::Set => format!("SetExpr<{obj}>"),
                Mode::Map => format!("MapExpr<{obj}>"),
            };
            let mut getter_docs = bdocs.clone();
            getter_docs.push("Readable after apply.".into());
            blocks.push(BlockField {
                name: n.clone(),
                ident: ident(n, BUILDER_RESERVED),
                getter: ident(n, GETTER_RESERVED),
                struct_name,
                mode: match bt.mode {
                    Mode::One => "one",
                    Mode::List => "list",
                    Mode::Set => "set",
                    Mode::Map => "map",
                },
                required: bt.min_items > 0 && bt.mode != Mode::Map,
                getter_ty,
                deprecated: bt.block.deprecated,
                docs: bdocs,
                getter_docs,
            });
        }
        let mut def = finish(name, kind, docs, fields, blocks);
        // samples of blocks: minimal uses the nested minimal, maximal the nested maximal
        let lookup = |n: &str, max: bool| {
            self.structs
                .iter()
                .find(|s| s.name == n)
                .map(|s| {
                    if max {
                        s.maximal.clone()
                    } else {
                        s.minimal.clone()
                    }
                })
                .unwrap_or_default()
        };
        def.minimal = def.minimal_template(&lookup);
        def.maximal = def.maximal_template(&lookup);
        def
    }
}

/// Completes a struct: required parameters, args struct, test values.
fn finish(
    name: &str,
    kind: &'static str,
    docs: Vec<String>,
    fields: Vec<Field>,
    blocks: Vec<BlockField>,
) -> StructDef {
    let mut params = Vec::new();
    if kind != "marker" {
        for f in fields.iter().filter(|f| f.required) {
            params.push(Param {
                ident: f.ident.clone(),
                ty: format!("Value<{}>", f.value_ty),
                param_ty: format!("impl Into<Value<{}>>", f.value_ty),
                store: format!("{}.into()", f.ident),
                is_block: false,
                summary: f.summary.clone(),
                repeated: false,
                docs: f.docs.clone(),
                sample: f.sample.clone(),
            });
        }
        for b in blocks.iter().filter(|b| b.required) {
            let repeated = b.mode != "one";
            params.push(Param {
                ident: b.ident.clone(),
                ty: b.struct_name.clone(),
                param_ty: b.struct_name.clone(),
                store: if repeated {
                    format!("vec![{}]", b.ident)
                } else {
                    b.ident.clone()
                },
                is_block: true,
                summary: b.docs.last().cloned().unwrap_or_default(),
                repeated,
                docs: {
                    let mut d = b.docs.clone();
                    if repeated {
                        d.push("The first block; add more with the setter.".into());
                    }
                    d
                },
                sample: String::new(),
            });
        }
    }
    let args_struct = if params.len() > 2 {
        Some(format!("{name}Args"))
    } else {
        None
    };
    let has_args = fields.iter().any(|f| f.settable) || !blocks.is_empty();
    StructDef {
        has_args,
        write_nulls: false,
        name: name.to_string(),
        kind,
        docs,
        fields,
        blocks,
        params,
        args_struct,
        minimal: String::new(),
        maximal: String::new(),
    }
    .with_object_samples()
}

impl StructDef {
    fn with_object_samples(mut self) -> Self {
        if self.kind == "object" || self.kind == "marker" {
            let lookup = |_: &str, _: bool| String::new();
            self.minimal = self.minimal_template(&lookup);
            self.maximal = self.maximal_template(&lookup);
        }
        self
    }

    fn ctor(&self, lookup: &dyn Fn(&str, bool) -> String, max: bool) -> String {
        let sample = |p: &Param| {
            if p.is_block {
                lookup(&p.ty, max)
            } else {
                p.sample.clone()
            }
        };
        match &self.args_struct {
            Some(a) => {
                let fields: Vec<String> = self
                    .params
                    .iter()
                    .map(|p| {
                        if p.is_block {
                            format!("{}: {}", p.ident, sample(p))
                        } else {
                            format!("{}: ({}).into()", p.ident, sample(p))
                        }
                    })
                    .collect();
                format!("{}::new({a} {{ {} }})", self.name, fields.join(", "))
            }
            None => {
                let args: Vec<String> = self.params.iter().map(sample).collect();
                format!("{}::new({})", self.name, args.join(", "))
            }
        }
    }

    fn minimal_template(&self, lookup: &dyn Fn(&str, bool) -> String) -> String {
        if self.kind == "marker" {
            return String::new();
        }
        self.ctor(lookup, false)
    }

    fn maximal_template(&self, lookup: &dyn Fn(&str, bool) -> String) -> String {
        if self.kind == "marker" {
            return String::new();
        }
        let mut s = self.ctor(lookup, true);
        for f in self.fields.iter().filter(|f| f.settable && !f.required) {
            s.push_str(&format!(".{}({})", f.ident, f.sample));
        }
        for b in self
            .blocks
            .iter()
            .filter(|b| !(b.required && b.mode == "one"))
        {
            let inner = lookup(&b.struct_name, true);
            if b.mode == "map" {
                s.push_str(&format!(".{}(\"k\", {inner})", b.ident));
            } else {
                s.push_str(&format!(".{}({inner})", b.ident));
            }
        }
        s
    }
}
