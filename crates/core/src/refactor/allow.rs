//! What the program declares intended: destroying or replacing a stateful resource
//! of a stack. Each is one explicit, greppable call on the stack with a reason.

use std::collections::BTreeMap;

use crate::stack::Stack;

/// A stack's allowances, by address, with their reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowances {
    /// Addresses whose destruction is intended.
    pub(crate) destroy: BTreeMap<String, String>,
    /// Addresses whose replacement is intended.
    pub(crate) replace: BTreeMap<String, String>,
}

impl Stack {
    /// Declares that destroying the resource at `address` (`aws_s3_bucket.logs`),
    /// with its data, is intended: synth then accepts that it disappears from the
    /// previous output. `reason` says why, for the reviewer.
    pub fn allow_destroy(&mut self, address: &str, reason: &str) -> &mut Self {
        self.allowances
            .destroy
            .insert(address.to_string(), reason.to_string());
        self
    }
    /// Declares that replacing the resource at `address` (a change of an argument
    /// that forces a new object, such as a database identifier) is intended.
    pub fn allow_replace(&mut self, address: &str, reason: &str) -> &mut Self {
        self.allowances
            .replace
            .insert(address.to_string(), reason.to_string());
        self
    }
}

/// Every stack's allowances, taken out of the target before render.
pub(crate) fn take(stacks: &mut [Stack]) -> BTreeMap<String, Allowances> {
    stacks
        .iter_mut()
        .filter(|s| s.allowances != Allowances::default())
        .map(|s| (s.name.clone(), std::mem::take(&mut s.allowances)))
        .collect()
}
