//! Expression depth: every later phase walks expressions recursively, so an
//! expression nested deeper than [`MAX_DEPTH`] is refused first, by an iterative walk.

use rustc_hash::FxHashMap;

use crate::diag::Diagnostic;
use crate::sites::{Item, Site};
use crate::stack::Stack;
use crate::syntax::Node;

/// The deepest nesting of calls, operators and collections accepted. Hand-written
/// and generated programs stay far below it; past it, rendering and checking
/// would recurse deep enough to overflow a thread's stack.
pub(crate) const MAX_DEPTH: usize = 256;

/// The error for an expression site of `stack` nested deeper than [`MAX_DEPTH`], if
/// it is. Collect's walk, the first over the expressions, asks it at every site before
/// anything recursive reads the expression, and stops the synth when any is too deep.
pub(crate) fn check_site(target: &str, stack: &Stack, site: &Site<'_, '_>) -> Option<Diagnostic> {
    let Item::Expr(node) = site.item else {
        return None;
    };
    deeper_than(node, MAX_DEPTH).then(|| {
        Diagnostic::new(format!(
            "expression is nested more than {MAX_DEPTH} levels deep; split it with locals"
        ))
        .target(target)
        .stack(stack.name.clone())
        .address(site.owner.address())
        .field(site.field())
    })
}

/// Below this depth nodes are walked without remembering them.
const MEMO_FROM: usize = 8;

/// True when a path from `root` to a leaf is longer than `limit` nodes. Shared
/// subtrees are walked again only when reached at a greater depth, so a DAG of
/// shared subexpressions costs at most `limit` visits per node.
pub(crate) fn deeper_than(root: &Node, limit: usize) -> bool {
    // Most expressions are a lone reference: no allocation for them.
    if !root.has_children() {
        return limit == 0;
    }
    let mut deepest_seen: FxHashMap<*const Node, usize> = FxHashMap::default();
    let mut pending: Vec<(&Node, usize)> = vec![(root, 1)];
    while let Some((node, depth)) = pending.pop() {
        if depth > limit {
            return true;
        }
        node.for_each_child(&mut |child| {
            // Shallow nodes are not worth remembering; deep shared ones are.
            if depth >= MEMO_FROM {
                let seen = deepest_seen
                    .entry(std::sync::Arc::as_ptr(child))
                    .or_insert(0);
                if depth < *seen {
                    return;
                }
                *seen = depth + 1;
            }
            pending.push((child, depth + 1));
        });
    }
    false
}
