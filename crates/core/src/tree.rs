//! The output tree: an ordered JSON-like document whose leaves may be expressions,
//! and its deterministic pretty JSON writer.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::expr::{write_template_body, Expr, Node, RefRenderer, Set, Value};
use crate::number::Number;

/// An ordered document: what a block's body, a local or an output value is made of.
///
/// Objects keep insertion order (declaration order of a struct's fields); user-keyed
/// maps come from `BTreeMap` and so are sorted. Expression leaves are written as
/// `"${...}"`, literal strings are escaped so that they never interpolate.
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
    /// Shared with the [`Expr`] it came from.
    Expr(Arc<Node>),
    /// An array.
    List(Vec<Tree>),
    /// An object in insertion order.
    Object(Vec<(String, Tree)>),
}

impl Tree {
    /// An object from key/value pairs, in the given order.
    pub fn object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Tree)>) -> Tree {
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

    /// Appends a key to an object (no-op on other variants).
    pub fn push(&mut self, key: impl Into<String>, value: Tree) {
        if let Tree::Object(v) = self {
            v.push((key.into(), value));
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
                v.push((key.to_string(), value));
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

    /// Converts to an expression node (for function arguments).
    pub fn into_node(self) -> Node {
        match self {
            Tree::Null => Node::Null,
            Tree::Bool(b) => Node::Bool(b),
            Tree::Num(n) => Node::Num(n),
            Tree::Str(s) => Node::Str(s),
            Tree::Expr(n) => Arc::try_unwrap(n).unwrap_or_else(|shared| (*shared).clone()),
            Tree::List(v) => Node::List(v.into_iter().map(Tree::into_node).collect()),
            Tree::Object(v) => {
                Node::Object(v.into_iter().map(|(k, t)| (k, t.into_node())).collect())
            }
        }
    }

    /// Calls `f` on every expression node in the tree, with its path.
    pub fn visit_exprs<'a>(
        &'a self,
        path: &mut Vec<PathSeg<'a>>,
        f: &mut dyn FnMut(&[PathSeg<'a>], &'a Node),
    ) {
        match self {
            Tree::Expr(n) => f(path, n),
            Tree::List(v) => {
                for (i, t) in v.iter().enumerate() {
                    path.push(PathSeg::Index(i));
                    t.visit_exprs(path, f);
                    path.pop();
                }
            }
            Tree::Object(v) => {
                for (k, t) in v {
                    path.push(PathSeg::Key(k));
                    t.visit_exprs(path, f);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// Pretty JSON text, two-space indent, no trailing newline.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, 0, &crate::expr::Plain);
        out
    }
}

pub(crate) fn write_json(out: &mut String, t: &Tree, indent: usize, rr: &dyn RefRenderer) {
    match t {
        Tree::Null => out.push_str("null"),
        Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Tree::Num(n) => {
            if n.is_finite() {
                out.push_str(&n.to_string())
            } else {
                out.push_str("null")
            }
        }
        Tree::Str(s) => write_json_string(out, &crate::expr::escape_template(s)),
        Tree::Expr(node) => {
            let mut text = String::new();
            match &**node {
                Node::Template(parts) => write_template_body(&mut text, parts, rr, false),
                n => {
                    text.push_str("${");
                    n.write_hcl(&mut text, rr);
                    text.push('}');
                }
            }
            write_json_string(out, &text);
        }
        Tree::List(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, it) in items.iter().enumerate() {
                push_indent(out, indent + 1);
                write_json(out, it, indent + 1, rr);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(out, indent);
            out.push(']');
        }
        Tree::Object(items) => {
            if items.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (i, (k, v)) in items.iter().enumerate() {
                push_indent(out, indent + 1);
                write_json_string(out, k);
                out.push_str(": ");
                write_json(out, v, indent + 1, rr);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(out, indent);
            out.push('}');
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push_str("  ");
    }
}

/// Writes a JSON string literal (already template-escaped where needed).
pub(crate) fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{:04x}", b)),
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// One step of a path into a [`Tree`]: an object key or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSeg<'a> {
    /// An object key.
    Key(&'a str),
    /// A list index.
    Index(usize),
}

/// Writes a path as `a.b[0].c`.
pub fn path_string(path: &[PathSeg<'_>]) -> String {
    let mut s = String::new();
    for p in path {
        match p {
            PathSeg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
        }
    }
    s
}

/// Converts a typed value into the output tree. Implemented for the primitive
/// types, collections, `Value<T>`, `Expr<T>` and every generated block type.
pub trait ToTree {
    /// The tree of this value.
    fn to_tree(&self) -> Tree;
}

impl ToTree for Tree {
    fn to_tree(&self) -> Tree {
        self.clone()
    }
}
impl ToTree for String {
    fn to_tree(&self) -> Tree {
        Tree::Str(self.clone())
    }
}
impl ToTree for str {
    fn to_tree(&self) -> Tree {
        Tree::Str(self.to_string())
    }
}
impl ToTree for bool {
    fn to_tree(&self) -> Tree {
        Tree::Bool(*self)
    }
}
impl ToTree for Number {
    fn to_tree(&self) -> Tree {
        Tree::Num(*self)
    }
}
impl<T: ToTree> ToTree for Value<T> {
    fn to_tree(&self) -> Tree {
        match self {
            Value::Lit(t) => t.to_tree(),
            Value::Expr(e) => Tree::Expr(e.node_arc()),
        }
    }
}
impl<T> ToTree for Expr<T> {
    fn to_tree(&self) -> Tree {
        Tree::Expr(self.node_arc())
    }
}
impl<T: ToTree> ToTree for Vec<T> {
    fn to_tree(&self) -> Tree {
        Tree::List(self.iter().map(ToTree::to_tree).collect())
    }
}
impl<T: ToTree> ToTree for Set<T> {
    fn to_tree(&self) -> Tree {
        Tree::List(self.0.iter().map(ToTree::to_tree).collect())
    }
}
impl<T: ToTree> ToTree for BTreeMap<String, T> {
    fn to_tree(&self) -> Tree {
        Tree::Object(self.iter().map(|(k, v)| (k.clone(), v.to_tree())).collect())
    }
}
impl<T: ToTree> ToTree for Option<T> {
    fn to_tree(&self) -> Tree {
        match self {
            Some(t) => t.to_tree(),
            None => Tree::Null,
        }
    }
}
impl<T: ToTree + ?Sized> ToTree for &T {
    fn to_tree(&self) -> Tree {
        (**self).to_tree()
    }
}
impl<T: ToTree> ToTree for Box<T> {
    fn to_tree(&self) -> Tree {
        (**self).to_tree()
    }
}

impl From<&str> for Tree {
    fn from(s: &str) -> Self {
        Tree::Str(s.to_string())
    }
}
impl From<String> for Tree {
    fn from(s: String) -> Self {
        Tree::Str(s)
    }
}
impl From<bool> for Tree {
    fn from(b: bool) -> Self {
        Tree::Bool(b)
    }
}
macro_rules! tree_num {
    ($($t:ty),*) => {$(
        impl From<$t> for Tree {
            fn from(v: $t) -> Self { Tree::Num(Number::from(v)) }
        }
    )*};
}
tree_num!(i32, i64, u32, u64, usize, f64);
impl From<Number> for Tree {
    fn from(n: Number) -> Self {
        Tree::Num(n)
    }
}
impl<T> From<Expr<T>> for Tree {
    fn from(e: Expr<T>) -> Self {
        Tree::Expr(e.node_arc())
    }
}
impl<T> From<&Expr<T>> for Tree {
    fn from(e: &Expr<T>) -> Self {
        Tree::Expr(e.node_arc())
    }
}
impl<T: ToTree> From<Value<T>> for Tree {
    fn from(v: Value<T>) -> Self {
        v.to_tree()
    }
}
impl From<Vec<Tree>> for Tree {
    fn from(v: Vec<Tree>) -> Self {
        Tree::List(v)
    }
}
