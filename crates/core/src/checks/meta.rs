//! Meta-argument checks: `count` and `for_each` exclude each other, a literal
//! `count` is a whole number of at least 0, and `replace_triggered_by` names blocks
//! of the same stack.

use crate::diag::Diagnostic;
use crate::tree::Tree;

use super::StackCx;

/// The meta-arguments of every block of the stack.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    for b in &s.blocks {
        let m = b.meta();
        if m.count.is_some() && m.for_each.is_some() {
            out.push(cx.diag(
                &b.address(),
                "count",
                "count and for_each cannot both be set".to_string(),
            ));
        }
        if let Some(Tree::Num(n)) = &m.count {
            let v = n.as_f64();
            if v < 0.0 || v.fract() != 0.0 {
                out.push(cx.diag(
                    &b.address(),
                    "count",
                    format!("count is {n}; it must be a whole number of at least 0"),
                ));
            }
        }
        let Some(l) = &m.lifecycle else { continue };
        for n in l.replace_triggers() {
            let mut foreign = false;
            n.visit_refs(&mut |r| foreign |= r.stack.is_some_and(|st| st != s.id));
            if foreign {
                out.push(cx.diag(
                    &b.address(),
                    "lifecycle.replace_triggered_by",
                    "must name a block of the same stack".to_string(),
                ));
            }
        }
    }
}
