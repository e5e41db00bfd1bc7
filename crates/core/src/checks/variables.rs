//! Variable checks: every variable gets a value somehow, and the values a target
//! sets are literals for declared, non-sensitive variables.

use crate::diag::Diagnostic;
use crate::tree::Tree;

use super::StackCx;

/// The stack's variables and the values its target sets for them.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    for v in &s.variables {
        let set = s.var_values.iter().any(|(n, _)| n == &v.name);
        if v.default.is_none() && !set && !v.supplied_at_apply {
            out.push(cx.diag(&format!("var.{}", v.name), "", format!(
                "variable has no default and target `{}` sets no value; give it a default, set it with Stack::set_variable, or mark it supplied_at_apply",
                cx.target
            )));
        }
    }
    for (n, val) in &s.var_values {
        let addr = format!("var.{n}");
        match s.variables.iter().find(|v| &v.name == n) {
            None => out.push(cx.diag(&addr, "", "a value is set for a variable that is not declared in this stack".to_string())),
            Some(v) if v.sensitive => out.push(cx.diag(&addr, "", "a sensitive variable's value would be written to terraform.tfvars.json; mark it supplied_at_apply instead".to_string())),
            _ => {}
        }
        if matches!(val, Tree::Expr(_)) {
            out.push(cx.diag(&addr, "", "a variable value must be a literal".to_string()));
        }
    }
}
