//! [`Node`], one untyped Terraform expression. Every child is an `Arc<Node>`, so
//! wrapping an expression in a bigger one shares it instead of copying it.

use std::sync::Arc;

use super::{BinOp, ForExpr, Part, Reference, Step};
use crate::number::Number;

/// An untyped expression node. [`crate::Expr<T>`] wraps it with its Terraform type.
///
/// Cloning a node copies only its own level: its children are shared.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number literal.
    Num(Number),
    /// A string literal (escaped when written).
    Str(String),
    /// `[a, b]`
    List(Vec<Arc<Node>>),
    /// `{ key = value }`
    Object(Vec<(String, Arc<Node>)>),
    /// A reference to a resource, data source, variable, local, module, `each` or `count`.
    Ref(Reference),
    /// A function call.
    Call(Arc<str>, Vec<Arc<Node>>),
    /// A string template mixing literals and expressions.
    Template(Vec<Part>),
    /// `expr[index]` / `expr.attr` on an arbitrary expression.
    Path(Arc<Node>, Vec<Step>),
    /// `cond ? a : b`
    Cond(Arc<Node>, Arc<Node>, Arc<Node>),
    /// `a OP b`
    Bin(BinOp, Arc<Node>, Arc<Node>),
    /// `!a`
    Not(Arc<Node>),
    /// `-a`
    Neg(Arc<Node>),
    /// `[for k, v in coll : expr if cond]` or the object form; rendered as given.
    For(Arc<ForExpr>),
    /// Verbatim Terraform expression text ([`crate::Expr::raw`]).
    Raw(String),
}

impl Node {
    /// True when the node is a literal without any reference or call.
    pub fn is_literal(&self) -> bool {
        match self {
            Node::Null | Node::Bool(_) | Node::Num(_) | Node::Str(_) => true,
            Node::List(items) => items.iter().all(|n| n.is_literal()),
            Node::Object(items) => items.iter().all(|(_, n)| n.is_literal()),
            _ => false,
        }
    }

    /// This node followed by one more attribute or index step. A reference or path
    /// grows its step list; any other node becomes the base of a new path (a copy of
    /// this level only: prefer [`Node::arc_with_step`] when the node is shared).
    pub(crate) fn with_step(&self, step: Step) -> Node {
        match self {
            Node::Ref(r) => {
                let mut r = r.clone();
                r.path.push(step);
                Node::Ref(r)
            }
            Node::Path(base, steps) => {
                let mut steps = steps.clone();
                steps.push(step);
                Node::Path(base.clone(), steps)
            }
            other => Node::Path(Arc::new(other.clone()), vec![step]),
        }
    }

    /// [`Node::with_step`] on a shared node, which becomes the base of a new path as is.
    pub(crate) fn arc_with_step(node: &Arc<Node>, step: Step) -> Node {
        match &**node {
            Node::Ref(_) | Node::Path(..) => node.with_step(step),
            _ => Node::Path(node.clone(), vec![step]),
        }
    }
}
