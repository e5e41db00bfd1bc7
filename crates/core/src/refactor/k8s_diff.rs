//! Kubernetes objects in a diff: created, destroyed or updated by identity; a
//! stateful kind (PersistentVolumeClaim, StatefulSet) renamed is reported as a move
//! of data that `kubectl apply` cannot follow.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::change::{Action, Change, MoveKind};
use super::diff::{changed_arguments, DiffContext};
use super::k8s::ObjectKey;
use super::model::TargetModel;
use super::redact::shown;

/// Adds the changes of every Kubernetes object of the target to `out`.
pub(crate) fn objects(
    old: &TargetModel,
    new: &TargetModel,
    cx: &DiffContext<'_>,
    out: &mut Vec<Change>,
) {
    let keys: BTreeSet<&ObjectKey> = old.objects.keys().chain(new.objects.keys()).collect();
    let mut gone = Vec::new();
    let mut added = Vec::new();
    for key in keys {
        match (old.objects.get(key), new.objects.get(key)) {
            (Some(a), Some(b)) if a != b => out.push(change(key, Action::Update, a, b, cx)),
            (Some(_), None) => gone.push(key),
            (None, Some(_)) => added.push(key),
            _ => {}
        }
    }
    let mut taken = vec![false; added.len()];
    for key in gone {
        let holds = cx.table.kind_holds(&key.kind);
        // A stateful object whose name changed: the same kind in the same folder and
        // namespace, created in this diff.
        let renamed = holds.and_then(|_| {
            added.iter().enumerate().position(|(i, k)| {
                !taken[i] && k.kind == key.kind && k.namespace == key.namespace && k.dir == key.dir
            })
        });
        if let Some(i) = renamed {
            taken[i] = true;
            let mut c = change(
                added[i],
                Action::Move,
                &old.objects[key],
                &new.objects[added[i]],
                cx,
            );
            c.moved_from = Some((key.to_string(), MoveKind::SameStack));
            out.push(c);
        } else {
            out.push(change(
                key,
                Action::Destroy,
                &old.objects[key],
                &Value::Null,
                cx,
            ));
        }
    }
    for (i, key) in added.iter().enumerate() {
        if !taken[i] {
            out.push(change(
                key,
                Action::Create,
                &Value::Null,
                &new.objects[*key],
                cx,
            ));
        }
    }
}

fn change(
    key: &ObjectKey,
    action: Action,
    old: &Value,
    new: &Value,
    cx: &DiffContext<'_>,
) -> Change {
    let secret = key.kind == "Secret";
    let mut arguments = Vec::new();
    let empty = Map::new();
    let a = old.as_object().unwrap_or(&empty);
    let b = new.as_object().unwrap_or(&empty);
    let hidden =
        |path: &str| secret && (path.starts_with("data") || path.starts_with("stringData"));
    changed_arguments("", a, b, &hidden, &mut arguments);
    for arg in &mut arguments {
        let redact = hidden(&arg.path);
        arg.old = arg.old.as_ref().map(|v| shown(v, redact));
        arg.new = arg.new.as_ref().map(|v| shown(v, redact));
    }
    Change {
        stack: key.dir.clone(),
        address: key.to_string(),
        resource_type: key.kind.clone(),
        action,
        stateful: cx.table.kind_holds(&key.kind).map(str::to_string),
        moved_from: None,
        arguments,
    }
}
