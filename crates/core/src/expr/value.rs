//! [`Value<T>`]: an argument that is either a literal `T` or an [`Expr<T>`], and the
//! conversions that let a builder take `"text"`, `3`, `vec![...]` or an expression.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Dynamic, Expr, List, Map, Set};
use crate::number::Number;
use crate::syntax::Node;
use crate::tree::{ToTree, Tree};

/// An argument value: a literal `T` or an expression of type `T`.
///
/// ```
/// use terrane_core::{Value, Expr};
/// let a: Value<String> = "us-central1".into();
/// let b: Value<String> = Expr::<String>::raw("var.region").into();
/// assert!(matches!(a, Value::Lit(_)));
/// assert!(matches!(b, Value::Expr(_)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value<T> {
    /// A literal.
    Lit(T),
    /// An expression.
    Expr(Expr<T>),
}

impl<T: ToTree> Value<T> {
    /// The expression node of this value (literals become literal nodes). An
    /// expression's node is moved out when this was its last handle and otherwise
    /// copied one level deep: its children stay shared.
    pub fn into_node(self) -> Node {
        match self {
            Value::Lit(t) => t.to_tree().into_node(),
            Value::Expr(e) => Arc::unwrap_or_clone(e.into_node_arc()),
        }
    }
    /// The shared expression node of this value: an expression's node as is, never copied.
    pub fn into_node_arc(self) -> Arc<Node> {
        match self {
            Value::Lit(t) => t.to_tree().into_node_arc(),
            Value::Expr(e) => e.into_node_arc(),
        }
    }
    /// The literal, if this is one.
    pub fn as_lit(&self) -> Option<&T> {
        match self {
            Value::Lit(t) => Some(t),
            Value::Expr(_) => None,
        }
    }
}

impl<T: ToTree> ToTree for Value<T> {
    fn to_tree(&self) -> Tree {
        match self {
            Value::Lit(t) => t.to_tree(),
            Value::Expr(e) => Tree::Expr(e.node_arc()),
        }
    }
    fn into_tree(self) -> Tree {
        match self {
            Value::Lit(t) => t.into_tree(),
            Value::Expr(e) => e.into_tree(),
        }
    }
}
impl<T: ToTree> From<Value<T>> for Tree {
    fn from(v: Value<T>) -> Self {
        v.into_tree()
    }
}

impl<T> From<Expr<T>> for Value<T> {
    fn from(e: Expr<T>) -> Self {
        Value::Expr(e)
    }
}
impl<T> From<&Expr<T>> for Value<T> {
    fn from(e: &Expr<T>) -> Self {
        Value::Expr(e.clone())
    }
}
impl From<&str> for Value<String> {
    fn from(s: &str) -> Self {
        Value::Lit(s.to_string())
    }
}
impl From<String> for Value<String> {
    fn from(s: String) -> Self {
        Value::Lit(s)
    }
}
impl From<&String> for Value<String> {
    fn from(s: &String) -> Self {
        Value::Lit(s.clone())
    }
}
impl From<bool> for Value<bool> {
    fn from(b: bool) -> Self {
        Value::Lit(b)
    }
}
impl From<Number> for Value<Number> {
    fn from(n: Number) -> Self {
        Value::Lit(n)
    }
}
macro_rules! num_value_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<Number> {
            fn from(v: $t) -> Self { Value::Lit(Number::from(v)) }
        }
    )*};
}
num_value_from!(i8, i16, i32, i64, u8, u16, u32, u64, usize, f32, f64);

impl<T, X: Into<Value<T>>> From<Vec<X>> for Value<List<T>> {
    fn from(v: Vec<X>) -> Self {
        Value::Lit(v.into_iter().map(Into::into).collect())
    }
}
impl<T, X: Into<Value<T>>, const N: usize> From<[X; N]> for Value<List<T>> {
    fn from(v: [X; N]) -> Self {
        Value::Lit(v.into_iter().map(Into::into).collect())
    }
}
impl<T, X: Into<Value<T>>> From<Vec<X>> for Value<Set<T>> {
    fn from(v: Vec<X>) -> Self {
        Value::Lit(Set(v.into_iter().map(Into::into).collect()))
    }
}
impl<T, X: Into<Value<T>>, const N: usize> From<[X; N]> for Value<Set<T>> {
    fn from(v: [X; N]) -> Self {
        Value::Lit(Set(v.into_iter().map(Into::into).collect()))
    }
}
impl<T, K: Into<String>, X: Into<Value<T>>> From<BTreeMap<K, X>> for Value<Map<T>> {
    fn from(m: BTreeMap<K, X>) -> Self {
        Value::Lit(m.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
impl<T, K: Into<String>, X: Into<Value<T>>, const N: usize> From<[(K, X); N]> for Value<Map<T>> {
    fn from(m: [(K, X); N]) -> Self {
        Value::Lit(m.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
// Borrowed collections and iterators convert too, so a `&Vec<String>` built earlier,
// a slice, or `iter().map(..).collect()` can go where a list, set or map is wanted.
impl<T, X: Clone + Into<Value<T>>> From<&[X]> for Value<List<T>> {
    fn from(v: &[X]) -> Self {
        v.iter().cloned().collect()
    }
}
impl<T, X: Clone + Into<Value<T>>> From<&Vec<X>> for Value<List<T>> {
    fn from(v: &Vec<X>) -> Self {
        v.iter().cloned().collect()
    }
}
impl<T, X: Clone + Into<Value<T>>> From<&[X]> for Value<Set<T>> {
    fn from(v: &[X]) -> Self {
        v.iter().cloned().collect()
    }
}
impl<T, X: Clone + Into<Value<T>>> From<&Vec<X>> for Value<Set<T>> {
    fn from(v: &Vec<X>) -> Self {
        v.iter().cloned().collect()
    }
}
impl<T, K: Clone + Into<String>, X: Clone + Into<Value<T>>> From<&BTreeMap<K, X>>
    for Value<Map<T>>
{
    fn from(m: &BTreeMap<K, X>) -> Self {
        m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}
impl<T, X: Into<Value<T>>> FromIterator<X> for Value<List<T>> {
    fn from_iter<I: IntoIterator<Item = X>>(items: I) -> Self {
        Value::Lit(items.into_iter().map(Into::into).collect())
    }
}
impl<T, X: Into<Value<T>>> FromIterator<X> for Value<Set<T>> {
    fn from_iter<I: IntoIterator<Item = X>>(items: I) -> Self {
        Value::Lit(Set(items.into_iter().map(Into::into).collect()))
    }
}
impl<T, K: Into<String>, X: Into<Value<T>>> FromIterator<(K, X)> for Value<Map<T>> {
    fn from_iter<I: IntoIterator<Item = (K, X)>>(items: I) -> Self {
        Value::Lit(
            items
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}
impl From<Tree> for Value<Dynamic> {
    fn from(t: Tree) -> Self {
        Value::Lit(t)
    }
}
