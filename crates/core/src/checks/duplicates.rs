//! Duplicate checks: a target, stack, block address, provider configuration or
//! declared name may appear only once where it must be unique.

use std::collections::BTreeSet;

use rustc_hash::FxHashSet;

use crate::diag::Diagnostic;
use crate::stack::Stack;

use super::StackCx;

/// Every target of an app has its own name.
pub(crate) fn target<'a>(name: &'a str, seen: &mut BTreeSet<&'a str>, out: &mut Vec<Diagnostic>) {
    if !seen.insert(name) {
        out.push(
            Diagnostic::new(format!("target `{name}` is defined more than once")).target(name),
        );
    }
}

/// A stack is added to its target once.
pub(crate) fn stack<'s>(
    target: &str,
    s: &'s Stack,
    seen: &mut BTreeSet<&'s str>,
    out: &mut Vec<Diagnostic>,
) {
    if !seen.insert(s.name.as_str()) {
        out.push(
            Diagnostic::new(format!(
                "stack `{}` is added to the target more than once",
                s.name
            ))
            .target(target)
            .stack(s.name.clone()),
        );
    }
}

/// Within one stack: provider configurations, block addresses and declared names.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    let mut aliases = BTreeSet::new();
    for p in &s.providers {
        if !aliases.insert((&*p.req.local_name, p.alias.as_deref())) {
            out.push(cx.diag(
                &format!("provider.{}", p.req.local_name),
                "alias",
                match &p.alias {
                    Some(a) => format!(
                        "provider configuration `{}.{a}` is declared twice",
                        p.req.local_name
                    ),
                    None => format!(
                        "provider `{}` has two configurations without an alias; give one an alias",
                        p.req.local_name
                    ),
                },
            ));
        }
    }
    // Keyed by borrowed parts: no address is formatted unless it is reported.
    let mut addrs = FxHashSet::with_capacity_and_hasher(s.blocks.len(), Default::default());
    for b in &s.blocks {
        if !addrs.insert((b.kind, &*b.ty, &*b.name)) {
            out.push(cx.diag(
                &b.address(),
                "",
                "address is declared more than once in this stack".to_string(),
            ));
        }
    }
    let mut names = BTreeSet::new();
    for (kind, name) in super::declared_names(s) {
        if !names.insert((kind, name)) {
            out.push(cx.diag(
                &format!("{}.{name}", kind.prefix()),
                "",
                format!("{} is declared more than once in this stack", kind.noun()),
            ));
        }
    }
}
