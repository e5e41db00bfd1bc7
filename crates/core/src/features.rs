//! The Terraform language features a stack uses and the Terraform version each
//! needs: what `required_version` says, and what a target's declared version is
//! checked against.

use crate::stack::Stack;
use crate::tree::Tree;

/// A Terraform version as `major.minor` (patch releases add no language feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TfVersion(pub u32, pub u32);

impl TfVersion {
    /// `1.10` from `1.10`, `1.10.3`, `v1.10.0`; `None` for anything else.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().trim_start_matches('v').split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().unwrap_or("0").parse().ok()?;
        Some(TfVersion(major, minor))
    }
}

impl std::fmt::Display for TfVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// One use of a versioned feature in a stack.
pub(crate) struct FeatureUse {
    /// The block that uses it (`removed.aws_s3_bucket.old`).
    pub address: String,
    /// The feature's name in messages (`removed block`).
    pub feature: &'static str,
    /// The first Terraform version that reads it.
    pub since: TfVersion,
}

/// Every use of a feature newer than Terraform 1.3 in `s`: blocks in declaration
/// order, then provider-defined function calls by the declaration holding them.
pub(crate) fn feature_uses(s: &Stack) -> Vec<FeatureUse> {
    let mut out = Vec::new();
    let mut add = |address: String, feature, since| {
        out.push(FeatureUse {
            address,
            feature,
            since,
        })
    };
    for b in &s.blocks {
        if &*b.ty == "terraform_data" && b.check.is_none() {
            add(b.address(), "terraform_data", TfVersion(1, 4));
        }
        if has_write_only(&b.body) {
            add(b.address(), "write-only argument", TfVersion(1, 11));
        }
    }
    for i in &s.imports {
        let addr = format!("import.{}", crate::expr::subject_address(&i.to.subject));
        match i.for_each {
            Some(_) => add(addr, "import with for_each", TfVersion(1, 7)),
            None => add(addr, "import block", TfVersion(1, 5)),
        }
    }
    for c in &s.checks {
        add(format!("check.{}", c.name), "check block", TfVersion(1, 5));
    }
    for r in &s.removed {
        add(
            format!("removed.{}", r.from),
            "removed block",
            TfVersion(1, 7),
        );
    }
    for v in s.variables.iter().filter(|v| v.ephemeral) {
        add(
            format!("var.{}", v.name),
            "ephemeral variable",
            TfVersion(1, 10),
        );
    }
    for e in &s.ephemerals {
        add(e.address(), "ephemeral block", TfVersion(1, 10));
    }
    let mut seen = std::collections::BTreeSet::new();
    crate::sites::visit_stack(s, &mut |site| {
        if let crate::sites::Item::Expr(n) = site.item {
            let mut calls = ProviderCalls(false);
            crate::visit::Visit::visit_node(&mut calls, n);
            // The address is formatted only for a stack that calls one.
            if calls.0 {
                let address = site.owner.address();
                if seen.insert(address.clone()) {
                    add(address, "provider-defined function", TfVersion(1, 8));
                }
            }
        }
    });
    out
}

/// Finds a call of a provider-defined function (`provider::aws::arn_parse`).
struct ProviderCalls(bool);

impl<'ast> crate::visit::Visit<'ast> for ProviderCalls {
    fn visit_call(&mut self, name: &'ast str, args: &'ast [std::sync::Arc<crate::expr::Node>]) {
        self.0 |= name.starts_with("provider::");
        crate::visit::walk_list(self, args);
    }
}

/// The version the stack's features need, if any is newer than 1.3.
pub(crate) fn needed_version(s: &Stack) -> Option<TfVersion> {
    feature_uses(s).into_iter().map(|u| u.since).max()
}

/// True when a body sets an argument named `*_wo` (every provider's write-only
/// arguments follow this convention: aws, google and helm in `schemas/`).
fn has_write_only(body: &Tree) -> bool {
    match body {
        Tree::Object(items) => items
            .iter()
            .any(|(k, v)| (k.ends_with("_wo") && !matches!(v, Tree::Null)) || has_write_only(v)),
        Tree::List(items) => items.iter().any(has_write_only),
        _ => false,
    }
}
