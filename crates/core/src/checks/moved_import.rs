//! `moved` and `import` checks: the old address is a valid address, and both kinds
//! of block point at a block of their own stack.

use crate::diag::Diagnostic;
use crate::expr::subject_address;

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
        if to.stack != Some(s.id) {
            out.push(cx.diag(
                &addr,
                "to",
                "a moved block must point at a block of the same stack".to_string(),
            ));
        }
    }
    for imp in &s.imports {
        if imp.to.stack != Some(s.id) {
            out.push(cx.diag(
                &format!("import.{}", subject_address(&imp.to.subject)),
                "to",
                "an import block must point at a block of the same stack".to_string(),
            ));
        }
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
