//! The diff engine: two [`TargetModel`]s (baseline and new output) to a
//! [`TargetDiff`], matching renamed stateful resources by type and identity.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::change::{Action, ArgumentChange, Change, MoveKind, OutputChange, TargetDiff};
use super::model::{ResourceModel, StackModel, TargetModel};
use super::redact::{is_secret, shown};
use super::stateful::StatefulTable;
use crate::schema::SchemaSet;

/// What a diff needs besides the two models.
pub struct DiffContext<'a> {
    /// Stateful types and kinds.
    pub table: &'a StatefulTable,
    /// Provider schemas, for sensitive flags.
    pub schemas: &'a SchemaSet,
}

/// A resource present on one side only, waiting to be matched.
struct Loose<'a> {
    stack: &'a str,
    address: &'a str,
    resource: &'a ResourceModel,
}

/// Compares a target's baseline `old` with its new output `new`.
pub fn diff_target(
    target: &str,
    old: &TargetModel,
    new: &TargetModel,
    cx: &DiffContext<'_>,
) -> TargetDiff {
    let mut out = TargetDiff {
        target: target.to_string(),
        has_baseline: true,
        ..TargetDiff::default()
    };
    let empty = StackModel::default();
    let stacks: BTreeSet<&String> = old.stacks.keys().chain(new.stacks.keys()).collect();
    let (mut destroyed, mut created) = (Vec::new(), Vec::new());
    for name in stacks {
        let before = old.stacks.get(name).unwrap_or(&empty);
        let after = new.stacks.get(name).unwrap_or(&empty);
        diff_stack(
            name,
            before,
            after,
            cx,
            &mut out,
            &mut destroyed,
            &mut created,
        );
        outputs(name, before, after, &mut out.outputs);
    }
    match_renames(destroyed, created, cx, &mut out.changes);
    for c in &mut out.changes {
        let forgotten = new
            .stacks
            .get(&c.stack)
            .is_some_and(|s| s.forgotten.contains(&c.address));
        if c.action == Action::Destroy && forgotten {
            c.action = Action::Forget;
        }
    }
    super::k8s_diff::objects(old, new, cx, &mut out.changes);
    out.sort();
    out
}

/// One stack: declared moves, updates and replacements; resources on one side only
/// are left in `destroyed` / `created` for [`match_renames`].
fn diff_stack<'a>(
    name: &'a str,
    before: &'a StackModel,
    after: &'a StackModel,
    cx: &DiffContext<'_>,
    out: &mut TargetDiff,
    destroyed: &mut Vec<Loose<'a>>,
    created: &mut Vec<Loose<'a>>,
) {
    let mut matched_old = BTreeSet::new();
    let mut matched_new = BTreeSet::new();
    for (from, to) in &after.moved {
        let (Some(old), Some(new)) = (before.resources.get(from), after.resources.get(to)) else {
            continue;
        };
        if after.resources.contains_key(from) || before.resources.contains_key(to) {
            continue; // already applied, or not a move of this baseline
        }
        matched_old.insert(from.as_str());
        matched_new.insert(to.as_str());
        let mut c = compare(name, to, old, new, cx);
        c.action = Action::Move;
        c.moved_from = Some((from.clone(), MoveKind::Declared));
        out.changes.push(c);
    }
    for (address, old) in &before.resources {
        if matched_old.contains(address.as_str()) {
            continue;
        }
        match after.resources.get(address) {
            Some(new) => {
                let c = compare(name, address, old, new, cx);
                if !c.arguments.is_empty() {
                    out.changes.push(c);
                }
            }
            None => destroyed.push(Loose {
                stack: name,
                address,
                resource: old,
            }),
        }
    }
    for (address, new) in &after.resources {
        if !before.resources.contains_key(address) && !matched_new.contains(address.as_str()) {
            created.push(Loose {
                stack: name,
                address,
                resource: new,
            });
        }
    }
}

/// The same resource on both sides: its changed arguments, and whether one of them
/// forces a replacement.
fn compare(
    stack: &str,
    address: &str,
    old: &ResourceModel,
    new: &ResourceModel,
    cx: &DiffContext<'_>,
) -> Change {
    let entry = cx.table.get(&new.resource_type);
    let mut arguments = Vec::new();
    changed_arguments(
        "",
        &old.arguments,
        &new.arguments,
        &|_| false,
        &mut arguments,
    );
    for a in &mut arguments {
        let secret = is_secret(cx.schemas, &new.resource_type, &a.path);
        a.old = a.old.as_ref().map(|v| shown(v, secret));
        a.new = a.new.as_ref().map(|v| shown(v, secret));
        a.forces_replacement = entry.is_some_and(|e| e.forces_at(&a.path));
    }
    let replace = arguments.iter().any(|a| a.forces_replacement);
    Change {
        stack: stack.to_string(),
        address: address.to_string(),
        resource_type: new.resource_type.clone(),
        action: if replace {
            Action::Replace
        } else {
            Action::Update
        },
        stateful: entry.map(|e| e.holds.clone()),
        moved_from: None,
        arguments,
    }
}

