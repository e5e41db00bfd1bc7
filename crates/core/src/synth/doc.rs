//! The rendered document of one stack, [`Doc`]: the tree of its `main.tf.json`
//! that borrows the stack's bodies and expressions instead of owning copies.
//!
//! Borrowing is what lets render and write run while the checks still read the same
//! stacks (on the other core), and it leaves nothing large to free after writing.

use std::collections::BTreeMap;

use crate::expr::{subject_address, Node, RefRenderer, StackId};
use crate::stack::BlockEntry;
use crate::tree::{
    write_json, write_json_expr, write_json_list, write_json_literal, write_json_object, WriteJson,
};
use crate::tree::{Key, Tree};

/// A rendered value: built by render, or borrowed from the stack.
pub(crate) enum Doc<'a> {
    /// A value render built (the `terraform` block, outputs, remote state reads).
    Owned(Tree),
    /// A value of the stack, written where it is.
    Tree(&'a Tree),
    /// A literal string of the stack.
    Str(&'a str),
    /// An expression of the stack.
    Expr(&'a Node),
    /// An array.
    List(Vec<Doc<'a>>),
    /// An object in the given order.
    Object(Vec<(&'a str, Doc<'a>)>),
    /// An object sorted by key (blocks by type, then by name).
    Map(BTreeMap<&'a str, Doc<'a>>),
    /// A resource or data source: its body with its meta-arguments, written from the
    /// stack `StackId` (a `depends_on` on another stack is met by the stack order).
    Block(&'a BlockEntry, StackId),
}

impl<'a> Doc<'a> {
    /// An empty object.
    pub fn object() -> Self {
        Doc::Object(Vec::new())
    }

    /// Appends a key to an object (no-op on other variants).
    pub fn push(&mut self, key: &'a str, value: Doc<'a>) {
        if let Doc::Object(entries) = self {
            entries.push((key, value));
        }
    }
}

impl WriteJson for Doc<'_> {
    fn write_json(&self, out: &mut String, indent: usize, rr: &dyn RefRenderer) {
        match self {
            Doc::Owned(t) => write_json(out, t, indent, rr),
            Doc::Tree(t) => write_json(out, t, indent, rr),
            Doc::Str(s) => write_json_literal(out, s),
            Doc::Expr(n) => write_json_expr(out, n, rr),
            Doc::List(items) => write_json_list(out, items, indent, rr),
            Doc::Object(entries) => write_json_object(
                out,
                entries.len(),
                entries.iter().map(|(k, v)| (*k, v)),
                indent,
                rr,
            ),
            Doc::Map(entries) => write_json_object(
                out,
                entries.len(),
                entries.iter().map(|(k, v)| (*k, v)),
                indent,
                rr,
            ),
            Doc::Block(b, this) => write_block(out, b, *this, indent, rr),
        }
    }
}

/// Writes a block's body with its meta-arguments: `provider`, `count` and `for_each`
/// first, then the body's arguments, then `depends_on` and `lifecycle`. Only the
/// meta-arguments that need building are built; the body is written where it is.
fn write_block(
    out: &mut String,
    b: &BlockEntry,
    this: StackId,
    indent: usize,
    rr: &dyn RefRenderer,
) {
    let m = b.meta();
    let provider = m.provider.as_ref().map(|p| Tree::Str(p.meta_value()));
    // A dependency on another stack is met by the stack order, not written.
    let local_deps: Vec<Tree> = m
        .depends_on
        .iter()
        .filter(|d| d.reference.stack == Some(this))
        .map(|d| Tree::Str(subject_address(&d.reference.subject)))
        .collect();
    let depends_on = (!local_deps.is_empty()).then(|| Tree::List(local_deps));
    let lifecycle = m.lifecycle.as_ref().map(|l| l.to_tree());
    let head = [
        ("provider", provider.as_ref()),
        ("count", m.count.as_ref()),
        ("for_each", m.for_each.as_ref()),
    ];
    let tail = [
        ("depends_on", depends_on.as_ref()),
        ("lifecycle", lifecycle.as_ref()),
    ];
    let body: &[(Key, Tree)] = match &b.body {
        Tree::Object(items) => items,
        _ => &[],
    };
    let len = head.iter().filter(|(_, v)| v.is_some()).count()
        + body.len()
        + tail.iter().filter(|(_, v)| v.is_some()).count();
    let entries = head
        .into_iter()
        .filter_map(present)
        .chain(body.iter().map(|(k, v)| (&**k, v)))
        .chain(tail.into_iter().filter_map(present));
    write_json_object(out, len, entries, indent, rr);
}

/// A meta-argument entry, when it is set.
fn present<'t>((key, value): (&'t str, Option<&'t Tree>)) -> Option<(&'t str, &'t Tree)> {
    Some((key, value?))
}
