//! "Reported at build": what constructs found while building a stack, recorded
//! with [`crate::Stack::report`], joins the other problems here.

use crate::diag::Diagnostic;

use super::StackCx;

/// The problems constructs reported on the stack, now naming the target.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    for r in &cx.stack.reported {
        out.push(r.clone().target(cx.target));
    }
}
