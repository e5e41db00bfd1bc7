//! Where expressions sit in a stack ([`visit_stack`]) and what a target's stacks
//! declare ([`Declarations`]): the one view of a target that collect and checks share.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

use crate::expr::{subject_address, Node, Reference, StackId, Subject};
use crate::resource::BlockKind;
use crate::stack::{BlockEntry, Stack};
use crate::tree::{path_string, PathSeg, Tree};

/// The declaration that holds an expression; its address names it in diagnostics.
#[derive(Clone, Copy)]
pub(crate) enum Owner<'a> {
    /// A provider configuration, `provider.<local name>`.
    Provider(&'a str),
    /// A resource or data source.
    Block(&'a BlockEntry),
    /// `var.<name>`
    Variable(&'a str),
    /// `local.<name>`
    Local(&'a str),
    /// `module.<name>`
    Module(&'a str),
    /// `output.<name>`
    Output(&'a str),
    /// `import.<address>`
    Import(&'a Subject),
    /// `check.<name>`
    Check(&'a str),
    /// An `ephemeral` block.
    Ephemeral(&'a crate::ephemeral::EphemeralEntry),
}

impl Owner<'_> {
    /// The address diagnostics name (`aws_vpc.main`, `var.region`).
    pub(crate) fn address(&self) -> String {
        match self {
            Owner::Provider(n) => format!("provider.{n}"),
            Owner::Block(b) => b.address(),
            Owner::Variable(n) => format!("var.{n}"),
            Owner::Local(n) => format!("local.{n}"),
            Owner::Module(n) => format!("module.{n}"),
            Owner::Output(n) => format!("output.{n}"),
            Owner::Import(s) => format!("import.{}", subject_address(s)),
            Owner::Check(n) => format!("check.{n}"),
            Owner::Ephemeral(e) => e.address(),
        }
    }
}

/// Where a reference can appear, for the `each`/`count` checks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Inside a resource or data block's body or lifecycle.
    Block {
        /// The block sets `count`.
        count: bool,
        /// The block sets `for_each`.
        for_each: bool,
    },
    /// Anywhere else (meta-arguments, variables, outputs...).
    Other,
}

/// What sits at a site.
#[derive(Clone, Copy)]
pub(crate) enum Item<'a> {
    /// An expression (references and raw text inside it).
    Expr(&'a Node),
    /// A `depends_on` entry.
    Dependency(&'a Reference),
    /// A number that is NaN or infinite.
    NonFiniteNumber,
}

/// One expression position in a stack. The field path is built only when a
/// diagnostic needs it: most sites are fine, and allocating a path for each was
/// a measurable share of the synth.
pub(crate) struct Site<'s, 'a> {
    /// The declaration holding the expression.
    pub owner: Owner<'a>,
    /// Field of the tree inside the owner (`default`, `value`), or "" for a body.
    base: &'a str,
    /// Path inside that tree.
    path: &'s [PathSeg<'a>],
    /// What is there.
    pub item: Item<'a>,
    /// Where it is, for `each`/`count`.
    pub scope: Scope,
}

impl Site<'_, '_> {
    /// The field path diagnostics name (`vpc_config.subnet_ids`).
    pub(crate) fn field(&self) -> String {
        let p = path_string(self.path);
        match (self.base.is_empty(), p.is_empty()) {
            (true, _) => p,
            (false, true) => self.base.to_string(),
            (false, false) if p.starts_with('[') => format!("{}{p}", self.base),
            (false, false) => format!("{}.{p}", self.base),
        }
    }
}

type Visitor<'f, 'a> = dyn FnMut(&Site<'_, 'a>) + 'f;

/// Calls `f` on every expression position of `stack`, in declaration order:
/// providers, blocks, variables, locals, modules, outputs, imports.
pub(crate) fn visit_stack<'a>(stack: &'a Stack, f: &mut Visitor<'_, 'a>) {
    // One path for every tree of the stack: each walk leaves it empty.
    let path = &mut Vec::new();
    for p in &stack.providers {
        let owner = Owner::Provider(&p.req.local_name);
        visit_tree(path, owner, "", &p.body, Scope::Other, f);
    }
    for b in &stack.blocks {
        visit_block(path, b, f);
    }
    for e in &stack.ephemerals {
        visit_tree(path, Owner::Ephemeral(e), "", &e.body, Scope::Other, f);
    }
    for v in &stack.variables {
        let owner = Owner::Variable(v.name.as_str());
        if let Some(def) = &v.default {
            visit_tree(path, owner, "default", def, Scope::Other, f);
        }
        for (c, _) in &v.validations {
            visit_node(owner, "validation.condition", c, Scope::Other, f);
        }
    }
    for (n, t) in &stack.locals {
        visit_tree(path, Owner::Local(n), "", t, Scope::Other, f);
    }
    for (n, m) in &stack.modules {
        for (k, t) in &m.inputs {
            visit_tree(path, Owner::Module(n), k, t, Scope::Other, f);
        }
    }
    for (n, o) in &stack.outputs {
        visit_tree(path, Owner::Output(n), "value", &o.value, Scope::Other, f);
    }
    for imp in &stack.imports {
        let owner = Owner::Import(&imp.to.subject);
        let scope = Scope::Block {
            count: false,
            for_each: imp.for_each.is_some(),
        };
        visit_tree(path, owner, "id", &imp.id, scope, f);
        if let Some(fe) = &imp.for_each {
            visit_tree(path, owner, "for_each", fe, Scope::Other, f);
        }
    }
    for c in &stack.checks {
        for (cond, _) in &c.asserts {
            visit_node(
                Owner::Check(&c.name),
                "assert.condition",
                cond,
                Scope::Other,
                f,
            );
        }
    }
}

fn visit_block<'a>(path: &mut Vec<PathSeg<'a>>, b: &'a BlockEntry, f: &mut Visitor<'_, 'a>) {
    let owner = Owner::Block(b);
    let m = b.meta();
    let scope = Scope::Block {
        count: m.count.is_some(),
        for_each: m.for_each.is_some(),
    };
    visit_tree(path, owner, "", &b.body, scope, f);
    if let Some(c) = &m.count {
        visit_tree(path, owner, "count", c, Scope::Other, f);
    }
    if let Some(fe) = &m.for_each {
        visit_tree(path, owner, "for_each", fe, Scope::Other, f);
    }
    for dep in &m.depends_on {
        f(&Site {
            owner,
            base: "depends_on",
            path: &[],
            item: Item::Dependency(&dep.reference),
            scope: Scope::Other,
        });
    }
    if let Some(l) = &m.lifecycle {
        for n in l.nodes() {
            visit_node(owner, "lifecycle", n, scope, f);
        }
    }
}

fn visit_node<'a>(
    owner: Owner<'a>,
    base: &'a str,
    n: &'a Node,
    scope: Scope,
    f: &mut Visitor<'_, 'a>,
) {
    f(&Site {
        owner,
        base,
        path: &[],
        item: Item::Expr(n),
        scope,
    });
}

/// The expressions of a tree, then its non-finite numbers (a second walk, only for a
/// tree that holds one: nearly none do).
fn visit_tree<'a>(
    path: &mut Vec<PathSeg<'a>>,
    owner: Owner<'a>,
    base: &'a str,
    t: &'a Tree,
    scope: Scope,
    f: &mut Visitor<'_, 'a>,
) {
    let non_finite = t.visit_exprs_noting_non_finite(path, &mut |path, n| {
        if matches!(n, Node::Str(_) | Node::Num(_) | Node::Bool(_) | Node::Null) {
            return;
        }
        f(&Site {
            owner,
            base,
            path,
            item: Item::Expr(n),
            scope,
        });
    });
    if !non_finite {
        return;
    }
    visit_numbers(t, &mut Vec::new(), &mut |path| {
        f(&Site {
            owner,
            base,
            path,
            item: Item::NonFiniteNumber,
            scope,
        })
    });
}

fn visit_numbers<'a>(t: &'a Tree, path: &mut Vec<PathSeg<'a>>, f: &mut dyn FnMut(&[PathSeg<'a>])) {
    match t {
        Tree::Num(n) if !n.is_finite() => f(path),
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

type BlockKey = (BlockKind, Arc<str>, Arc<str>);

/// What each stack of a target declares, and where each stack sits in the target.
pub(crate) struct Declarations<'a> {
    stacks: &'a [Stack],
    by_id: FxHashMap<StackId, usize>,
    blocks: Vec<FxHashSet<BlockKey>>,
    /// The blocks declared with `count` or `for_each`, per stack.
    repeated: Vec<FxHashSet<BlockKey>>,
}

impl<'a> Declarations<'a> {
    /// Indexes the stacks of one target.
    pub(crate) fn new(stacks: &'a [Stack]) -> Self {
        Declarations {
            stacks,
            by_id: stacks.iter().enumerate().map(|(i, s)| (s.id, i)).collect(),
            blocks: stacks
                .iter()
                .map(|s| {
                    s.blocks
                        .iter()
                        .map(|b| (b.kind, b.ty.clone(), b.name.clone()))
                        .collect()
                })
                .collect(),
            repeated: stacks
                .iter()
                .map(|s| {
                    s.blocks
                        .iter()
                        .filter(|b| b.meta().count.is_some() || b.meta().for_each.is_some())
                        .map(|b| (b.kind, b.ty.clone(), b.name.clone()))
                        .collect()
                })
                .collect(),
        }
    }

    /// The stacks, in the order added.
    pub(crate) fn stacks(&self) -> &'a [Stack] {
        self.stacks
    }

    /// The position in the target of the stack with this id, if it is part of it.
    pub(crate) fn position(&self, id: StackId) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// True when stack `si` declares `subject` (`each`/`count` always are).
    pub(crate) fn declares(&self, si: usize, subject: &Subject) -> bool {
        let stack = &self.stacks[si];
        let blocks = &self.blocks[si];
        match subject {
            Subject::Resource { ty, name } => {
                blocks.contains(&(BlockKind::Resource, ty.clone(), name.clone()))
            }
            Subject::Data { ty, name } => {
                blocks.contains(&(BlockKind::Data, ty.clone(), name.clone()))
            }
            Subject::Ephemeral { ty, name } => stack
                .ephemerals
                .iter()
                .any(|e| e.ty == *ty && e.name == *name),
            Subject::Var(n) => stack.variables.iter().any(|v| *v.name == **n),
            Subject::Local(n) => stack.locals.iter().any(|(l, _)| **l == **n),
            Subject::Module(n) => stack.modules.iter().any(|(m, _)| **m == **n),
            _ => true,
        }
    }

    /// `Some("count")` or `Some("for_each")` when stack `si` declares `subject` as a
    /// block with that meta-argument: its attributes are read per instance.
    pub(crate) fn repeated_by(&self, si: usize, subject: &Subject) -> Option<&'static str> {
        let key = match subject {
            Subject::Resource { ty, name } => (BlockKind::Resource, ty.clone(), name.clone()),
            Subject::Data { ty, name } => (BlockKind::Data, ty.clone(), name.clone()),
            _ => return None,
        };
        if !self.repeated[si].contains(&key) {
            return None;
        }
        let block = self.stacks[si]
            .blocks
            .iter()
            .find(|b| b.kind == key.0 && b.ty == key.1 && b.name == key.2)?;
        Some(if block.meta().for_each.is_some() {
            "for_each"
        } else {
            "count"
        })
    }

    /// True when `subject` is a sensitive variable of stack `si`.
    pub(crate) fn is_sensitive_variable(&self, si: usize, subject: &Subject) -> bool {
        match subject {
            Subject::Var(n) => self.stacks[si]
                .variables
                .iter()
                .any(|v| *v.name == **n && v.sensitive),
            _ => false,
        }
    }
}
