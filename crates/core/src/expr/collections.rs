//! The collection types seen from Rust (`List<T>`, `Map<T>`, `Set<T>`, `Dynamic`) and
//! what an expression of each can do: a list is indexed, a set only converted.

use std::collections::BTreeMap;

use super::{Expr, Value};
use crate::number::Number;
use crate::syntax::Step;
use crate::tree::{ToTree, Tree};

/// A list of `T`: `list(T)` in Terraform. Elements may be literals or expressions.
pub type List<T> = Vec<Value<T>>;

/// A map from string keys to `T`: `map(T)`. `BTreeMap` keeps the output in a stable order.
pub type Map<T> = BTreeMap<String, Value<T>>;

/// A set of `T`: `set(T)`. Unlike a list it cannot be indexed; use [`Expr::to_list`].
#[derive(Debug, Clone, PartialEq)]
pub struct Set<T>(pub Vec<Value<T>>);

/// An untyped value (`any`): a tree of literals and expressions, such as a JSON policy.
pub type Dynamic = Tree;

impl<T> Expr<List<T>> {
    /// `list[i]`
    pub fn at(&self, i: impl Into<Value<Number>>) -> Expr<T> {
        self.step(Step::Index(i.into().into_node_arc()))
    }
    /// `length(list)`
    pub fn length(&self) -> Expr<Number> {
        self.call("length")
    }
    /// `toset(list)`
    pub fn to_set(&self) -> Expr<Set<T>> {
        self.call("toset")
    }
}

impl<T> Expr<Set<T>> {
    /// `tolist(set)`
    pub fn to_list(&self) -> Expr<List<T>> {
        self.call("tolist")
    }
    /// `length(set)`
    pub fn length(&self) -> Expr<Number> {
        self.call("length")
    }
}

impl<T> Expr<Map<T>> {
    /// `map["key"]`
    pub fn get(&self, key: impl Into<Value<String>>) -> Expr<T> {
        self.step(Step::Index(key.into().into_node_arc()))
    }
}

impl<T: ToTree> ToTree for Set<T> {
    fn to_tree(&self) -> Tree {
        Tree::List(self.0.iter().map(ToTree::to_tree).collect())
    }
    fn into_tree(self) -> Tree {
        Tree::List(self.0.into_iter().map(ToTree::into_tree).collect())
    }
}
