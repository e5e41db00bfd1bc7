//! The schema check: provider, resource and data source bodies against the
//! provider schemas registered on the app (see [`crate::schema`]).

use crate::diag::Diagnostic;
use crate::resource::BlockKind;
use crate::schema::check_body;

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
    for b in &s.blocks {
        let schema = match b.kind {
            BlockKind::Resource => cx.schemas.resource(&b.ty),
            BlockKind::Data => cx.schemas.data_source(&b.ty),
        };
        if let Some(schema) = schema {
            let problems = check_body(schema, &b.body, true);
            if !problems.is_empty() {
                let addr = b.address();
                for prob in problems {
                    out.push(cx.diag(&addr, &prob.path, prob.message));
                }
            }
        }
    }
}
