//! The reference graph inside one stack: a block that refers to itself, and blocks,
//! locals and modules that refer to each other in a cycle (terraform refuses both;
//! cycles between stacks are `cycles.rs`).

use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::expr::{Reference, Subject};
use crate::resource::BlockKind;
use crate::sites::{Item, Owner, Site};

use super::raw_refs::{scan_raw_refs, RawRef};
use super::StackCx;

/// What can take part in a cycle.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Resource,
    Data,
    Local,
    Module,
}

type Key<'a> = (Kind, &'a str, &'a str);

/// The graph of one stack, filled site by site during the shared walk.
pub(crate) struct Graph<'a> {
    /// Nodes by name, built at the first lookup that needs it (raw text, locals,
    /// modules, handles made by hand).
    index: OnceCell<FxHashMap<Key<'a>, usize>>,
    /// Block nodes by the address of their name: a typed handle shares the `Arc`
    /// of the block it was returned for, so most lookups hash nothing.
    by_name_ptr: Vec<(usize, usize)>,
    names: Vec<Key<'a>>,
    edges: Vec<Vec<usize>>,
    /// The owner of the previous site (consecutive sites mostly share one): its
    /// address in memory and its node.
    last_owner: Option<(usize, usize)>,
    /// Reused for the targets of each site.
    scratch: Vec<usize>,
}

