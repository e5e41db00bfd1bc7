//! Provider checks: one version per provider in a stack, and every provider a
//! block or module call names is configured in the same stack.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::resource::RequiredProvider;

use super::StackCx;

/// Provider requirements agree, and blocks and modules use configured providers.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    let mut reqs: BTreeMap<&str, &RequiredProvider> = BTreeMap::new();
    for p in &s.required_providers {
        if let Some(prev) = reqs.insert(&*p.local_name, p) {
            if prev != p {
                out.push(cx.diag("terraform", "required_providers", format!(
                    "provider `{}` is required as {} {} and as {} {}; one stack can pin only one version",
                    p.local_name, prev.source, prev.version, p.source, p.version)));
            }
        }
    }
    let configured = |local: &str, alias: Option<&str>| {
        s.providers
            .iter()
            .any(|e| e.req.local_name == local && e.alias.as_deref() == alias)
    };
    for b in &s.blocks {
        let Some(p) = &b.meta().provider else {
            continue;
        };
        let problem = if p.stack != s.id {
            "is configured in another stack"
        } else if !configured(&p.local_name, p.alias.as_deref()) {
            "is not configured in this stack"
        } else {
            continue;
        };
        out.push(cx.diag(
            &b.address(),
            "provider",
            format!("provider `{}` {problem}", p.meta_value()),
        ));
    }
    for (n, m) in &s.modules {
        for p in m.providers.values() {
            let (local, alias) = p
                .split_once('.')
                .map(|(a, b)| (a, Some(b)))
                .unwrap_or((p.as_str(), None));
            if !configured(local, alias) {
                out.push(cx.diag(
                    &format!("module.{n}"),
                    "providers",
                    format!("passes provider `{p}`, which is not configured in this stack"),
                ));
            }
        }
    }
}