/// Arguments that differ, recursing into objects (nested maps and blocks written as
/// objects) except where `whole(path)` says to compare whole; lists compare whole.
pub(crate) fn changed_arguments(
    prefix: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    whole: &dyn Fn(&str) -> bool,
    out: &mut Vec<ArgumentChange>,
) {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for k in keys {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match (old.get(k), new.get(k)) {
            (Some(Value::Object(a)), Some(Value::Object(b))) if !whole(&path) => {
                changed_arguments(&path, a, b, whole, out)
            }
            (a, b) if a != b => out.push(ArgumentChange {
                path,
                old: a.cloned(),
                new: b.cloned(),
                forces_replacement: false,
            }),
            _ => {}
        }
    }
}

/// Every argument of a resource created or destroyed, redacted.
fn all_arguments(r: &ResourceModel, cx: &DiffContext<'_>, created: bool) -> Vec<ArgumentChange> {
    let mut out = Vec::new();
    let empty = Map::new();
    let (old, new) = if created {
        (&empty, &r.arguments)
    } else {
        (&r.arguments, &empty)
    };
    changed_arguments("", old, new, &|_| false, &mut out);
    for a in &mut out {
        let secret = is_secret(cx.schemas, &r.resource_type, &a.path);
        a.old = a.old.as_ref().map(|v| shown(v, secret));
        a.new = a.new.as_ref().map(|v| shown(v, secret));
    }
    out
}

/// Pairs each destroyed stateful resource with a created one of the same type and
/// identity (same stack first, then any stack); the rest are destroys and creates.
fn match_renames(
    destroyed: Vec<Loose<'_>>,
    created: Vec<Loose<'_>>,
    cx: &DiffContext<'_>,
    out: &mut Vec<Change>,
) {
    let mut taken = vec![false; created.len()];
    for gone in destroyed {
        let candidates = |same_stack: bool| {
            created.iter().enumerate().position(|(i, c)| {
                !taken[i]
                    && (c.stack == gone.stack) == same_stack
                    && same_object(gone.resource, c.resource, cx)
            })
        };
        let found = candidates(true)
            .map(|i| (i, true))
            .or_else(|| candidates(false).map(|i| (i, false)));
        match found {
            Some((i, same_stack)) => {
                taken[i] = true;
                let new = &created[i];
                let mut c = compare(new.stack, new.address, gone.resource, new.resource, cx);
                c.action = Action::Move;
                let kind = if same_stack {
                    MoveKind::SameStack
                } else {
                    MoveKind::AcrossStacks {
                        from_stack: gone.stack.to_string(),
                    }
                };
                c.moved_from = Some((gone.address.to_string(), kind));
                out.push(c);
            }
            None => out.push(lone(&gone, Action::Destroy, cx)),
        }
    }
    for (i, c) in created.iter().enumerate() {
        if !taken[i] {
            out.push(lone(c, Action::Create, cx));
        }
    }
}

/// A resource on one side only.
fn lone(r: &Loose<'_>, action: Action, cx: &DiffContext<'_>) -> Change {
    Change {
        stack: r.stack.to_string(),
        address: r.address.to_string(),
        resource_type: r.resource.resource_type.clone(),
        action,
        stateful: cx
            .table
            .get(&r.resource.resource_type)
            .map(|e| e.holds.clone()),
        moved_from: None,
        arguments: all_arguments(r.resource, cx, action == Action::Create),
    }
}

/// True when `old` and `new` are the same real object: a stateful type with equal
/// identity arguments, or (identity unset on both) equal arguments.
fn same_object(old: &ResourceModel, new: &ResourceModel, cx: &DiffContext<'_>) -> bool {
    if old.resource_type != new.resource_type {
        return false;
    }
    let Some(entry) = cx.table.get(&old.resource_type) else {
        return false;
    };
    let identity: BTreeMap<&str, (Option<&Value>, Option<&Value>)> = entry
        .identity
        .iter()
        .map(|k| {
            (
                k.as_str(),
                (lookup(&old.arguments, k), lookup(&new.arguments, k)),
            )
        })
        .collect();
    if identity.values().all(|(a, b)| a.is_none() && b.is_none()) {
        return without_meta(&old.arguments) == without_meta(&new.arguments);
    }
    identity.values().all(|(a, b)| a == b)
}

/// The value at a dotted path (`metadata.name`), through objects and one-element
/// lists (nested blocks).
fn lookup<'a>(args: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut steps = path.split('.');
    let mut here = args.get(steps.next()?)?;
    for step in steps {
        if let Value::Array(items) = here {
            here = items.first()?;
        }
        here = here.get(step)?;
    }
    Some(here)
}

/// Arguments without `depends_on`, which names addresses and so changes on a rename.
fn without_meta(args: &Map<String, Value>) -> Map<String, Value> {
    args.iter()
        .filter(|(k, _)| k.as_str() != "depends_on")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Outputs added to or removed from a stack.
fn outputs(stack: &str, before: &StackModel, after: &StackModel, out: &mut Vec<OutputChange>) {
    for name in after.outputs.difference(&before.outputs) {
        out.push(OutputChange {
            stack: stack.to_string(),
            name: name.clone(),
            added: true,
        });
    }
    for name in before.outputs.difference(&after.outputs) {
        out.push(OutputChange {
            stack: stack.to_string(),
            name: name.clone(),
            added: false,
        });
    }
}
