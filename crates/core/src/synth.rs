//! Checks a target and renders its stacks to Terraform JSON, in memory.
//!
//! References into another stack become an output of the producing stack and a
//! `terraform_remote_state` read in the consumer; the stacks are ordered by these
//! dependencies and a cycle is an error.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::app::{FileSetContext, Target, TerraformOutput};
use crate::check::{is_valid_identifier, is_valid_name, scan_raw_refs, RawRef};
use crate::diag::Diagnostic;
use crate::expr::{
    subject_address, write_steps, Node, RefRenderer, Reference, StackId, Step, Subject,
};
use crate::resource::BlockKind;
use crate::schema::{check_body, SchemaSet};
use crate::stack::{BlockEntry, Stack};
use crate::tree::{path_string, write_json, PathSeg, Tree};

/// A target rendered in memory: every file it writes, and the stack order.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthesized {
    /// Target name.
    pub target: String,
    /// Files relative to `out/<target>/`, sorted by path.
    pub files: BTreeMap<String, String>,
    /// Stacks in apply order, with the stacks each depends on.
    pub stacks: Vec<StackSummary>,
}

/// A stack in the apply order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackSummary {
    /// Stack name.
    pub name: String,
    /// Stacks that must be applied first.
    pub depends_on: Vec<String>,
    /// Number of resources.
    pub resources: usize,
    /// Number of data sources.
    pub data_sources: usize,
}

impl Synthesized {
    /// One file's text by relative path.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

struct Export {
    output: Arc<str>,
    node: Node,
    sensitive: bool,
}

/// Exports of one producing stack, keyed by the reference's text.
#[derive(Default)]
struct Exports {
    by_key: BTreeMap<String, Export>,
    taken: BTreeSet<String>,
}

impl Exports {
    fn add(&mut self, key: String, node: Node, sensitive: bool) -> Arc<str> {
        if let Some(e) = self.by_key.get_mut(&key) {
            e.sensitive |= sensitive;
            return e.output.clone();
        }
        let mut base: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        while base.contains("__") {
            base = base.replace("__", "_");
        }
        let base = base.trim_matches('_').to_string();
        let base = if base.starts_with(|c: char| c.is_ascii_digit()) || base.is_empty() {
            format!("o_{base}")
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        let output: Arc<str> = name.into();
        self.by_key.insert(
            key,
            Export {
                output: output.clone(),
                node,
                sensitive,
            },
        );
        output
    }
}

/// Splits a cross-stack reference into the part the producer exports and the steps
/// the consumer applies to it (from the first index that is not a literal on).
fn split_export(r: &Reference) -> (Reference, Vec<Step>) {
    let cut = r
        .path
        .iter()
        .position(|s| matches!(s, Step::Index(n) if !n.is_literal()))
        .unwrap_or(r.path.len());
    let mut prefix = r.clone();
    prefix.path.truncate(cut);
    prefix.sensitive = r.sensitive;
    (prefix, r.path[cut..].to_vec())
}

/// (producer stack, exported reference text) -> (producer name, output name)
type ImportMap = HashMap<(StackId, String), (Arc<str>, Arc<str>)>;

struct CrossStackRenderer<'a> {
    this: StackId,
    /// (producer id, key) -> (producer name, output)
    imports: &'a ImportMap,
}

impl RefRenderer for CrossStackRenderer<'_> {
    fn rewrite(&self, r: &Reference) -> Option<String> {
        let s = r.stack?;
        if s == self.this {
            return None;
        }
        let (prefix, rest) = split_export(r);
        let key = Node::Ref(prefix).to_hcl();
        let (stack, output) = self.imports.get(&(s, key))?;
        let mut out = format!("data.terraform_remote_state.{stack}.outputs.{output}");
        // the remaining steps may hold references too: render them with this renderer
        write_steps(&mut out, &rest, self);
        Some(out)
    }
}

/// Where a reference can appear, for `each`/`count` checks.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// Inside a resource or data block: `(has_count, has_for_each)`.
    Block(bool, bool),
    /// Anywhere else.
    Other,
}

struct Walk<'a> {
    target: &'a str,
    stacks: &'a [Stack],
    index: HashMap<StackId, usize>,
    diags: Vec<Diagnostic>,
    exports: Vec<Exports>,
    imports: ImportMap,
    deps: Vec<BTreeSet<usize>>,
    /// Remote-state reads each consumer needs: consumer -> producers.
    reads: Vec<BTreeSet<usize>>,
    /// Declared blocks per stack.
    decl: Vec<HashSet<BlockKey>>,
}

type BlockKey = (BlockKind, Arc<str>, Arc<str>);

fn declared(stack: &Stack, blocks: &HashSet<BlockKey>, subject: &Subject) -> bool {
    match subject {
        Subject::Resource { ty, name } => {
            blocks.contains(&(BlockKind::Resource, ty.clone(), name.clone()))
        }
        Subject::Data { ty, name } => blocks.contains(&(BlockKind::Data, ty.clone(), name.clone())),
        Subject::Var(n) => stack.variables.iter().any(|v| *v.name == **n),
        Subject::Local(n) => stack.locals.iter().any(|(l, _)| **l == **n),
        Subject::Module(n) => stack.modules.iter().any(|(m, _)| **m == **n),
        _ => true,
    }
}

