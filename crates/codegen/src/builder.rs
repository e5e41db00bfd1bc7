//! Builds the Rust model of one type from its block schema: a struct per block and
//! per object type, fields with setters and getters, nested names kept unique.

use std::collections::BTreeMap;

use terrane_schema::{Block, BlockType};

use crate::docs::doc_lines;
use crate::names::{camel, ident, BUILDER_RESERVED, GETTER_RESERVED};
use crate::rust_model::{BlockField, Field, StructDef};
use crate::samples::finish;
use crate::view::{attr_view, block_mode, is_single, AttrSchema, Mode, Ty};

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

/// The struct name of a nested field: parent and field name in camel case. A field
/// named `args` or `ref` gets `Block` appended, or it would take the name of its
/// parent's args struct or of a handle (aws_glue_script's `dag_node.args`).
fn child_name(parent: &str, field: &str) -> String {
    match field {
        "args" | "ref" => format!("{parent}{}Block", camel(field)),
        _ => format!("{parent}{}", camel(field)),
    }
}

/// Builds the structs of one file.
pub struct Builder<'a> {
    pub structs: Vec<StructDef>,
    /// The schema was extracted (see `ProviderSchema::is_from_provider`, negated).
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
        let (value_ty, getter_ty, sample) = self.ty(&a.ty, &child_name(parent, name), settable);
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
        // the registry link is on the type's own documentation: one per field was an
        // eighth of the generated code
        docs.push(head.clone());
        if a.write_only {
            docs.push("Write-only (Terraform 1.11): never stored in plan or state, so it cannot be read back; it accepts an ephemeral value ([`terrane_core::Ephemeral`]). The provider applies it on create and when its companion version argument changes (`*_wo_version`).".into());
        }
        // a settable field's setter carries the description; a read-only one's getter does
        let mut getter_docs = if settable {
            Vec::new()
        } else {
            doc_lines(&a.description)
        };
        if !getter_docs.is_empty() {
            getter_docs.push(String::new());
        }
        getter_docs.push(if a.computed {
            format!("{head} Known after apply.")
        } else {
            head
        });
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
        b: &Block,
    ) -> StructDef {
        let settable = true;
        let mut fields = Vec::new();
        for (n, a) in &b.attributes {
            fields.push(self.field(name, n, &attr_view(a), settable));
        }
        let mut blocks = Vec::new();
        for (n, bt) in &b.block_types {
            blocks.push(self.block_field(name, n, bt));
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

    /// A nested block: its struct (and the structs nested in it) and its field.
    fn block_field(&mut self, name: &str, n: &String, bt: &BlockType) -> BlockField {
        let mode = block_mode(bt);
        let struct_name = self.nested_name(child_name(name, n));
        let mut bdocs = doc_lines(&bt.block.description);
        let head = format!(
            "Block `{n}`{}.",
            match (mode, bt.min_items > 0) {
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
        let getter_ty = match mode {
            Mode::One if is_single(bt) => obj,
            Mode::One | Mode::List => format!("ListExpr<{obj}>"),
            Mode::Set => format!("SetExpr<{obj}>"),
            Mode::Map => format!("MapExpr<{obj}>"),
        };
        let getter_docs = vec![format!("{head} Readable after apply.")];
        BlockField {
            name: n.clone(),
            ident: ident(n, BUILDER_RESERVED),
            getter: ident(n, GETTER_RESERVED),
            struct_name,
            mode: match mode {
                Mode::One => "one",
                Mode::List => "list",
                Mode::Set => "set",
                Mode::Map => "map",
            },
            required: bt.min_items > 0 && mode != Mode::Map,
            min_items: bt.min_items,
            getter_ty,
            deprecated: bt.block.deprecated,
            docs: bdocs,
            getter_docs,
        }
    }
}
