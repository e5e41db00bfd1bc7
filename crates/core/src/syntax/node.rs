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
            Node::Ref(r) => Node::Ref(Reference {
                stack: r.stack,
                subject: r.subject.clone(),
                path: steps_then(&r.path, step),
                sensitive: r.sensitive,
            }),
            Node::Path(base, steps) => Node::Path(base.clone(), steps_then(steps, step)),
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

/// `steps` followed by `step`, allocated once at its final size (a clone then a push
/// allocated twice; typed access into nested blocks makes one per getter).
fn steps_then(steps: &[Step], step: Step) -> Vec<Step> {
    let mut path = Vec::with_capacity(steps.len() + 1);
    path.extend_from_slice(steps);
    path.push(step);
    path
}

/// The shared `null` put in place of a child moved out while dropping.
fn shared_null() -> Arc<Node> {
    static NULL: std::sync::OnceLock<Arc<Node>> = std::sync::OnceLock::new();
    NULL.get_or_init(|| Arc::new(Node::Null)).clone()
}

impl Node {
    /// Calls `f` on every direct child expression (arguments, operands, index
    /// expressions, template interpolations, the parts of a `for`).
    pub(crate) fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(&'a Arc<Node>)) {
        let steps = |steps: &'a [Step], f: &mut dyn FnMut(&'a Arc<Node>)| {
            for s in steps {
                if let Step::Index(i) = s {
                    f(i);
                }
            }
        };
        match self {
            Node::List(items) | Node::Call(_, items) => items.iter().for_each(f),
            Node::Object(entries) => entries.iter().for_each(|(_, v)| f(v)),
            Node::Ref(r) => steps(&r.path, f),
            Node::Template(parts) => parts.iter().for_each(|p| {
                if let Part::Interp(n) = p {
                    f(n)
                }
            }),
            Node::Path(base, s) => {
                f(base);
                steps(s, f);
            }
            Node::Cond(a, b, c) => [a, b, c].into_iter().for_each(f),
            Node::Bin(_, a, b) => [a, b].into_iter().for_each(f),
            Node::Not(a) | Node::Neg(a) => f(a),
            Node::For(fe) => {
                let opt = [&fe.key_expr, &fe.cond];
                [&fe.collection, &fe.value_expr]
                    .into_iter()
                    .for_each(&mut *f);
                opt.into_iter().flatten().for_each(f);
            }
            Node::Null | Node::Bool(_) | Node::Num(_) | Node::Str(_) | Node::Raw(_) => {}
        }
    }

    /// Moves out the children that this node alone owns and that have children of
    /// their own: the ones whose drop would recurse.
    fn take_owned_subtrees(&mut self, out: &mut Vec<Arc<Node>>) {
        let mut take = |a: &mut Arc<Node>| {
            if Arc::strong_count(a) == 1 && a.has_children() {
                out.push(std::mem::replace(a, shared_null()));
            }
        };
        let steps = |steps: &mut Vec<Step>, take: &mut dyn FnMut(&mut Arc<Node>)| {
            for s in steps {
                if let Step::Index(i) = s {
                    take(i);
                }
            }
        };
        match self {
            Node::List(items) | Node::Call(_, items) => items.iter_mut().for_each(take),
            Node::Object(entries) => entries.iter_mut().for_each(|(_, v)| take(v)),
            Node::Ref(r) => steps(&mut r.path, &mut take),
            Node::Template(parts) => parts.iter_mut().for_each(|p| {
                if let Part::Interp(n) = p {
                    take(n)
                }
            }),
            Node::Path(base, s) => {
                take(base);
                steps(s, &mut take);
            }
            Node::Cond(a, b, c) => [a, b, c].into_iter().for_each(take),
            Node::Bin(_, a, b) => [a, b].into_iter().for_each(take),
            Node::Not(a) | Node::Neg(a) => take(a),
            Node::For(fe) => {
                if let Some(fe) = Arc::get_mut(fe) {
                    take(&mut fe.collection);
                    take(&mut fe.value_expr);
                    fe.key_expr
                        .iter_mut()
                        .chain(fe.cond.iter_mut())
                        .for_each(take);
                }
            }
            Node::Null | Node::Bool(_) | Node::Num(_) | Node::Str(_) | Node::Raw(_) => {}
        }
    }

    /// True when the node has a child expression.
    pub(crate) fn has_children(&self) -> bool {
        let mut any = false;
        self.for_each_child(&mut |_| any = true);
        any
    }
}

/// Drops iteratively: a chain of 100,000 nested calls must not overflow the stack
/// when it is dropped, even before any check has looked at it.
impl Drop for Node {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        self.take_owned_subtrees(&mut pending);
        while let Some(child) = pending.pop() {
            if let Some(mut node) = Arc::into_inner(child) {
                node.take_owned_subtrees(&mut pending);
            }
        }
    }
}