impl<'a> Graph<'a> {
    /// The nodes of `cx`'s stack, with no edges yet.
    pub(crate) fn new(cx: &StackCx<'a>) -> Self {
        let s = cx.stack;
        let blocks = s.blocks.iter().map(|b| {
            let kind = match b.kind {
                BlockKind::Resource => Kind::Resource,
                BlockKind::Data => Kind::Data,
            };
            (kind, &*b.ty, &*b.name)
        });
        let locals = s.locals.iter().map(|(n, _)| (Kind::Local, n.as_str(), ""));
        let modules = s
            .modules
            .iter()
            .map(|(n, _)| (Kind::Module, n.as_str(), ""));
        let names: Vec<Key<'a>> = blocks.chain(locals).chain(modules).collect();
        let mut by_name_ptr: Vec<(usize, usize)> = s
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| (name_ptr(&b.name), i))
            .collect();
        by_name_ptr.sort_unstable();
        Graph {
            edges: vec![Vec::new(); names.len()],
            index: OnceCell::new(),
            by_name_ptr,
            names,
            last_owner: None,
            scratch: Vec::new(),
        }
    }

    fn index(&self) -> &FxHashMap<Key<'a>, usize> {
        self.index.get_or_init(|| {
            self.names
                .iter()
                .enumerate()
                .map(|(i, k)| (*k, i))
                .collect()
        })
    }

    /// The node of a block by its key, through its name's address when it is the
    /// block's own `Arc`.
    fn block_node(&self, name: &Arc<str>, key: Key<'_>) -> Option<usize> {
        let ptr = name_ptr(name);
        if let Ok(at) = self.by_name_ptr.binary_search_by_key(&ptr, |&(p, _)| p) {
            let node = self.by_name_ptr[at].1;
            if self.names[node] == key {
                return Some(node);
            }
        }
        self.index().get(&key).copied()
    }

    /// The node of a site's owner, if it can take part in a cycle.
    fn owner_node(&mut self, owner: &Owner<'a>) -> Option<usize> {
        let (identity, key) = match *owner {
            Owner::Block(b) => {
                let kind = match b.kind {
                    BlockKind::Resource => Kind::Resource,
                    BlockKind::Data => Kind::Data,
                };
                (b as *const _ as usize, (kind, &*b.ty, &*b.name))
            }
            Owner::Local(n) => (n.as_ptr() as usize, (Kind::Local, n, "")),
            Owner::Module(n) => (n.as_ptr() as usize, (Kind::Module, n, "")),
            _ => return None,
        };
        if let Some((id, node)) = self.last_owner {
            if id == identity {
                return Some(node);
            }
        }
        let node = match *owner {
            Owner::Block(b) => self.block_node(&b.name, key)?,
            _ => *self.index().get(&key)?,
        };
        self.last_owner = Some((identity, node));
        Some(node)
    }

    /// Adds the edges of one site; a reference of a block to itself is reported here,
    /// where its field is known.
    pub(crate) fn add(&mut self, cx: &StackCx<'_>, site: &Site<'_, 'a>, out: &mut Vec<Diagnostic>) {
        let Some(from) = self.owner_node(&site.owner) else {
            return;
        };
        let mut targets = std::mem::take(&mut self.scratch);
        targets.clear();
        match site.item {
            Item::Expr(n) => {
                n.visit_refs(&mut |r| targets.extend(self.typed_target(cx, r)));
                n.visit_raw(&mut |text| {
                    for r in scan_raw_refs(text) {
                        targets.extend(self.raw_target(&r));
                    }
                });
            }
            Item::Dependency(r) => targets.extend(self.typed_target(cx, r)),
            Item::NonFiniteNumber => {}
        }
        for &to in &targets {
            if to == from {
                let addr = site.owner.address();
                out.push(cx.diag(
                    &addr,
                    &site.field(),
                    format!("refers to the block itself (`{addr}`); a block cannot depend on its own attributes"),
                ));
            } else if !self.edges[from].contains(&to) {
                self.edges[from].push(to);
            }
        }
        self.scratch = targets;
    }

    fn typed_target(&self, cx: &StackCx<'_>, r: &Reference) -> Option<usize> {
        if r.stack.is_some_and(|s| s != cx.stack.id) {
            return None;
        }
        match &r.subject {
            Subject::Resource { ty, name } => self.block_node(name, (Kind::Resource, ty, name)),
            Subject::Data { ty, name } => self.block_node(name, (Kind::Data, ty, name)),
            Subject::Local(n) => self.index().get(&(Kind::Local, &**n, "")).copied(),
            Subject::Module(n) => self.index().get(&(Kind::Module, &**n, "")).copied(),
            _ => None,
        }
    }

    fn raw_target(&self, r: &RawRef) -> Option<usize> {
        let key = match r {
            RawRef::Resource(t, n) => (Kind::Resource, t.as_str(), n.as_str()),
            RawRef::Data(t, n) => (Kind::Data, t.as_str(), n.as_str()),
            RawRef::Local(n) => (Kind::Local, n.as_str(), ""),
            RawRef::Module(n) => (Kind::Module, n.as_str(), ""),
            RawRef::Var(_) => return None,
        };
        self.index().get(&key).copied()
    }

    /// One error for each cycle found, at its first declared member.
    pub(crate) fn report_cycles(&self, cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
        // Iterative depth-first search: 0 = unseen, 1 = on the path, 2 = done.
        let mut state = vec![0u8; self.names.len()];
        for root in 0..self.names.len() {
            if state[root] != 0 {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let Some(&to) = self.edges[node].get(*next) else {
                    state[node] = 2;
                    path.pop();
                    continue;
                };
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        path.push((to, 0));
                    }
                    1 => out.push(self.cycle_diag(cx, &path, to)),
                    _ => {}
                }
            }
        }
    }

    fn cycle_diag(&self, cx: &StackCx<'_>, path: &[(usize, usize)], to: usize) -> Diagnostic {
        let start = path.iter().position(|&(n, _)| n == to).unwrap_or(0);
        let mut members: Vec<String> = path[start..]
            .iter()
            .map(|&(n, _)| self.address(n))
            .collect();
        let first = members.first().cloned().unwrap_or_default();
        members.push(first.clone());
        cx.diag(
            &first,
            "",
            format!("references form a cycle: {}", members.join(" -> ")),
        )
    }

    fn address(&self, n: usize) -> String {
        match self.names[n] {
            (Kind::Resource, ty, name) => format!("{ty}.{name}"),
            (Kind::Data, ty, name) => format!("data.{ty}.{name}"),
            (Kind::Local, name, _) => format!("local.{name}"),
            (Kind::Module, name, _) => format!("module.{name}"),
        }
    }
}

/// The address of a name's text, which identifies the `Arc` it lives in.
fn name_ptr(name: &Arc<str>) -> usize {
    Arc::as_ptr(name) as *const u8 as usize
}
