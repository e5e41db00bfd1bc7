//! `removed` and `import ... for_each` checks: a removed block names a whole
//! resource or module that is no longer declared, once; an import of many
//! instances points at a block declared with `for_each`.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::expr::{subject_address, Subject};

use super::identifiers::{is_valid_identifier, is_valid_type_name};
use super::StackCx;

/// The stack's `removed` blocks and its imports with `for_each`.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    // Formatted only for a stack with removed blocks (most have none).
    let declared: BTreeSet<String> = if s.removed.is_empty() {
        BTreeSet::new()
    } else {
        s.addresses().into_iter().collect()
    };
    let mut seen = BTreeSet::new();
    for r in &s.removed {
        let addr = format!("removed.{}", r.from);
        if !whole_block_address(&r.from) {
            out.push(cx.diag(
                &addr,
                "from",
                format!(
                    "`{}` is not a resource or module address; a removed block names a whole block, without an instance key",
                    r.from
                ),
            ));
        } else if declared.contains(&r.from) {
            out.push(cx.diag(
                &addr,
                "from",
                format!(
                    "`{}` is still declared in this stack; remove the block or the removed block",
                    r.from
                ),
            ));
        }
        if !seen.insert(&r.from) {
            out.push(cx.diag(
                &addr,
                "from",
                format!("`{}` is named by two removed blocks", r.from),
            ));
        }
    }
    for imp in s.imports.iter().filter(|i| i.for_each.is_some()) {
        if imp.to.stack != Some(s.id) {
            continue; // reported by the moved/import family
        }
        let target = s.blocks.iter().find(|b| match &imp.to.subject {
            Subject::Resource { ty, name } => b.ty == *ty && b.name == *name,
            _ => false,
        });
        if target.is_some_and(|b| b.meta().for_each.is_none()) {
            let addr = format!("import.{}", subject_address(&imp.to.subject));
            out.push(cx.diag(
                &addr,
                "for_each",
                "an import with for_each must point at a block declared with for_each".to_string(),
            ));
        }
    }
}

/// `type.name` or `module.name[.module.name...]`, with no instance key: what
/// `removed.from` accepts.
fn whole_block_address(a: &str) -> bool {
    if let Some(rest) = a.strip_prefix("module.") {
        return rest.split(".module.").all(is_valid_identifier);
    }
    match a.split_once('.') {
        Some((t, name)) => t != "data" && is_valid_type_name(t) && is_valid_identifier(name),
        None => false,
    }
}
