//! [`Expr<T>`]: a shared expression node tagged with its Terraform type, with the
//! operations every type has (attributes, indexes, equality, casts).

use std::marker::PhantomData;
use std::sync::Arc;

use super::{List, Value};
use crate::syntax::{BinOp, Node, Step};
use crate::tree::{ToTree, Tree};

/// A Terraform expression whose value has type `T`.
///
/// `T` is the Terraform type seen from Rust: `String`, [`crate::Number`], `bool`,
/// [`List<T>`], [`crate::Set<T>`], [`crate::Map<T>`], or a generated object type.
/// Passing an `Expr<bool>` where a string is expected does not compile:
///
/// ```compile_fail
/// use terrane_core::{Expr, Value};
/// fn wants_string(_: impl Into<Value<String>>) {}
/// let b: Expr<bool> = Expr::raw("var.enabled");
/// wants_string(b);
/// ```
///
/// ```
/// use terrane_core::Expr;
/// let region: Expr<String> = Expr::raw("var.region");
/// assert_eq!(region.to_hcl(), "var.region");
/// ```
pub struct Expr<T> {
    node: Arc<Node>,
    _ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Expr<T> {
    fn clone(&self) -> Self {
        Self::from_node_arc(self.node.clone())
    }
}

impl<T> std::fmt::Debug for Expr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({})", self.to_hcl())
    }
}

impl<T> PartialEq for Expr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T> Expr<T> {
    /// Wraps a node with a type. Used by generated code and constructs; prefer the
    /// typed helpers.
    pub fn from_node(node: Node) -> Self {
        Self::from_node_arc(Arc::new(node))
    }

    /// Wraps a shared node with a type, without copying it.
    pub fn from_node_arc(node: Arc<Node>) -> Self {
        Expr {
            node,
            _ty: PhantomData,
        }
    }

    /// The escape hatch: Terraform expression text, used verbatim (no `${}`).
    /// References inside it are still checked at synth (`var.x`, `local.x`,
    /// `module.x`, `data.t.n` and resource addresses must exist in the stack).
    pub fn raw(text: impl Into<String>) -> Self {
        Self::from_node(Node::Raw(text.into()))
    }

    /// The expression tree.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The shared expression tree (cheap to clone).
    pub fn node_arc(&self) -> Arc<Node> {
        self.node.clone()
    }

    /// The shared expression tree, taken out of this handle.
    pub(crate) fn into_node_arc(self) -> Arc<Node> {
        self.node
    }

    /// Terraform expression text as declared (references into other stacks are
    /// rewritten only when the app writes the stack).
    pub fn to_hcl(&self) -> String {
        self.node.to_hcl()
    }

    /// Reinterprets the type. Use only where Terraform converts the value itself
    /// (a number where a string is wanted, for example).
    pub fn cast<U>(self) -> Expr<U> {
        Expr::from_node_arc(self.node)
    }

    /// An attribute of an object-valued expression, with its type.
    pub fn attr<U>(&self, name: &str) -> Expr<U> {
        self.step(Step::Attr(name.into()))
    }

    /// `self[index]` on an untyped value; prefer [`Expr::at`] and [`Expr::get`].
    pub fn index_raw<U>(&self, index: Node) -> Expr<U> {
        self.step(Step::Index(Arc::new(index)))
    }

    /// `a == b`
    pub fn equals(&self, other: impl Into<Value<T>>) -> Expr<bool>
    where
        T: ToTree,
    {
        self.binary(BinOp::Eq, other.into())
    }

    /// `a != b`
    pub fn not_equals(&self, other: impl Into<Value<T>>) -> Expr<bool>
    where
        T: ToTree,
    {
        self.binary(BinOp::Ne, other.into())
    }

    /// `self[*].attr`, the attribute of every element: `aws_subnet.private[*].id`.
    pub fn splat<U>(&self, attr: &str) -> Expr<List<U>> {
        let splat = Node::arc_with_step(&self.node, Step::Splat);
        Expr::from_node(splat.with_step(Step::Attr(attr.into())))
    }

    /// This expression followed by one more step, sharing it.
    pub(crate) fn step<U>(&self, step: Step) -> Expr<U> {
        Expr::from_node(Node::arc_with_step(&self.node, step))
    }

    /// `self OP rhs`, sharing both sides.
    pub(crate) fn binary<R: ToTree, U>(&self, op: BinOp, rhs: Value<R>) -> Expr<U> {
        Expr::from_node(Node::Bin(op, self.node_arc(), rhs.into_node_arc()))
    }

    /// `name(self)`, sharing this expression.
    pub(crate) fn call<U>(&self, name: &str) -> Expr<U> {
        Expr::from_node(Node::Call(name.into(), vec![self.node_arc()]))
    }
}

impl<T> ToTree for Expr<T> {
    fn to_tree(&self) -> Tree {
        Tree::Expr(self.node_arc())
    }
    fn into_tree(self) -> Tree {
        Tree::Expr(self.node)
    }
}
impl<T> From<Expr<T>> for Tree {
    fn from(e: Expr<T>) -> Self {
        Tree::Expr(e.node)
    }
}
impl<T> From<&Expr<T>> for Tree {
    fn from(e: &Expr<T>) -> Self {
        Tree::Expr(e.node_arc())
    }
}
