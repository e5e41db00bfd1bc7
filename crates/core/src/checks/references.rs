//! Reference checks: every reference names something declared, in this stack or
//! in another stack of the same target, and `each`/`count` only where they exist.

use crate::diag::Diagnostic;
use crate::expr::{subject_address, Reference, Subject};
use crate::sites::{Item, Scope, Site};

use super::StackCx;

/// Checks the references at one expression site of the stack.
pub(crate) fn check(cx: &StackCx<'_>, site: &Site<'_, '_>, out: &mut Vec<Diagnostic>) {
    match site.item {
        Item::Expr(n) => {
            n.visit_refs(&mut |r| reference(cx, site, r, out));
            n.visit_raw(&mut |text| super::raw_refs::check(cx, site, text, out));
        }
        Item::Dependency(r) => {
            // A dependency on another stack of the target is met by the stack order.
            let other_stack = r
                .stack
                .and_then(|id| cx.decl.position(id))
                .is_some_and(|pi| pi != cx.si);
            if !other_stack {
                reference(cx, site, r, out);
            }
        }
        Item::NonFiniteNumber => {}
    }
}

fn reference(cx: &StackCx<'_>, site: &Site<'_, '_>, r: &Reference, out: &mut Vec<Diagnostic>) {
    let report = |msg: String| cx.diag(&site.owner.address(), &site.field(), msg);
    let each = matches!(r.subject, Subject::EachKey | Subject::EachValue);
    let count = matches!(r.subject, Subject::CountIndex);
    let (has_count, has_for_each) = match site.scope {
        Scope::Block { count, for_each } => (count, for_each),
        Scope::Other => (false, false),
    };
    if each && !has_for_each {
        out.push(report(format!(
            "`{}` is used outside a block that sets for_each",
            subject_address(&r.subject)
        )));
        return;
    }
    if count && !has_count {
        out.push(report(
            "`count.index` is used outside a block that sets count".to_string(),
        ));
        return;
    }
    let Some(owner) = r.stack else { return };
    if owner == cx.stack.id {
        if !cx.decl.declares(cx.si, &r.subject) {
            out.push(report(format!(
                "refers to `{}`, which is not declared in this stack",
                subject_address(&r.subject)
            )));
        }
        return;
    }
    let Some(pi) = cx.decl.position(owner) else {
        out.push(report(format!(
            "refers to `{}`, declared in a stack that is not part of target `{}`; add that stack to the target",
            subject_address(&r.subject),
            cx.target
        )));
        return;
    };
    if !cx.decl.declares(pi, &r.subject) {
        out.push(report(format!(
            "refers to `{}` in stack `{}`, where it is not declared",
            subject_address(&r.subject),
            cx.decl.stacks()[pi].name
        )));
    }
}
