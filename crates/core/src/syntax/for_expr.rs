//! `for` expressions: `[for k, v in coll : value if cond]` and the object form
//! `{for k, v in coll : key => value if cond}`.

use std::sync::Arc;

use super::Node;

/// A `for` expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    /// Key variable name (or index for lists), if used.
    pub key_var: Option<String>,
    /// Value variable name.
    pub value_var: String,
    /// The collection iterated.
    pub collection: Arc<Node>,
    /// For the object form, the key expression.
    pub key_expr: Option<Arc<Node>>,
    /// The value expression.
    pub value_expr: Arc<Node>,
    /// Optional filter.
    pub cond: Option<Arc<Node>>,
}
