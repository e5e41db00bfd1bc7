//! String templates: literal text and `${...}` interpolations, in order.

use std::sync::Arc;

use super::Node;

/// One part of a string template.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Literal text, escaped when written.
    Lit(String),
    /// `${expr}`; the expression is shared with the `Expr` it came from.
    Interp(Arc<Node>),
}
