//! The output document: an ordered JSON-like [`Tree`] whose leaves may be expressions,
//! written as deterministic pretty JSON by `json`.
//!
//! It sits on the untyped syntax tree ([`Node`]) and below the typed `Expr<T>` API:
//! the typed layer converts into it through [`ToTree`], never the reverse.

use std::borrow::Cow;
use std::sync::Arc;

use crate::number::Number;
use crate::syntax::Node;

mod convert;
mod json;
mod path;

pub use convert::ToTree;
pub(crate) use json::{
    write_json, write_json_expr, write_json_list, write_json_literal, write_json_object, WriteJson,
};
pub use path::{path_string, PathSeg};

/// An ordered document: what a block's body, a local or an output value is made of.
///
/// Objects keep insertion order (declaration order of a struct's fields); user-keyed
/// maps come from `BTreeMap` and so are sorted. Expression leaves are written as
/// `"${...}"`, literal strings are escaped so that they never interpolate.
///
/// An object key is a [`Key`]: an argument name given as a string literal (what
/// generated types push) is borrowed, not copied; a stack holds hundreds of thousands.
///
/// ```
/// use terrane_core::Tree;
/// let t = Tree::object([("Version", Tree::from("2012-10-17")), ("n", Tree::from(3))]);
/// assert_eq!(t.to_json(), "{\n  \"Version\": \"2012-10-17\",\n  \"n\": 3\n}");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    /// `null`
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(Number),
    /// A literal string.
    Str(String),
    /// An expression, written as `"${...}"` (a template is written as the template string).
    /// Shared with the [`crate::Expr`] it came from.
    Expr(Arc<Node>),
    /// An array.
    List(Vec<Tree>),
    /// An object in insertion order.
    Object(Vec<(Key, Tree)>),
}

/// An object key of a [`Tree`]: a string literal, borrowed, or an owned `String`.
///
/// ```
/// use terrane_core::Tree;
/// let mut t = Tree::empty();
/// t.push("cidr_block", Tree::from("10.0.0.0/16")); // borrowed: no allocation
/// t.push(format!("tag_{}", 1), Tree::from(true)); // owned
/// let Tree::Object(entries) = &t else { unreachable!() };
/// assert_eq!(entries[0].0, "cidr_block");
/// assert_eq!(&*entries[1].0, "tag_1");
/// ```
pub type Key = Cow<'static, str>;

impl Tree {
    /// An object from key/value pairs, in the given order.
    pub fn object<K: Into<Key>>(pairs: impl IntoIterator<Item = (K, Tree)>) -> Tree {
        Tree::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
    /// An array.
    pub fn list(items: impl IntoIterator<Item = Tree>) -> Tree {
        Tree::List(items.into_iter().collect())
    }
    /// An empty object.
    pub fn empty() -> Tree {
        Tree::Object(Vec::new())
    }

    /// Appends a key to an object (no-op on other variants). A string literal key is
    /// borrowed; pass a `String` (`name.to_string()`) for a key made at run time.
    pub fn push(&mut self, key: impl Into<Key>, value: Tree) {
        if let Tree::Object(v) = self {
            v.push((key.into(), value));
        }
    }

    /// Gives back the spare capacity of a top-level object or list. A body built by
    /// pushing keeps up to half its entries spare; a stack holds tens of thousands.
    pub(crate) fn shrink_to_fit(&mut self) {
        match self {
            Tree::Object(v) => v.shrink_to_fit(),
            Tree::List(v) => v.shrink_to_fit(),
            _ => {}
        }
    }

    /// Looks a key up in an object.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Object(v) => v.iter().find(|(k, _)| k == key).map(|(_, t)| t),
            _ => None,
        }
    }

    /// Mutable lookup.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Tree> {
        match self {
            Tree::Object(v) => v.iter_mut().find(|(k, _)| k == key).map(|(_, t)| t),
            _ => None,
        }
    }

    /// Sets `key` in an object, replacing an existing value in place or appending.
    pub fn set(&mut self, key: &str, value: Tree) {
        if let Tree::Object(v) = self {
            if let Some(slot) = v.iter_mut().find(|(k, _)| k == key) {
                slot.1 = value;
            } else {
                v.push((Cow::Owned(key.to_string()), value));
            }
        }
    }

    /// Removes `key` from an object.
    pub fn remove(&mut self, key: &str) -> Option<Tree> {
        if let Tree::Object(v) = self {
            if let Some(i) = v.iter().position(|(k, _)| k == key) {
                return Some(v.remove(i).1);
            }
        }
        None
    }

    /// Converts to an expression node (for function arguments). Expression leaves
    /// are shared, not copied.
    pub fn into_node(self) -> Node {
        match self {
            Tree::Null => Node::Null,
            Tree::Bool(b) => Node::Bool(b),
            Tree::Num(n) => Node::Num(n),
            Tree::Str(s) => Node::Str(s),
            // Only this level is copied when the node is shared: its children are Arcs.
            Tree::Expr(n) => Arc::unwrap_or_clone(n),
            Tree::List(v) => Node::List(v.into_iter().map(Tree::into_node_arc).collect()),
            Tree::Object(v) => Node::Object(
                v.into_iter()
                    .map(|(k, t)| (k.into_owned(), t.into_node_arc()))
                    .collect(),
            ),
        }
    }

    /// Converts to a shared expression node: an expression leaf is returned as is.
    pub fn into_node_arc(self) -> Arc<Node> {
        match self {
            Tree::Expr(n) => n,
            other => Arc::new(other.into_node()),
        }
    }
}
