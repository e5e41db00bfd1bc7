//! Reference checks: every reference names something declared, in this stack or
//! in another stack of the same target, `each`/`count` only where they exist, and an
//! attribute of a `count`/`for_each` block only through one of its instances.

use crate::diag::Diagnostic;
use crate::expr::{subject_address, Reference, Step, Subject};
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
        } else {
            instance(cx, cx.si, r, out, report);
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
    } else {
        instance(cx, pi, r, out, report);
    }
}

/// An attribute read straight off a `count`/`for_each` block (`aws_s3_bucket.logs.id`)
/// has no instance: terraform refuses it ("Missing resource instance key").
fn instance(
    cx: &StackCx<'_>,
    declared_in: usize,
    r: &Reference,
    out: &mut Vec<Diagnostic>,
    report: impl Fn(String) -> Diagnostic,
) {
    let Some(Step::Attr(attr)) = r.path.first() else {
        return;
    };
    let Some(meta) = cx.decl.repeated_by(declared_in, &r.subject) else {
        return;
    };
    let (how, example) = if meta == "for_each" {
        ("`.key(each_key())` or `.key(\"name\")`", "[each.key]")
    } else {
        ("`.at(count_index())` or `.at(0)`", "[count.index]")
    };
    let block = subject_address(&r.subject);
    out.push(report(format!(
        "reads `{block}.{attr}`, but `{block}` sets {meta}: refer to one instance with {how} \
         (`{block}{example}.{attr}`), or to all of them with `.whole()`"
    )));
}
