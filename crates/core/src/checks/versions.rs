//! Terraform version check: a stack uses no feature newer than the Terraform
//! version its target declares ([`crate::Target::terraform_version`]).

use crate::diag::Diagnostic;
use crate::features::{feature_uses, TfVersion};

use super::StackCx;

/// Every feature use newer than `declared`.
pub(crate) fn check(cx: &StackCx<'_>, declared: Option<&str>, out: &mut Vec<Diagnostic>) {
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
