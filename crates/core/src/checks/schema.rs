//! The schema check: provider, resource and data source bodies, and the
//! `ignore_changes` entries of resources, against the provider schemas the app
//! knows (see [`crate::schema`]).

use crate::diag::Diagnostic;
use crate::resource::BlockKind;
use crate::schema::suggest::closest;
use crate::schema::{check_body, Block, BodyCheck};
use crate::stack::BlockEntry;

use super::StackCx;

/// Every provider configuration and block of the stack whose schema is known.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    for p in &s.providers {
        if let Some(schema) = cx.schemas.provider(&p.req.local_name) {
            let addr = format!("provider.{}", p.req.local_name);
            for prob in check_body(schema, &p.body, true) {
                out.push(cx.diag(&addr, &prob.path, prob.message));
            }
        }
    }
    let mut bodies = BodyCheck::default();
    for b in &s.blocks {
        let schema = match b.kind {
            BlockKind::Resource => cx.schemas.resource(&b.ty),
            BlockKind::Data => cx.schemas.data_source(&b.ty),
        };
        if let Some(schema) = schema {
            let problems = bodies.check(schema, &b.body, true);
            if !problems.is_empty() {
                let addr = b.address();
                for prob in problems {
                    out.push(cx.diag(&addr, &prob.path, prob.message));
                }
            }
            ignore_changes(cx, b, schema, out);
        }
    }
}

/// Each `ignore_changes` entry starts with an argument or block of the type:
/// terraform refuses the configuration otherwise.
fn ignore_changes(cx: &StackCx<'_>, b: &BlockEntry, schema: &Block, out: &mut Vec<Diagnostic>) {
    let Some(l) = &b.meta().lifecycle else { return };
    for entry in l.ignored() {
        let root = entry.split(['.', '[']).next().unwrap_or_default();
        if schema.attributes.contains_key(root) || schema.block_types.contains_key(root) {
            continue;
        }
        let names = schema.attributes.keys().chain(schema.block_types.keys());
        let hint = closest(root, names)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        out.push(cx.diag(
            &b.address(),
            "lifecycle.ignore_changes",
            format!("`{entry}` is not an argument of {}{hint}", b.ty),
        ));
    }
}
