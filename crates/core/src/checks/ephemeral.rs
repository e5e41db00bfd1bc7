//! Ephemeral value checks: an ephemeral value (an `ephemeral` block's attribute
//! or an ephemeral variable) reaches only write-only arguments, provider
//! configuration and other ephemeral blocks, never another stack.

use crate::diag::Diagnostic;
use crate::expr::{subject_address, Reference, Subject};
use crate::resource::BlockKind;
use crate::schema::check_body;
use crate::sites::{visit_stack, Item, Owner, Site};
use crate::stack::BlockEntry;

use super::StackCx;

/// Every ephemeral block against its schema, then every reference to an
/// ephemeral value in the stack, where it stands.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    for e in &s.ephemerals {
        if let Some(schema) = cx.schemas.ephemeral_resource(&e.ty) {
            for prob in check_body(schema, &e.body, true) {
                out.push(cx.diag(&e.address(), &prob.path, prob.message));
            }
        }
    }
    let any_ephemeral = !s.ephemerals.is_empty()
        || s.locals
            .iter()
            .any(|(_, t)| crate::stack::tree_is_sensitive(t))
        || s.variables.iter().any(|v| v.ephemeral)
        || cx.decl.stacks().iter().any(|o| !o.ephemerals.is_empty());
    if !any_ephemeral {
        return;
    }
    visit_stack(s, &mut |site| {
        let Item::Expr(n) = site.item else { return };
        n.visit_refs(&mut |r| {
            if !is_ephemeral(cx, r) {
                return;
            }
            let what = subject_address(&r.subject);
            let message = if r.stack != Some(s.id) {
                format!("`{what}` is ephemeral and cannot be read from another stack (it would become an output)")
            } else if allowed_at(cx, site) {
                return;
            } else {
                format!("`{what}` is ephemeral: Terraform accepts it only in write-only arguments, provider configuration, ephemeral blocks and locals")
            };
            out.push(cx.diag(&site.owner.address(), &site.field(), message));
        });
    });
}

/// An `ephemeral.*` reference, an ephemeral variable, or a local whose value
/// holds one (Terraform makes such a local ephemeral).
fn is_ephemeral(cx: &StackCx<'_>, r: &Reference) -> bool {
    match &r.subject {
        Subject::Ephemeral { .. } => true,
        Subject::Local(n) => {
            let stack = r.stack.and_then(|id| cx.decl.position(id));
            stack.is_some_and(|si| {
                let locals = &cx.decl.stacks()[si].locals;
                locals
                    .iter()
                    .any(|(l, t)| **l == **n && tree_holds_ephemeral(cx, t))
            })
        }
        Subject::Var(n) => {
            let stack = r.stack.and_then(|id| cx.decl.position(id));
            stack.is_some_and(|si| {
                cx.decl.stacks()[si]
                    .variables
                    .iter()
                    .any(|v| *v.name == **n && v.ephemeral)
            })
        }
        _ => false,
    }
}

/// A local's value refers to an ephemeral block or variable (one level: a local
/// of a local is not followed).
fn tree_holds_ephemeral(cx: &StackCx<'_>, t: &crate::tree::Tree) -> bool {
    let mut found = false;
    t.visit_exprs(&mut Vec::new(), &mut |_, n| {
        n.visit_refs(&mut |r| {
            found |= !matches!(r.subject, Subject::Local(_)) && is_ephemeral(cx, r);
        });
    });
    found
}

/// Provider bodies, ephemeral blocks, locals (which become ephemeral) and
/// write-only arguments of resources.
fn allowed_at(cx: &StackCx<'_>, site: &Site<'_, '_>) -> bool {
    match site.owner {
        Owner::Provider(_) | Owner::Ephemeral(_) | Owner::Local(_) => true,
        Owner::Block(b) if b.kind == BlockKind::Resource => {
            let field = site.field();
            let top = field.split(['.', '[']).next().unwrap_or_default();
            is_write_only(cx, b, top)
        }
        _ => false,
    }
}

/// The schema's `write_only` flag; without a schema, the `_wo` naming convention
/// every provider follows.
fn is_write_only(cx: &StackCx<'_>, b: &BlockEntry, attr: &str) -> bool {
    match cx.schemas.resource(&b.ty) {
        Some(schema) => schema.attributes.get(attr).is_some_and(|a| a.write_only),
        None => attr.ends_with("_wo"),
    }
}
