//! Phase 3, render: one stack to the document of its `main.tf.json` ([`Doc`]),
//! section by section, with cross-stack references read from remote state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::blocks::Backend;
use crate::check_block::CheckEntry;
use crate::expr::{write_steps, Node, RefRenderer, Reference, StackId};
use crate::resource::{BlockKind, RequiredProvider};
use crate::stack::Stack;
use crate::tree::{Key, Tree};

use super::doc::Doc;
use super::exports::{split_export, Exports, ImportMap, RefKey};

/// What a stack's render needs to know about the other stacks of its target.
pub(crate) struct Neighbours<'a> {
    /// Stack names, by position in the target.
    pub names: &'a [String],
    /// Stack backends, by position in the target.
    pub backends: &'a [Option<Backend>],
}

/// The document of one stack. It borrows the stack's block bodies and expressions, so
/// nothing large is copied and the stack stays readable by the checks meanwhile.
pub(crate) fn stack<'a>(
    s: &'a Stack,
    exports: &Exports,
    reads: &BTreeSet<usize>,
    others: &Neighbours<'a>,
) -> Doc<'a> {
    let mut doc = Doc::object();
    doc.push("terraform", Doc::Owned(terraform(s)));
    if !s.providers.is_empty() {
        doc.push("provider", Doc::Owned(providers(s)));
    }
    if !s.variables.is_empty() {
        doc.push("variable", Doc::Owned(variables(s)));
    }
    if !s.locals.is_empty() {
        let mut sorted: Vec<_> = s.locals.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let locals = sorted.into_iter().map(|(k, v)| (k.as_str(), Doc::Tree(v)));
        doc.push("locals", Doc::Object(locals.collect()));
    }
    let ephemerals = ephemerals(s);
    let (data, resources, scoped) = blocks(s, reads, others);
    if !ephemerals.is_empty() {
        doc.push("ephemeral", nest(ephemerals));
    }
    if !data.is_empty() {
        doc.push("data", nest(data));
    }
    if !resources.is_empty() {
        doc.push("resource", nest(resources));
    }
    if !s.modules.is_empty() {
        doc.push("module", Doc::Owned(modules(s)));
    }
    let outputs = outputs(s, exports);
    if !outputs.is_empty() {
        doc.push("output", Doc::Owned(Tree::object(outputs)));
    }
    if !s.moved.is_empty() {
        doc.push("moved", Doc::Owned(moved(s)));
    }
    if !s.imports.is_empty() {
        doc.push("import", Doc::Owned(imports(s)));
    }
    if !s.removed.is_empty() {
        doc.push("removed", Doc::Owned(removed(s)));
    }
    if !s.checks.is_empty() {
        doc.push("check", check_blocks(&s.checks, scoped));
    }
    doc
}

/// The `terraform` block: required providers and backend.
fn terraform(s: &Stack) -> Tree {
    let mut tf = Tree::empty();
    // required_version is written to versions.tf.json (see write::versions_tf)
    let mut reqs: BTreeMap<&str, &RequiredProvider> = BTreeMap::new();
    for p in &s.required_providers {
        reqs.entry(&*p.local_name).or_insert(p);
    }
    if !reqs.is_empty() {
        let tree = reqs.values().map(|p| {
            (
                p.local_name.clone(),
                Tree::object([
                    ("source", Tree::Str(p.source.to_string())),
                    ("version", Tree::Str(p.version.to_string())),
                ]),
            )
        });
        tf.push("required_providers", Tree::Object(tree.collect()));
    }
    if let Some(b) = &s.backend {
        tf.push("backend", Tree::object([(b.kind(), b.config())]));
    }
    tf
}

/// Provider configurations by local name; several become a list.
fn providers(s: &Stack) -> Tree {
    let mut by_name: BTreeMap<&str, Vec<Tree>> = BTreeMap::new();
    for p in &s.providers {
        let mut body = Tree::empty();
        if let Some(a) = &p.alias {
            body.push("alias", Tree::Str(a.clone()));
        }
        if let Tree::Object(items) = &p.body {
            for (k, v) in items {
                body.push(k.clone(), v.clone());
            }
        }
        by_name.entry(&*p.req.local_name).or_default().push(body);
    }
    let configs = by_name.into_iter().map(|(k, mut v)| {
        let config = if v.len() == 1 {
            v.remove(0)
        } else {
            Tree::List(v)
        };
        (Key::Owned(k.to_string()), config)
    });
    Tree::Object(configs.collect())
}