impl<'a> Walk<'a> {
    fn diag(&self, stack: &Stack, address: &str, field: &str, msg: String) -> Diagnostic {
        Diagnostic::new(msg)
            .target(self.target)
            .stack(stack.name.clone())
            .address(address)
            .field(field)
    }

    /// Checks one reference found in stack `si` at `address`/`field`.
    fn reference(&mut self, si: usize, address: &str, field: &str, r: &Reference, ctx: Ctx) {
        let stack = &self.stacks[si];
        match (&r.subject, ctx) {
            (Subject::EachKey | Subject::EachValue, Ctx::Block(_, false))
            | (Subject::EachKey | Subject::EachValue, Ctx::Other) => {
                let d = self.diag(
                    stack,
                    address,
                    field,
                    format!(
                        "`{}` is used outside a block that sets for_each",
                        subject_address(&r.subject)
                    ),
                );
                self.diags.push(d);
                return;
            }
            (Subject::CountIndex, Ctx::Block(false, _)) | (Subject::CountIndex, Ctx::Other) => {
                let d = self.diag(
                    stack,
                    address,
                    field,
                    "`count.index` is used outside a block that sets count".to_string(),
                );
                self.diags.push(d);
                return;
            }
            _ => {}
        }
        let Some(owner) = r.stack else { return };
        if owner == stack.id {
            if !declared(stack, &self.decl[si], &r.subject) {
                let d = self.diag(
                    stack,
                    address,
                    field,
                    format!(
                        "refers to `{}`, which is not declared in this stack",
                        subject_address(&r.subject)
                    ),
                );
                self.diags.push(d);
            }
            return;
        }
        let Some(&pi) = self.index.get(&owner) else {
            let d = self.diag(stack, address, field, format!(
                "refers to `{}`, declared in a stack that is not part of target `{}`; add that stack to the target",
                subject_address(&r.subject), self.target
            ));
            self.diags.push(d);
            return;
        };
        let producer = &self.stacks[pi];
        if !declared(producer, &self.decl[pi], &r.subject) {
            let d = self.diag(
                stack,
                address,
                field,
                format!(
                    "refers to `{}` in stack `{}`, where it is not declared",
                    subject_address(&r.subject),
                    producer.name
                ),
            );
            self.diags.push(d);
            return;
        }
        if matches!(
            r.subject,
            Subject::EachKey | Subject::EachValue | Subject::CountIndex
        ) {
            return;
        }
        let (prefix, _) = split_export(r);
        let key = Node::Ref(prefix.clone()).to_hcl();
        let sensitive = r.sensitive || self.is_sensitive_var(pi, &r.subject);
        let out = self.exports[pi].add(key.clone(), Node::Ref(prefix), sensitive);
        self.imports
            .insert((owner, key), (producer.name.as_str().into(), out));
        self.deps[si].insert(pi);
        self.reads[si].insert(pi);
    }

    fn is_sensitive_var(&self, si: usize, s: &Subject) -> bool {
        match s {
            Subject::Var(n) => self.stacks[si]
                .variables
                .iter()
                .any(|v| *v.name == **n && v.sensitive),
            _ => false,
        }
    }

    fn raw(&mut self, si: usize, address: &str, field: &str, text: &str) {
        let stack = &self.stacks[si];
        for r in scan_raw_refs(text) {
            let (ok, what) = match &r {
                RawRef::Var(n) => (
                    stack.variables.iter().any(|v| &v.name == n),
                    format!("var.{n}"),
                ),
                RawRef::Local(n) => (
                    stack.locals.iter().any(|(l, _)| l == n),
                    format!("local.{n}"),
                ),
                RawRef::Module(n) => (
                    stack.modules.iter().any(|(m, _)| m == n),
                    format!("module.{n}"),
                ),
                RawRef::Data(t, n) => {
                    if t == "terraform_remote_state" {
                        (true, String::new())
                    } else {
                        (
                            stack
                                .blocks
                                .iter()
                                .any(|b| b.kind == BlockKind::Data && &*b.ty == t && &*b.name == n),
                            format!("data.{t}.{n}"),
                        )
                    }
                }
                RawRef::Resource(t, n) => {
                    // Only types of providers this stack uses can be resource references.
                    let prefix = t.split('_').next().unwrap_or_default();
                    let known_provider = stack
                        .required_providers
                        .iter()
                        .any(|p| p.local_name == prefix)
                        || stack
                            .blocks
                            .iter()
                            .any(|b| b.ty.split('_').next() == Some(prefix));
                    if !known_provider {
                        (true, String::new())
                    } else {
                        (
                            stack.blocks.iter().any(|b| {
                                b.kind == BlockKind::Resource && &*b.ty == t && &*b.name == n
                            }),
                            format!("{t}.{n}"),
                        )
                    }
                }
            };
            if !ok {
                let d = self.diag(stack, address, field, format!("raw expression `{text}` refers to `{what}`, which is not declared in this stack"));
                self.diags.push(d);
            }
        }
    }

