//! Terraform version checks: a stack uses no feature newer than the Terraform
//! version its target declares ([`crate::Target::terraform_version`]), and a
//! `required_version` the program sets admits no Terraform too old for its features.

use crate::diag::Diagnostic;
use crate::features::{feature_uses, TfVersion};

use super::StackCx;

/// Every feature use newer than `declared`, and a too low `required_version`.
pub(crate) fn check(cx: &StackCx<'_>, declared: Option<&str>, out: &mut Vec<Diagnostic>) {
    if let Some(constraint) = &cx.stack.required_version {
        required_version(cx, constraint, out);
    }
    let Some(text) = declared else { return };
    let Some(version) = TfVersion::parse(text) else {
        if cx.si > 0 {
            return; // said once, for the target
        }
        out.push(
            Diagnostic::new(format!(
                "terraform version `{text}` is not a version (expected `1.11` or `1.11.2`)"
            ))
            .target(cx.target),
        );
        return;
    };
    for u in feature_uses(cx.stack) {
        if u.since > version {
            out.push(cx.diag(
                &u.address,
                "",
                format!(
                    "{} needs Terraform >= {}, but target `{}` deploys with Terraform {text}",
                    u.feature, u.since, cx.target
                ),
            ));
        }
    }
}

/// A warning when the lowest version `constraint` admits is older than a feature
/// of the stack needs (`>= 1.7.0` with an ephemeral block).
fn required_version(cx: &StackCx<'_>, constraint: &str, out: &mut Vec<Diagnostic>) {
    let Some(lowest) = lowest_admitted(constraint) else {
        return;
    };
    let newest = feature_uses(cx.stack).into_iter().max_by_key(|u| u.since);
    if let Some(u) = newest.filter(|u| u.since > lowest) {
        out.push(
            Diagnostic::warning(format!(
                "required_version `{constraint}` admits Terraform {lowest}, but the {} here needs >= {}",
                u.feature, u.since
            ))
            .target(cx.target)
            .stack(cx.stack.name.clone())
            .address(&u.address),
        );
    }
}

/// The lowest version a constraint admits, from its `>=`, `>`, `=` and `~>` parts;
/// `None` when it has no lower bound.
fn lowest_admitted(constraint: &str) -> Option<TfVersion> {
    constraint
        .split(',')
        .filter_map(|part| {
            let part = part.trim();
            let version = [">=", "~>", ">", "="]
                .iter()
                .find_map(|op| part.strip_prefix(op))
                .or_else(|| {
                    part.starts_with(|c: char| c.is_ascii_digit())
                        .then_some(part)
                })?;
            TfVersion::parse(version)
        })
        .max()
}
