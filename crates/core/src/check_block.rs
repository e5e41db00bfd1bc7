//! `check` blocks (Terraform 1.5): assertions about the running infrastructure,
//! with data sources scoped to the check, reported as warnings on plan and apply.

use std::sync::Arc;

use crate::expr::{Expr, Node};
use crate::meta::Meta;
use crate::resource::DataSource;
use crate::stack::Stack;

/// One `check` block of a stack.
pub(crate) struct CheckEntry {
    pub name: Arc<str>,
    /// `assert { condition, error_message }`, in order.
    pub asserts: Vec<(Node, String)>,
}

/// Builds one `check` block; returned by [`Stack::check`].
///
/// A data source declared here is read only by the check: a failing read is a
/// warning, not an error, and nothing outside the check may refer to it.
///
/// ```
/// use terrane_core::{GenericDataSource, Number, Stack};
/// let mut s = Stack::new("web");
/// let mut check = s.check("site_up");
/// let page = check.data("page", GenericDataSource::new("http").arg("url", "https://example.com"));
/// check.assert(
///     page.attr::<Number>("status_code").equals(200),
///     "example.com does not answer 200",
/// );
/// ```
pub struct CheckScope<'a> {
    stack: &'a mut Stack,
    index: usize,
}

impl CheckScope<'_> {
    /// A data source scoped to this check (`check { data "TYPE" "NAME" {...} }`).
    pub fn data<D: DataSource>(&mut self, name: &str, d: D) -> D::Ref {
        let check = self.stack.checks[self.index].name.clone();
        self.stack.push_data(name, d, Meta::new(), Some(check))
    }
    /// `assert { condition = ..., error_message = "..." }`; call again for more.
    pub fn assert(&mut self, condition: Expr<bool>, error_message: &str) -> &mut Self {
        self.stack.checks[self.index]
            .asserts
            .push((condition.node().clone(), error_message.to_string()));
        self
    }
}

impl Stack {
    /// Declares a `check` block named `name`; add its scoped data sources and its
    /// assertions through the returned [`CheckScope`]. A check needs at least one
    /// assertion.
    pub fn check(&mut self, name: &str) -> CheckScope<'_> {
        self.checks.push(CheckEntry {
            name: name.into(),
            asserts: Vec::new(),
        });
        let index = self.checks.len() - 1;
        CheckScope { stack: self, index }
    }
}