    fn tree(&mut self, si: usize, address: &str, base_field: &str, t: &Tree, ctx: Ctx) {
        t.visit_exprs(&mut Vec::new(), &mut |path, n| {
            if matches!(n, Node::Str(_) | Node::Num(_) | Node::Bool(_) | Node::Null) {
                return;
            }
            let field = join_field(base_field, &path_string(path));
            self.node(si, address, &field, n, ctx);
        });
        let mut bad = Vec::new();
        visit_numbers(t, &mut Vec::new(), &mut |p| bad.push(p));
        for p in bad {
            let field = join_field(base_field, &p);
            let d = self.diag(
                &self.stacks[si],
                address,
                &field,
                "number is not finite (NaN or infinity cannot be written)".into(),
            );
            self.diags.push(d);
        }
    }

    fn node(&mut self, si: usize, address: &str, field: &str, n: &Node, ctx: Ctx) {
        n.visit_refs(&mut |r| self.reference(si, address, field, r, ctx));
        n.visit_raw(&mut |s| self.raw(si, address, field, s));
    }
}

fn visit_numbers<'a>(t: &'a Tree, path: &mut Vec<PathSeg<'a>>, f: &mut dyn FnMut(String)) {
    match t {
        Tree::Num(n) if !n.is_finite() => f(path_string(path)),
        Tree::List(v) => {
            for (i, x) in v.iter().enumerate() {
                path.push(PathSeg::Index(i));
                visit_numbers(x, path, f);
                path.pop();
            }
        }
        Tree::Object(v) => {
            for (k, x) in v {
                path.push(PathSeg::Key(k));
                visit_numbers(x, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

fn join_field(base: &str, p: &str) -> String {
    match (base.is_empty(), p.is_empty()) {
        (true, _) => p.to_string(),
        (false, true) => base.to_string(),
        (false, false) if p.starts_with('[') => format!("{base}{p}"),
        (false, false) => format!("{base}.{p}"),
    }
}

/// Applies one override path to a body.
fn apply_override(body: &mut Tree, path: &str, value: Option<Tree>) -> Result<(), String> {
    let segs: Vec<&str> = path.split('.').collect();
    let mut cur = body;
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        if let Ok(idx) = seg.parse::<usize>() {
            match cur {
                Tree::List(items) => {
                    if idx >= items.len() {
                        if last && value.is_some() && idx == items.len() {
                            items.push(Tree::Null);
                        } else {
                            return Err(format!(
                                "index {idx} is out of range (the list has {} items)",
                                items.len()
                            ));
                        }
                    }
                    if last {
                        match &value {
                            Some(v) => items[idx] = v.clone(),
                            None => {
                                items.remove(idx);
                            }
                        }
                        return Ok(());
                    }
                    cur = &mut items[idx];
                }
                Tree::Object(_) if !last => {
                    // a single block addressed like a list of one
                    if idx != 0 {
                        return Err(format!("`{seg}` indexes a single block"));
                    }
                }
                _ => return Err(format!("`{seg}` indexes something that is not a list")),
            }
            continue;
        }
        if !matches!(cur, Tree::Object(_)) {
            return Err(format!("`{seg}` is inside a value that is not an object"));
        }
        if last {
            match value {
                Some(v) => cur.set(seg, v),
                None => {
                    cur.remove(seg);
                }
            }
            return Ok(());
        }
        if cur.get(seg).is_none() {
            cur.set(seg, Tree::empty());
        }
        cur = cur.get_mut(seg).ok_or_else(|| format!("`{seg}` missing"))?;
    }
    Ok(())
}

pub(crate) fn synth_target(
    mut target: Target,
    schemas: &SchemaSet,
) -> Result<Synthesized, Vec<Diagnostic>> {
    let tname = target.name.clone();
    // Overrides are applied first so that every later check sees the final body.
    let mut diags = Vec::new();
    for stack in &mut target.stacks {
        let overrides = std::mem::take(&mut stack.overrides);
        for o in overrides {
            let addr = match o.kind {
                BlockKind::Resource => format!("{}.{}", o.ty, o.name),
                BlockKind::Data => format!("data.{}.{}", o.ty, o.name),
            };
            match stack
                .blocks
                .iter_mut()
                .find(|b| b.kind == o.kind && b.ty == o.ty && b.name == o.name)
            {
                Some(b) => {
                    if let Err(e) = apply_override(&mut b.body, &o.path, o.value) {
                        diags.push(
                            Diagnostic::new(format!("override cannot be applied: {e}"))
                                .target(&tname)
                                .stack(stack.name.clone())
                                .address(addr)
                                .field(o.path.clone()),
                        );
                    }
                }
                None => diags.push(
                    Diagnostic::new("override names a block that is not declared in this stack")
                        .target(&tname)
                        .stack(stack.name.clone())
                        .address(addr)
                        .field(o.path.clone()),
                ),
            }
        }
    }
    let stacks = &target.stacks;
    let n = stacks.len();
    let mut w = Walk {
        target: &tname,
        stacks,
        index: stacks.iter().enumerate().map(|(i, s)| (s.id, i)).collect(),
        diags,
        exports: (0..n).map(|_| Exports::default()).collect(),
        imports: HashMap::new(),
        deps: vec![BTreeSet::new(); n],
        reads: vec![BTreeSet::new(); n],
        decl: stacks
            .iter()
            .map(|s| {
                s.blocks
                    .iter()
                    .map(|b| (b.kind, b.ty.clone(), b.name.clone()))
                    .collect()
            })
            .collect(),
    };
    if stacks.is_empty() {
        w.diags
            .push(Diagnostic::new("target has no stacks").target(&tname));
    }

    // Names.
    let mut seen = BTreeSet::new();
    for s in stacks {
        if !is_valid_name(&s.name) {
            w.diags.push(Diagnostic::new(format!("stack name `{}` is not valid: use letters, digits, `_` and `-`, starting with a letter", s.name)).target(&tname).stack(s.name.clone()));
        }
        if !seen.insert(s.name.as_str()) {
            w.diags.push(
                Diagnostic::new(format!(
                    "stack `{}` is added to the target more than once",
                    s.name
                ))
                .target(&tname)
                .stack(s.name.clone()),
            );
        }
    }

    for (si, s) in stacks.iter().enumerate() {
        stack_checks(&mut w, si, s, schemas);
    }

    // Extra files first: they may export values.
    let declared_outputs: BTreeSet<String> = stacks
        .iter()
        .flat_map(|s| {
            s.outputs
                .iter()
                .map(move |(o, _)| format!("{}.{o}", s.name))
        })
        .collect();
    let mut extra_files = BTreeMap::new();
    let mut files_diags = Vec::new();
    for fs in &target.files {
        let dir = fs.dir().to_string();
        let mut export = |node: &Node| -> Result<TerraformOutput, String> {
            let Node::Ref(r) = node else {
                return Err(format!("only a reference to a block, variable or local can be read from Terraform; got `{}`", node.to_hcl()));
            };
            let Some(owner) = r.stack else {
                return Err("`each`/`count` values cannot be read from Terraform".into());
            };
            let Some(&pi) = w.index.get(&owner) else {
                return Err(format!(
                    "`{}` belongs to a stack that is not part of target `{}`",
                    node.to_hcl(),
                    tname
                ));
            };
            let (prefix, rest) = split_export(r);
            if !rest.is_empty() {
                return Err(format!(
                    "`{}` has a computed index and cannot be exported",
                    node.to_hcl()
                ));
            }
            let key = Node::Ref(prefix.clone()).to_hcl();
            let out = w.exports[pi].add(key, Node::Ref(prefix), r.sensitive);
            Ok(TerraformOutput {
                stack: stacks[pi].name.clone(),
                output: out.to_string(),
            })
        };
        let mut ctx = FileSetContext {
            exporter: &mut export,
            target: &tname,
            declared_outputs: &declared_outputs,
        };
        match fs.render(&mut ctx) {
            Ok(files) => {
                for (p, text) in files {
                    extra_files.insert(format!("{dir}/{p}"), text);
                }
            }
            Err(ds) => files_diags.extend(ds.into_iter().map(|d| {
                if d.target.is_none() {
                    d.target(&tname)
                } else {
                    d
                }
            })),
        }
    }
    w.diags.extend(files_diags);

    // Order.
    let order = match topo_order(&w.deps) {
        Ok(o) => o,
        Err(cycle) => {
            let names: Vec<&str> = cycle.iter().map(|&i| stacks[i].name.as_str()).collect();
            w.diags.push(Diagnostic::new(format!(
                "stacks depend on each other in a cycle ({}); cross-stack references must go one way",
                names.join(" -> ")
            )).target(&tname));
            Vec::new()
        }
    };

    if !w.diags.is_empty() {
        let mut d = w.diags;
        d.dedup();
        return Err(d);
    }

    let names: Vec<String> = stacks.iter().map(|s| s.name.clone()).collect();
    let backends: Vec<Option<crate::Backend>> = stacks.iter().map(|s| s.backend.clone()).collect();
    let Walk {
        exports,
        imports,
        deps,
        reads,
        ..
    } = w;
    // Rendering consumes the stacks, so block bodies move into the output instead of being copied.
    let mut owned: Vec<Option<Stack>> = target.stacks.into_iter().map(Some).collect();
    let mut files = extra_files;
    let mut summaries = Vec::new();
    for &si in &order {
        let Some(s) = owned[si].take() else { continue };
        let name = s.name.clone();
        let resources = s
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Resource)
            .count();
        let data_sources = s.blocks.len() - resources;
        if !s.var_values.is_empty() {
            let t = Tree::Object(s.var_values.clone());
            let mut text = t.to_json();
            text.push('\n');
            files.insert(format!("{name}/terraform.tfvars.json"), text);
        }
        let id = s.id;
        let doc = render_stack(s, &exports[si], &reads[si], &names, &backends);
        let mut text = String::with_capacity(4096);
        let rr = CrossStackRenderer {
            this: id,
            imports: &imports,
        };
        write_json(&mut text, &doc, 0, &rr);
        drop(doc);
        text.push('\n');
        files.insert(format!("{name}/main.tf.json"), text);
        summaries.push(StackSummary {
            name,
            depends_on: deps[si].iter().map(|&d| names[d].clone()).collect(),
            resources,
            data_sources,
        });
    }
    let manifest = Tree::object([
        ("target", Tree::Str(tname.clone())),
        (
            "stacks",
            Tree::List(
                summaries
                    .iter()
                    .map(|s| {
                        Tree::object([
                            ("name", Tree::Str(s.name.clone())),
                            ("path", Tree::Str(format!("{}/main.tf.json", s.name))),
                            (
                                "depends_on",
                                Tree::List(
                                    s.depends_on.iter().map(|d| Tree::Str(d.clone())).collect(),
                                ),
                            ),
                            ("resources", Tree::from(s.resources)),
                            ("data_sources", Tree::from(s.data_sources)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ]);
    let mut mtext = manifest.to_json();
    mtext.push('\n');
    files.insert("manifest.json".to_string(), mtext);
    Ok(Synthesized {
        target: tname,
        files,
        stacks: summaries,
    })
}

fn stack_checks(w: &mut Walk<'_>, si: usize, s: &Stack, schemas: &SchemaSet) {
    let tname = w.target.to_string();
    let d = |addr: &str, field: &str, msg: String| {
        Diagnostic::new(msg)
            .target(&tname)
            .stack(s.name.clone())
            .address(addr)
            .field(field)
    };

    // Reported by constructs.
    for r in &s.reported {
        w.diags.push(r.clone().target(&tname));
    }

    // Provider requirements agree.
    let mut reqs: BTreeMap<&str, &crate::RequiredProvider> = BTreeMap::new();
    for p in &s.required_providers {
        if let Some(prev) = reqs.insert(p.local_name.as_str(), p) {
            if prev != p {
                w.diags.push(d("terraform", "required_providers", format!(
                    "provider `{}` is required as {} {} and as {} {}; one stack can pin only one version",
                    p.local_name, prev.source, prev.version, p.source, p.version)));
            }
        }
    }
    let mut aliases = BTreeSet::new();
    for p in &s.providers {
        let key = (p.req.local_name.clone(), p.alias.clone());
        if !aliases.insert(key) {
            w.diags.push(d(
                &format!("provider.{}", p.req.local_name),
                "alias",
                match &p.alias {
                    Some(a) => format!(
                        "provider configuration `{}.{a}` is declared twice",
                        p.req.local_name
                    ),
                    None => format!(
                        "provider `{}` has two configurations without an alias; give one an alias",
                        p.req.local_name
                    ),
                },
            ));
        }
        if let Some(a) = &p.alias {
            if !is_valid_identifier(a) {
                w.diags.push(d(
                    &format!("provider.{}", p.req.local_name),
                    "alias",
                    format!("alias `{a}` is not a valid identifier"),
                ));
            }
        }
        let addr = format!("provider.{}", p.req.local_name);
        w.tree(si, &addr, "", &p.body, Ctx::Other);
        if let Some(schema) = schemas.provider(&p.req.local_name) {
            for prob in check_body(schema, &p.body, true) {
                w.diags.push(d(&addr, &prob.path, prob.message));
            }
        }
    }

    // Blocks.
    let mut addrs = BTreeSet::new();
    for b in &s.blocks {
        let addr = b.address();
        if !is_valid_identifier(&b.name) {
            w.diags.push(d(&addr, "", format!("`{}` is not a valid Terraform identifier: use letters, digits, `_` and `-`, starting with a letter or `_`", b.name)));
        }
        if b.ty.is_empty()
            || !b
                .ty
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            w.diags
                .push(d(&addr, "", format!("`{}` is not a valid type name", b.ty)));
        }
        if !addrs.insert(addr.clone()) {
            w.diags.push(d(
                &addr,
                "",
                "address is declared more than once in this stack".to_string(),
            ));
        }
        block_checks(w, si, s, b, &addr, schemas);
    }

    // Variables.
    let mut names = BTreeSet::new();
    for v in &s.variables {
        let addr = format!("var.{}", v.name);
        declared_name(&mut w.diags, &d, &mut names, "variable", &v.name, &addr);
        let set = s.var_values.iter().any(|(n, _)| n == &v.name);
        if v.default.is_none() && !set && !v.supplied_at_apply {
            w.diags.push(d(&addr, "", format!(
                "variable has no default and target `{tname}` sets no value; give it a default, set it with Stack::set_variable, or mark it supplied_at_apply"
            )));
        }
        if let Some(def) = &v.default {
            w.tree(si, &addr, "default", def, Ctx::Other);
        }
        for (c, _) in &v.validations {
            w.node(si, &addr, "validation.condition", c, Ctx::Other);
        }
    }
    for (n, val) in &s.var_values {
        let addr = format!("var.{n}");
        match s.variables.iter().find(|v| &v.name == n) {
            None => w.diags.push(d(&addr, "", "a value is set for a variable that is not declared in this stack".to_string())),
            Some(v) if v.sensitive => w.diags.push(d(&addr, "", "a sensitive variable's value would be written to terraform.tfvars.json; mark it supplied_at_apply instead".to_string())),
            _ => {}
        }
        if matches!(val, Tree::Expr(_)) {
            w.diags.push(d(
                &addr,
                "",
                "a variable value must be a literal".to_string(),
            ));
        }
    }

    // Locals.
    let mut names = BTreeSet::new();
    for (n, t) in &s.locals {
        let addr = format!("local.{n}");
        declared_name(&mut w.diags, &d, &mut names, "local", n, &addr);
        w.tree(si, &addr, "", t, Ctx::Other);
    }

    // Modules.
    let mut names = BTreeSet::new();
    for (n, m) in &s.modules {
        let addr = format!("module.{n}");
        declared_name(&mut w.diags, &d, &mut names, "module", n, &addr);
        for (k, t) in &m.inputs {
            w.tree(si, &addr, k, t, Ctx::Other);
        }
        for p in m.providers.values() {
            let (local, alias) = p
                .split_once('.')
                .map(|(a, b)| (a, Some(b)))
                .unwrap_or((p.as_str(), None));
            if !s
                .providers
                .iter()
                .any(|e| e.req.local_name == local && e.alias.as_deref() == alias)
            {
                w.diags.push(d(
                    &addr,
                    "providers",
                    format!("passes provider `{p}`, which is not configured in this stack"),
                ));
            }
        }
    }

    // Outputs.
    let mut names = BTreeSet::new();
    for (n, o) in &s.outputs {
        let addr = format!("output.{n}");
        declared_name(&mut w.diags, &d, &mut names, "output", n, &addr);
        w.tree(si, &addr, "value", &o.value, Ctx::Other);
        if !o.sensitive {
            if let Some(what) = sensitive_source(s, &o.value) {
                w.diags.push(d(&addr, "value", format!("uses the sensitive value `{what}` but the output is not marked sensitive; call .sensitive() on the Output")));
            }
        }
        w.exports[si].taken.insert(n.clone());
    }

    // moved / import.
    for (from, to) in &s.moved {
        let addr = format!("moved.{}", subject_address(&to.subject));
        if !valid_address(from) {
            w.diags.push(d(
                &addr,
                "from",
                format!("`{from}` is not a valid resource address"),
            ));
        }
        if to.stack != Some(s.id) {
            w.diags.push(d(
                &addr,
                "to",
                "a moved block must point at a block of the same stack".to_string(),
            ));
        }
    }
    for imp in &s.imports {
        let addr = format!("import.{}", subject_address(&imp.to.subject));
        if imp.to.stack != Some(s.id) {
            w.diags.push(d(
                &addr,
                "to",
                "an import block must point at a block of the same stack".to_string(),
            ));
        }
        w.tree(si, &addr, "id", &imp.id, Ctx::Other);
    }
}

/// The checks every declared name gets: a valid identifier, declared once per kind.
fn declared_name<'n>(
    diags: &mut Vec<Diagnostic>,
    d: &dyn Fn(&str, &str, String) -> Diagnostic,
    names: &mut BTreeSet<&'n str>,
    kind: &str,
    name: &'n str,
    addr: &str,
) {
    if !is_valid_identifier(name) {
        diags.push(d(
            addr,
            "",
            format!("`{name}` is not a valid Terraform identifier"),
        ));
    }
    if !names.insert(name) {
        diags.push(d(
            addr,
            "",
            format!("{kind} is declared more than once in this stack"),
        ));
    }
}

fn valid_address(a: &str) -> bool {
    let a = a.strip_prefix("data.").unwrap_or(a);
    let a = match a.strip_prefix("module.") {
        Some(rest) => return rest.split('.').all(|p| !p.is_empty()),
        None => a,
    };
    let mut parts = a.splitn(2, '.');
    let (Some(t), Some(rest)) = (parts.next(), parts.next()) else {
        return false;
    };
    let name = rest.split('[').next().unwrap_or_default();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && is_valid_identifier(name)
}

/// The first sensitive thing an output value uses, if any.
fn sensitive_source(s: &Stack, t: &Tree) -> Option<String> {
    let mut found = None;
    t.visit_exprs(&mut Vec::new(), &mut |_, n| {
        n.visit_refs(&mut |r| {
            if found.is_none() {
                let var_sensitive = matches!(&r.subject, Subject::Var(v) if s.variables.iter().any(|e| *e.name == **v && e.sensitive));
                if r.sensitive || var_sensitive {
                    found = Some(Node::Ref(r.clone()).to_hcl());
                }
            }
        });
        n.visit_raw(&mut |text| {
            if found.is_none() {
                for rr in scan_raw_refs(text) {
                    if let RawRef::Var(v) = rr {
                        if s.variables.iter().any(|e| e.name == v && e.sensitive) {
                            found = Some(format!("var.{v}"));
                        }
                    }
                }
            }
        });
    });
    found
}

fn block_checks(
    w: &mut Walk<'_>,
    si: usize,
    s: &Stack,
    b: &BlockEntry,
    addr: &str,
    schemas: &SchemaSet,
) {
    let tname = w.target.to_string();
    let d = |field: &str, msg: String| {
        Diagnostic::new(msg)
            .target(&tname)
            .stack(s.name.clone())
            .address(addr)
            .field(field)
    };
    let m = &b.meta;
    if m.count.is_some() && m.for_each.is_some() {
        w.diags.push(d(
            "count",
            "count and for_each cannot both be set".to_string(),
        ));
    }
    let ctx = Ctx::Block(m.count.is_some(), m.for_each.is_some());
    w.tree(si, addr, "", &b.body, ctx);
    if let Some(c) = &m.count {
        w.tree(si, addr, "count", c, Ctx::Other);
    }
    if let Some(f) = &m.for_each {
        w.tree(si, addr, "for_each", f, Ctx::Other);
    }
    for dep in &m.depends_on {
        // A dependency on another stack is satisfied by the stack order.
        let r = &dep.reference;
        if r.stack != Some(s.id) {
            if let Some(owner) = r.stack {
                if let Some(&pi) = w.index.get(&owner) {
                    w.deps[si].insert(pi);
                    continue;
                }
            }
        }
        w.reference(si, addr, "depends_on", r, Ctx::Other);
    }
    if let Some(l) = &m.lifecycle {
        for n in l.nodes() {
            w.node(si, addr, "lifecycle", n, ctx);
        }
        for n in l.replace_triggers() {
            let mut foreign = false;
            n.visit_refs(&mut |r| foreign |= r.stack.is_some_and(|st| st != s.id));
            if foreign {
                w.diags.push(d(
                    "lifecycle.replace_triggered_by",
                    "must name a block of the same stack".to_string(),
                ));
            }
        }
    }
    if let Some(p) = &m.provider {
        if p.stack != s.id {
            w.diags.push(d(
                "provider",
                format!(
                    "provider `{}` is configured in another stack",
                    p.meta_value()
                ),
            ));
        } else if !s
            .providers
            .iter()
            .any(|e| e.req.local_name == p.local_name && e.alias == p.alias)
        {
            w.diags.push(d(
                "provider",
                format!(
                    "provider `{}` is not configured in this stack",
                    p.meta_value()
                ),
            ));
        }
    }
    let schema = match b.kind {
        BlockKind::Resource => schemas.resource(&b.ty),
        BlockKind::Data => schemas.data_source(&b.ty),
    };
    if let Some(schema) = schema {
        for prob in check_body(schema, &b.body, true) {
            w.diags.push(d(&prob.path, prob.message));
        }
    }
}

fn topo_order(deps: &[BTreeSet<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    let n = deps.len();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = (0..n).find(|&i| !done[i] && deps[i].iter().all(|&d| done[d]));
        match next {
            Some(i) => {
                done[i] = true;
                order.push(i);
            }
            None => {
                // find a cycle among the remaining
                let start = (0..n).find(|&i| !done[i]).unwrap_or(0);
                let mut path = vec![start];
                let mut cur = start;
                loop {
                    let nxt = deps[cur]
                        .iter()
                        .copied()
                        .find(|&d| !done[d])
                        .unwrap_or(start);
                    if let Some(pos) = path.iter().position(|&p| p == nxt) {
                        let mut cyc = path[pos..].to_vec();
                        cyc.push(nxt);
                        return Err(cyc);
                    }
                    path.push(nxt);
                    cur = nxt;
                }
            }
        }
    }
    Ok(order)
}

fn render_stack(
    s: Stack,
    exports: &Exports,
    reads: &BTreeSet<usize>,
    names: &[String],
    backends: &[Option<crate::Backend>],
) -> Tree {
    let mut doc = Tree::empty();

    // terraform
    let mut tf = Tree::empty();
    // Only when asked for: checkov's terraform_json parser cannot read a string
    // directly inside the terraform block.
    if let Some(v) = &s.required_version {
        tf.push("required_version", Tree::Str(v.clone()));
    }
    let mut reqs: BTreeMap<&str, &crate::RequiredProvider> = BTreeMap::new();
    for p in &s.required_providers {
        reqs.entry(p.local_name.as_str()).or_insert(p);
    }
    if !reqs.is_empty() {
        tf.push(
            "required_providers",
            Tree::Object(
                reqs.values()
                    .map(|p| {
                        (
                            p.local_name.clone(),
                            Tree::object([
                                ("source", Tree::Str(p.source.clone())),
                                ("version", Tree::Str(p.version.clone())),
                            ]),
                        )
                    })
                    .collect(),
            ),
        );
    }
    if let Some(b) = &s.backend {
        tf.push("backend", Tree::object([(b.kind(), b.config())]));
    }
    doc.push("terraform", tf);

    // providers
    if !s.providers.is_empty() {
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
            by_name
                .entry(p.req.local_name.as_str())
                .or_default()
                .push(body);
        }
        doc.push(
            "provider",
            Tree::Object(
                by_name
                    .into_iter()
                    .map(|(k, mut v)| {
                        (
                            k.to_string(),
                            if v.len() == 1 {
                                v.remove(0)
                            } else {
                                Tree::List(v)
                            },
                        )
                    })
                    .collect(),
            ),
        );
    }

    // variables
    if !s.variables.is_empty() {
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
            if let Some(nl) = v.nullable {
                t.push("nullable", Tree::Bool(nl));
            }
            if !v.validations.is_empty() {
                t.push(
                    "validation",
                    Tree::List(
                        v.validations
                            .iter()
                            .map(|(c, m)| {
                                Tree::object([
                                    ("condition", Tree::Expr(Arc::new(c.clone()))),
                                    ("error_message", Tree::Str(m.clone())),
                                ])
                            })
                            .collect(),
                    ),
                );
            }
            vars.push(v.name.clone(), t);
        }
        doc.push("variable", vars);
    }

    if !s.locals.is_empty() {
        let mut sorted: Vec<_> = s.locals.to_vec();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        doc.push("locals", Tree::Object(sorted));
    }

    // data sources, including remote state reads
    let mut data: BTreeMap<String, BTreeMap<String, Tree>> = BTreeMap::new();
    for &pi in reads {
        let (p_name, p_backend) = (&names[pi], &backends[pi]);
        let (backend, config) = match p_backend {
            None => (
                "local",
                Tree::object([(
                    "path",
                    Tree::Str(format!("../{}/terraform.tfstate", p_name)),
                )]),
            ),
            Some(crate::Backend::Local { path }) => (
                "local",
                Tree::object([(
                    "path",
                    Tree::Str(format!(
                        "../{}/{}",
                        p_name,
                        path.clone().unwrap_or_else(|| "terraform.tfstate".into())
                    )),
                )]),
            ),
            Some(b) => (b.kind(), b.config()),
        };
        data.entry("terraform_remote_state".into())
            .or_default()
            .insert(
                p_name.clone(),
                Tree::object([("backend", Tree::Str(backend.into())), ("config", config)]),
            );
    }
    let mut resources: BTreeMap<String, BTreeMap<String, Tree>> = BTreeMap::new();
    let id = s.id;
    for b in s.blocks {
        let body = block_tree(b.meta, b.body, id);
        let map = match b.kind {
            BlockKind::Resource => &mut resources,
            BlockKind::Data => &mut data,
        };
        map.entry(b.ty.to_string())
            .or_default()
            .insert(b.name.to_string(), body);
    }
    let nest = |m: BTreeMap<String, BTreeMap<String, Tree>>| {
        Tree::Object(
            m.into_iter()
                .map(|(k, v)| (k, Tree::Object(v.into_iter().collect())))
                .collect(),
        )
    };
    if !data.is_empty() {
        doc.push("data", nest(data));
    }
    if !resources.is_empty() {
        doc.push("resource", nest(resources));
    }

    if !s.modules.is_empty() {
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
                body.push(
                    "providers",
                    Tree::Object(
                        m.providers
                            .iter()
                            .map(|(k, v)| (k.clone(), Tree::Str(v.clone())))
                            .collect(),
                    ),
                );
            }
            t.push(n.clone(), body);
        }
        doc.push("module", t);
    }

    // outputs: the user's and the exports other stacks read
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
    for (key, e) in &exports.by_key {
        let mut t = Tree::empty();
        t.push("value", Tree::Expr(Arc::new(e.node.clone())));
        t.push(
            "description",
            Tree::Str(format!("{key}, read by other stacks of this target")),
        );
        if e.sensitive {
            t.push("sensitive", Tree::Bool(true));
        }
        outs.insert(e.output.to_string(), t);
    }
    if !outs.is_empty() {
        doc.push("output", Tree::Object(outs.into_iter().collect()));
    }

    if !s.moved.is_empty() {
        doc.push(
            "moved",
            Tree::List(
                s.moved
                    .iter()
                    .map(|(from, to)| {
                        Tree::object([
                            ("from", Tree::Str(from.clone())),
                            ("to", Tree::Str(Node::Ref(to.clone()).to_hcl())),
                        ])
                    })
                    .collect(),
            ),
        );
    }
    if !s.imports.is_empty() {
        doc.push(
            "import",
            Tree::List(
                s.imports
                    .iter()
                    .map(|i| {
                        let mut t = Tree::object([
                            ("to", Tree::Str(Node::Ref(i.to.clone()).to_hcl())),
                            ("id", i.id.clone()),
                        ]);
                        if let Some(p) = &i.provider {
                            t.push("provider", Tree::Str(p.meta_value()));
                        }
                        t
                    })
                    .collect(),
            ),
        );
    }
    doc
}

/// A block's body with its meta-arguments.
fn block_tree(m: crate::Meta, body: Tree, this: StackId) -> Tree {
    let mut t = Tree::empty();
    if let Some(p) = &m.provider {
        t.push("provider", Tree::Str(p.meta_value()));
    }
    if let Some(c) = m.count {
        t.push("count", c);
    }
    if let Some(f) = m.for_each {
        t.push("for_each", f);
    }
    let local_deps: Vec<Tree> = m
        .depends_on
        .iter()
        .filter(|d| d.reference.stack == Some(this))
        .map(|d| Tree::Str(subject_address(&d.reference.subject)))
        .collect();
    if let Tree::Object(items) = body {
        for (k, v) in items {
            t.push(k, v);
        }
    }
    if !local_deps.is_empty() {
        t.push("depends_on", Tree::List(local_deps));
    }
    if let Some(l) = &m.lifecycle {
        t.push("lifecycle", l.to_tree());
    }
    t
}
