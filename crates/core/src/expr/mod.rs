//! The typed expression API on top of the syntax tree: [`Expr<T>`], [`Value<T>`], the
//! collection markers, string templates ([`crate::tmpl!`]) and the conversions between them.
//!
//! Nothing here is a placeholder string: an expression is rendered to `${...}` only
//! when the stack is written, and a literal string can never interpolate. This layer
//! imports `crate::syntax` and `crate::tree`; neither imports it.

mod args;
mod collections;
mod interpolate;
mod operators;
mod typed_expr;
mod value;

pub use collections::{Dynamic, List, Map, Set};
#[doc(hidden)]
pub use interpolate::{build_template, count_placeholders};
pub use interpolate::{Interpolable, Interpolate};
pub use typed_expr::Expr;
pub use value::Value;

// The syntax tree keeps its old `crate::expr::...` paths, so code written against the
// single-file module (synth, stack, blocks, ...) compiles unchanged.
pub use crate::syntax::{
    escape_template, subject_address, BinOp, ForExpr, Node, Part, Reference, StackId, Step, Subject,
};
#[allow(unused_imports)]
pub(crate) use crate::syntax::{
    write_steps, write_subject, write_template_body, Plain, RefRenderer,
};

#[cfg(test)]
mod tests;
