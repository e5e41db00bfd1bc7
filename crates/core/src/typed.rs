//! Shared by every generated provider crate: the [`FromExpr`] trait behind typed
//! access into nested blocks (`eks.certificate_authority().at(0).data()`), and the
//! helpers generated builders and getters call. The typed views themselves
//! (`ObjectExpr`, `ListExpr`, ...) are generated into each provider crate, because the
//! getters of a provider's nested types are inherent methods on them.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::{Expr, Node, RefBase, Step, ToTree, Tree, Value};

/// A typed view of an expression: [`Expr<T>`] for plain values; generated crates add
/// `ObjectExpr` for objects and blocks, and `ListExpr`, `SetExpr` and `MapExpr` for
/// collections of them.
pub trait FromExpr {
    /// The Terraform value type this expression has.
    type Value;
    /// Wraps an expression node (used by generated getters).
    fn from_node(node: Node) -> Self;
}

impl<T> FromExpr for Expr<T> {
    type Value = T;
    fn from_node(node: Node) -> Self {
        Expr::from_node(node)
    }
}

/// `node[i]`.
#[doc(hidden)]
pub fn index(node: &Node, i: Node) -> Node {
    node.with_step(Step::Index(Arc::new(i)))
}

/// Marks a reference sensitive.
#[doc(hidden)]
pub fn mark_sensitive(mut node: Node) -> Node {
    if let Node::Ref(r) = &mut node {
        r.sensitive = true;
    }
    node
}

/// An attribute or block of a declared resource or data source.
#[doc(hidden)]
pub fn root<A: FromExpr>(base: &RefBase, name: &str, sensitive: bool) -> A {
    // The node is built in place, not through an `Expr` and a copy of its node.
    A::from_node(Node::Ref(base.attr_reference(name, sensitive)))
}

/// A field of an object or nested block.
#[doc(hidden)]
pub fn field<A: FromExpr>(node: &Node, name: &str, sensitive: bool) -> A {
    let n = node.with_step(Step::Attr(name.into()));
    A::from_node(if sensitive { mark_sensitive(n) } else { n })
}

/// Writes an optional argument.
#[doc(hidden)]
pub fn put<T: ToTree>(t: &mut Tree, key: &'static str, v: &Option<Value<T>>) {
    if let Some(v) = v {
        t.push(key, v.to_tree());
    }
}

/// Writes an object field, `null` when unset (object types whose fields terraform
/// requires to be present).
#[doc(hidden)]
pub fn put_or_null<T: ToTree>(t: &mut Tree, key: &'static str, v: &Option<Value<T>>) {
    t.push(key, v.as_ref().map_or(Tree::Null, ToTree::to_tree));
}

/// Writes a required argument.
#[doc(hidden)]
pub fn put_req<T: ToTree>(t: &mut Tree, key: &'static str, v: &Value<T>) {
    t.push(key, v.to_tree());
}

/// Writes a block that appears at most once, as an object.
#[doc(hidden)]
pub fn put_block<B: ToTree>(t: &mut Tree, key: &'static str, b: &Option<B>) {
    if let Some(b) = b {
        t.push(key, b.to_tree());
    }
}

/// Writes a repeated block as an array of objects, if any was given.
#[doc(hidden)]
pub fn put_blocks<B: ToTree>(t: &mut Tree, key: &'static str, v: &[B]) {
    if !v.is_empty() {
        t.push(key, Tree::List(v.iter().map(ToTree::to_tree).collect()));
    }
}

/// Writes blocks keyed by label as an object.
#[doc(hidden)]
pub fn put_block_map<B: ToTree>(t: &mut Tree, key: &'static str, m: &BTreeMap<String, B>) {
    if !m.is_empty() {
        t.push(key, m.to_tree());
    }
}

// By value: generated `into_tree` moves each field into the tree (no string is copied).

/// Writes an optional argument, moving it.
#[doc(hidden)]
pub fn put_owned<T: ToTree>(t: &mut Tree, key: &'static str, v: Option<Value<T>>) {
    if let Some(v) = v {
        t.push(key, v.into_tree());
    }
}

/// Writes an object field, `null` when unset, moving it.
#[doc(hidden)]
pub fn put_or_null_owned<T: ToTree>(t: &mut Tree, key: &'static str, v: Option<Value<T>>) {
    t.push(key, v.map_or(Tree::Null, ToTree::into_tree));
}

/// Writes a required argument, moving it.
#[doc(hidden)]
pub fn put_req_owned<T: ToTree>(t: &mut Tree, key: &'static str, v: Value<T>) {
    t.push(key, v.into_tree());
}

/// Writes a block that appears at most once, moving it.
#[doc(hidden)]
pub fn put_block_owned<B: ToTree>(t: &mut Tree, key: &'static str, b: Option<B>) {
    if let Some(b) = b {
        t.push(key, b.into_tree());
    }
}

/// Writes a repeated block as an array of objects, if any was given, moving them.
#[doc(hidden)]
pub fn put_blocks_owned<B: ToTree>(t: &mut Tree, key: &'static str, v: Vec<B>) {
    if !v.is_empty() {
        t.push(
            key,
            Tree::List(v.into_iter().map(ToTree::into_tree).collect()),
        );
    }
}

/// Writes blocks keyed by label as an object, moving them.
#[doc(hidden)]
pub fn put_block_map_owned<B: ToTree>(t: &mut Tree, key: &'static str, m: BTreeMap<String, B>) {
    if !m.is_empty() {
        t.push(key, m.into_tree());
    }
}
