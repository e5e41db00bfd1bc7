//! Arithmetic, comparison and logic on typed expressions: numbers add and compare,
//! booleans combine and choose (`cond ? a : b`).

use super::{Expr, Value};
use crate::number::Number;
use crate::syntax::{BinOp, Node};
use crate::tree::ToTree;

impl Expr<Number> {
    /// `a + b`
    pub fn add(&self, b: impl Into<Value<Number>>) -> Expr<Number> {
        self.binary(BinOp::Add, b.into())
    }
    /// `a - b`
    pub fn sub(&self, b: impl Into<Value<Number>>) -> Expr<Number> {
        self.binary(BinOp::Sub, b.into())
    }
    /// `a * b`
    pub fn mul(&self, b: impl Into<Value<Number>>) -> Expr<Number> {
        self.binary(BinOp::Mul, b.into())
    }
    /// `a / b`
    pub fn div(&self, b: impl Into<Value<Number>>) -> Expr<Number> {
        self.binary(BinOp::Div, b.into())
    }
    /// `a > b`
    pub fn gt(&self, b: impl Into<Value<Number>>) -> Expr<bool> {
        self.binary(BinOp::Gt, b.into())
    }
    /// `a >= b`
    pub fn ge(&self, b: impl Into<Value<Number>>) -> Expr<bool> {
        self.binary(BinOp::Ge, b.into())
    }
    /// `a < b`
    pub fn lt(&self, b: impl Into<Value<Number>>) -> Expr<bool> {
        self.binary(BinOp::Lt, b.into())
    }
    /// `a <= b`
    pub fn le(&self, b: impl Into<Value<Number>>) -> Expr<bool> {
        self.binary(BinOp::Le, b.into())
    }
}

impl Expr<bool> {
    /// `a && b`
    pub fn and(&self, b: impl Into<Value<bool>>) -> Expr<bool> {
        self.binary(BinOp::And, b.into())
    }
    /// `a || b`
    pub fn or(&self, b: impl Into<Value<bool>>) -> Expr<bool> {
        self.binary(BinOp::Or, b.into())
    }
    /// `!a`
    pub fn not(&self) -> Expr<bool> {
        Expr::from_node(Node::Not(self.node_arc()))
    }
    /// `self ? a : b`
    pub fn then<U: ToTree>(&self, a: impl Into<Value<U>>, b: impl Into<Value<U>>) -> Expr<U> {
        Expr::from_node(Node::Cond(
            self.node_arc(),
            a.into().into_node_arc(),
            b.into().into_node_arc(),
        ))
    }
}
