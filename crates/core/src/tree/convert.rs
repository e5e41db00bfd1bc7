//! [`ToTree`]: how a typed value becomes part of the output document, with the
//! conversions of primitives, collections and options. The typed layer (`crate::expr`)
//! adds those of `Expr<T>`, `Value<T>` and `Set<T>`.

use std::collections::BTreeMap;

use super::Tree;
use crate::number::Number;

/// Converts a typed value into the output tree. Implemented for the primitive
/// types, collections, `Value<T>`, `Expr<T>` and every generated block type.
pub trait ToTree {
    /// The tree of this value.
    fn to_tree(&self) -> Tree;
    /// The tree of this value, consuming it: strings and subtrees are moved, not copied.
    /// `Stack::add` takes this path (a typed struct is dropped right after its body is
    /// made); the default copies through [`ToTree::to_tree`].
    fn into_tree(self) -> Tree
    where
        Self: Sized,
    {
        self.to_tree()
    }
}

impl ToTree for Tree {
    fn to_tree(&self) -> Tree {
        self.clone()
    }
    fn into_tree(self) -> Tree {
        self
    }
}
impl ToTree for String {
    fn to_tree(&self) -> Tree {
        Tree::Str(self.clone())
    }
    fn into_tree(self) -> Tree {
        Tree::Str(self)
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
impl<T: ToTree> ToTree for Vec<T> {
    fn to_tree(&self) -> Tree {
        Tree::List(self.iter().map(ToTree::to_tree).collect())
    }
    fn into_tree(self) -> Tree {
        Tree::List(self.into_iter().map(ToTree::into_tree).collect())
    }
}
impl<T: ToTree> ToTree for BTreeMap<String, T> {
    fn to_tree(&self) -> Tree {
        Tree::Object(
            self.iter()
                .map(|(k, v)| (k.clone().into(), v.to_tree()))
                .collect(),
        )
    }
    fn into_tree(self) -> Tree {
        Tree::Object(
            self.into_iter()
                .map(|(k, v)| (k.into(), v.into_tree()))
                .collect(),
        )
    }
}
impl<T: ToTree> ToTree for Option<T> {
    fn to_tree(&self) -> Tree {
        match self {
            Some(t) => t.to_tree(),
            None => Tree::Null,
        }
    }
    fn into_tree(self) -> Tree {
        match self {
            Some(t) => t.into_tree(),
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
    fn into_tree(self) -> Tree {
        (*self).into_tree()
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
impl From<Vec<Tree>> for Tree {
    fn from(v: Vec<Tree>) -> Self {
        Tree::List(v)
    }
}
