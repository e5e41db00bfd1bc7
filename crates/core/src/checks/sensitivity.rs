//! Sensitivity checks: an output that uses a secret (a sensitive variable or
//! attribute) must be marked sensitive, or Terraform prints the secret.

use crate::diag::Diagnostic;
use crate::expr::{Node, Subject};
use crate::stack::Stack;
use crate::tree::Tree;

use super::raw_refs::{scan_raw_refs, RawRef};
use super::StackCx;

/// Every output of the stack that uses a sensitive value is marked sensitive.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    for (n, o) in &cx.stack.outputs {
        if o.sensitive {
            continue;
        }
        if let Some(what) = sensitive_source(cx.stack, &o.value) {
            out.push(cx.diag(&format!("output.{n}"), "value", format!("uses the sensitive value `{what}` but the output is not marked sensitive; call .sensitive() on the Output")));
        }
    }
}

/// The first sensitive thing an output value uses, if any.
fn sensitive_source(s: &Stack, t: &Tree) -> Option<String> {
    let sensitive_var = |v: &str| s.variables.iter().any(|e| e.name == v && e.sensitive);
    let mut found = None;
    t.visit_exprs(&mut Vec::new(), &mut |_, n| {
        n.visit_refs(&mut |r| {
            if found.is_none() {
                let var_sensitive = matches!(&r.subject, Subject::Var(v) if sensitive_var(v));
                if r.sensitive || var_sensitive {
                    found = Some(Node::Ref(r.clone()).to_hcl());
                }
            }
        });
        n.visit_raw(&mut |text| {
            if found.is_none() {
                for rr in scan_raw_refs(text) {
                    if let RawRef::Var(v) = rr {
                        if sensitive_var(&v) {
                            found = Some(format!("var.{v}"));
                        }
                    }
                }
            }
        });
    });
    found
}