/// Variables, sorted by name.
fn variables(s: &Stack) -> Tree {
    let mut vars = Tree::empty();
    let mut sorted: Vec<_> = s.variables.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for v in sorted {
        let mut t = Tree::empty();
        t.push("type", Tree::Str(v.type_constraint.clone()));
        if let Some(dsc) = &v.description {
            t.push("description", Tree::Str(dsc.clone()));
        }
        if let Some(def) = &v.default {
            t.push("default", def.clone());
        }
        if v.sensitive {
            t.push("sensitive", Tree::Bool(true));
        }
        if v.ephemeral {
            t.push("ephemeral", Tree::Bool(true));
        }
        if let Some(nl) = v.nullable {
            t.push("nullable", Tree::Bool(nl));
        }
        if !v.validations.is_empty() {
            let rules = v.validations.iter().map(|(c, m)| {
                Tree::object([
                    ("condition", Tree::Expr(Arc::new(c.clone()))),
                    ("error_message", Tree::Str(m.clone())),
                ])
            });
            t.push("validation", Tree::List(rules.collect()));
        }
        vars.push(v.name.clone(), t);
    }
    vars
}

/// Blocks by type and name.
type ByType<'a> = BTreeMap<&'a str, BTreeMap<&'a str, Doc<'a>>>;

/// Data sources scoped to each `check` block, by check name.
type Scoped<'a> = BTreeMap<&'a str, ByType<'a>>;

/// Data sources (remote state reads first) and resources, by type and name, and
/// the data sources of `check` blocks.
fn blocks<'a>(
    s: &'a Stack,
    reads: &BTreeSet<usize>,
    others: &Neighbours<'a>,
) -> (ByType<'a>, ByType<'a>, Scoped<'a>) {
    let mut data = Grouping::default();
    for &pi in reads {
        let name = others.names[pi].as_str();
        let read = Doc::Owned(remote_state(name, &others.backends[pi]));
        data.push("terraform_remote_state", name, read);
    }
    let mut resources = Grouping::default();
    let mut scoped: BTreeMap<&str, Grouping<'a>> = BTreeMap::new();
    for b in &s.blocks {
        let group = match (&b.check, b.kind) {
            (Some(check), _) => scoped.entry(&**check).or_default(),
            (None, BlockKind::Resource) => &mut resources,
            (None, BlockKind::Data) => &mut data,
        };
        group.push(&b.ty, &b.name, Doc::Block(b, s.id));
    }
    let scoped = scoped.into_iter().map(|(c, g)| (c, g.sorted())).collect();
    (data.sorted(), resources.sorted(), scoped)
}

/// Blocks grouped by type in declaration order, then sorted once: cheaper than
/// inserting each of tens of thousands of blocks into nested `BTreeMap`s.
#[derive(Default)]
struct Grouping<'a>(FxHashMap<&'a str, Vec<(&'a str, Doc<'a>)>>);

impl<'a> Grouping<'a> {
    fn push(&mut self, ty: &'a str, name: &'a str, doc: Doc<'a>) {
        self.0.entry(ty).or_default().push((name, doc));
    }

    /// By type, then by name. Of two blocks with one address the later is kept, as
    /// `BTreeMap::insert` did (`collect` sorts stably and keeps the last of equal keys).
    fn sorted(self) -> ByType<'a> {
        self.0
            .into_iter()
            .map(|(ty, blocks)| (ty, blocks.into_iter().collect()))
            .collect()
    }
}

/// The `terraform_remote_state` read of producer `name`.
fn remote_state(name: &str, backend: &Option<Backend>) -> Tree {
    let (backend, config) = match backend {
        None => (
            "local",
            Tree::object([("path", Tree::Str(format!("../{name}/terraform.tfstate")))]),
        ),
        Some(Backend::Local { path }) => (
            "local",
            Tree::object([(
                "path",
                Tree::Str(format!(
                    "../{}/{}",
                    name,
                    path.clone().unwrap_or_else(|| "terraform.tfstate".into())
                )),
            )]),
        ),
        Some(b) => (b.kind(), b.config()),
    };
    Tree::object([("backend", Tree::Str(backend.into())), ("config", config)])
}

