//! `check` block checks: a valid name used once, at least one assertion, and
//! scoped data sources referred to only from inside their own check.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::expr::{subject_address, Subject};
use crate::resource::BlockKind;
use crate::sites::{visit_stack, Item, Owner};

use super::identifiers::is_valid_identifier;
use super::StackCx;

/// The stack's `check` blocks.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    let mut seen = BTreeSet::new();
    for c in &s.checks {
        let addr = format!("check.{}", c.name);
        if !is_valid_identifier(&c.name) {
            out.push(cx.diag(&addr, "", format!("`{}` is not a valid check name", c.name)));
        }
        if !seen.insert(&c.name) {
            out.push(cx.diag(&addr, "", format!("check `{}` is declared twice", c.name)));
        }
        if c.asserts.is_empty() {
            out.push(cx.diag(
                &addr,
                "assert",
                "a check block needs at least one assert".to_string(),
            ));
        }
    }
    if s.blocks.iter().any(|b| b.check.is_some()) {
        scoped_references(cx, out);
    }
}

/// References to a check's data source from anywhere but that check.
fn scoped_references(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    let scope_of = |subject: &Subject| {
        let Subject::Data { ty, name } = subject else {
            return None;
        };
        s.blocks
            .iter()
            .find(|b| b.kind == BlockKind::Data && b.ty == *ty && b.name == *name)
            .and_then(|b| b.check.clone())
    };
    visit_stack(s, &mut |site| {
        let Item::Expr(n) = site.item else { return };
        let here = match site.owner {
            Owner::Check(c) => Some(c),
            Owner::Block(b) => b.check.as_deref(),
            _ => None,
        };
        n.visit_refs(&mut |r| {
            if r.stack != Some(s.id) {
                return;
            }
            if let Some(check) = scope_of(&r.subject) {
                if here != Some(&*check) {
                    out.push(cx.diag(
                        &site.owner.address(),
                        &site.field(),
                        format!(
                            "refers to `{}`, which is scoped to check `{check}`",
                            subject_address(&r.subject)
                        ),
                    ));
                }
            }
        });
    });
}
