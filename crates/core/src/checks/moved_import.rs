//! `moved` and `import` checks: the old address is a valid address other than the
//! new one, both kinds of block point at a declared block of their own stack (a
//! managed resource, for import), and an import id is not empty.

use crate::diag::Diagnostic;
use crate::expr::{subject_address, Reference, Subject};
use crate::tree::Tree;

use super::identifiers::{is_valid_identifier, is_valid_type_name};
use super::StackCx;

/// The stack's `moved` and `import` blocks.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    for (from, to) in &s.moved {
        let addr = format!("moved.{}", subject_address(&to.subject));
        if !valid_address(from) {
            out.push(cx.diag(
                &addr,
                "from",
                format!("`{from}` is not a valid resource address"),
            ));
        }
        if from == &subject_address(&to.subject) && to.path.is_empty() {
            out.push(cx.diag(
                &addr,
                "from",
                "`from` and `to` are the same address; remove the moved block".to_string(),
            ));
        }
        if to.stack != Some(s.id) {
            out.push(cx.diag(
                &addr,
                "to",
                "a moved block must point at a block of the same stack".to_string(),
            ));
        } else {
            undeclared_target(cx, &addr, to, out);
        }
    }
    for imp in &s.imports {
        let addr = format!("import.{}", subject_address(&imp.to.subject));
        if imp.to.stack != Some(s.id) {
            out.push(cx.diag(
                &addr,
                "to",
                "an import block must point at a block of the same stack".to_string(),
            ));
        } else if matches!(imp.to.subject, Subject::Data { .. }) {
            out.push(cx.diag(
                &addr,
                "to",
                "an import block must point at a managed resource, not a data source".to_string(),
            ));
        } else {
            undeclared_target(cx, &addr, &imp.to, out);
        }
        if matches!(&imp.id, Tree::Str(id) if id.trim().is_empty()) {
            out.push(cx.diag(&addr, "id", "import id is empty".to_string()));
        }
    }
}

/// `to` names a block this stack declares.
fn undeclared_target(cx: &StackCx<'_>, addr: &str, to: &Reference, out: &mut Vec<Diagnostic>) {
    if !cx.decl.declares(cx.si, &to.subject) {
        out.push(cx.diag(
            addr,
            "to",
            format!(
                "`{}` is not declared in this stack",
                subject_address(&to.subject)
            ),
        ));
    }
}

/// A resource address as `moved.from` accepts it: `type.name[index]`,
/// `data.type.name` or `module.a.b`.
fn valid_address(a: &str) -> bool {
    let a = a.strip_prefix("data.").unwrap_or(a);
    if let Some(rest) = a.strip_prefix("module.") {
        return rest.split('.').all(|p| !p.is_empty());
    }
    let Some((t, rest)) = a.split_once('.') else {
        return false;
    };
    let name = rest.split('[').next().unwrap_or_default();
    is_valid_type_name(t) && is_valid_identifier(name)
}