fn nest(m: ByType<'_>) -> Doc<'_> {
    Doc::Map(m.into_iter().map(|(k, v)| (k, Doc::Map(v))).collect())
}

/// Module calls, sorted by name.
fn modules(s: &Stack) -> Tree {
    let mut mods: Vec<_> = s.modules.iter().collect();
    mods.sort_by(|a, b| a.0.cmp(&b.0));
    let mut t = Tree::empty();
    for (n, m) in mods {
        let mut body = Tree::empty();
        body.push("source", Tree::Str(m.source.clone()));
        if let Some(v) = &m.version {
            body.push("version", Tree::Str(v.clone()));
        }
        for (k, v) in &m.inputs {
            body.push(k.clone(), v.clone());
        }
        if !m.providers.is_empty() {
            let providers = m
                .providers
                .iter()
                .map(|(k, v)| (Key::Owned(k.clone()), Tree::Str(v.clone())));
            body.push("providers", Tree::Object(providers.collect()));
        }
        t.push(n.clone(), body);
    }
    t
}

/// The user's outputs and the exports other stacks read.
fn outputs(s: &Stack, exports: &Exports) -> BTreeMap<String, Tree> {
    let mut outs: BTreeMap<String, Tree> = BTreeMap::new();
    for (n, o) in &s.outputs {
        let mut t = Tree::empty();
        t.push("value", o.value.clone());
        if let Some(dsc) = &o.description {
            t.push("description", Tree::Str(dsc.clone()));
        }
        if o.sensitive {
            t.push("sensitive", Tree::Bool(true));
        }
        outs.insert(n.clone(), t);
    }
    for e in exports.iter() {
        let mut t = Tree::empty();
        t.push("value", Tree::Expr(Arc::new(e.node.clone())));
        t.push(
            "description",
            Tree::Str(format!("{}, read by other stacks of this target", e.text)),
        );
        if e.sensitive {
            t.push("sensitive", Tree::Bool(true));
        }
        outs.insert(e.output.to_string(), t);
    }
    outs
}

fn moved(s: &Stack) -> Tree {
    let blocks = s.moved.iter().map(|(from, to)| {
        Tree::object([
            ("from", Tree::Str(from.clone())),
            ("to", Tree::Str(Node::Ref(to.clone()).to_hcl())),
        ])
    });
    Tree::List(blocks.collect())
}

/// `import` blocks; `to` is a bare reference, as Terraform's JSON syntax reads it.
fn imports(s: &Stack) -> Tree {
    let blocks = s.imports.iter().map(|i| {
        let mut t = Tree::empty();
        if let Some(f) = &i.for_each {
            t.push("for_each", f.clone());
        }
        t.push("to", Tree::Str(Node::Ref(i.to.clone()).to_hcl()));
        t.push("id", i.id.clone());
        if let Some(p) = &i.provider {
            t.push("provider", Tree::Str(p.meta_value()));
        }
        t
    });
    Tree::List(blocks.collect())
}

/// `ephemeral` blocks by type and name.
fn ephemerals(s: &Stack) -> ByType<'_> {
    let mut by_type = ByType::new();
    for e in &s.ephemerals {
        by_type
            .entry(&*e.ty)
            .or_default()
            .insert(&*e.name, Doc::Tree(&e.body));
    }
    by_type
}

/// `removed` blocks, in declaration order.
fn removed(s: &Stack) -> Tree {
    Tree::List(s.removed.iter().map(|r| r.to_tree()).collect())
}

/// `check` blocks by name, each with its scoped data sources and assertions.
fn check_blocks<'a>(checks: &'a [CheckEntry], mut scoped: Scoped<'a>) -> Doc<'a> {
    let blocks = checks.iter().map(|c| {
        let mut body = Doc::object();
        if let Some(data) = scoped.remove(&*c.name) {
            body.push("data", nest(data));
        }
        let asserts = c.asserts.iter().map(|(cond, msg)| {
            Doc::Object(vec![
                ("condition", Doc::Expr(cond)),
                ("error_message", Doc::Str(msg)),
            ])
        });
        body.push("assert", Doc::List(asserts.collect()));
        (&*c.name, body)
    });
    Doc::Object(blocks.collect())
}

/// Renders a reference into another stack as a read of that stack's remote state.
pub(crate) struct CrossStackRenderer<'a> {
    /// The stack being written.
    pub this: StackId,
    /// Where each exported reference is read.
    pub imports: &'a ImportMap,
}

impl RefRenderer for CrossStackRenderer<'_> {
    fn rewrite(&self, r: &Reference) -> Option<String> {
        let s = r.stack?;
        if s == self.this {
            return None;
        }
        let (prefix, rest) = split_export(r);
        let (stack, output) = self.imports.get(&RefKey::of(&prefix)?)?;
        let mut out = format!("data.terraform_remote_state.{stack}.outputs.{output}");
        // the remaining steps may hold references too: render them with this renderer
        write_steps(&mut out, &rest, self);
        Some(out)
    }
}
