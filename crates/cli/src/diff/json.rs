//! The JSON format of `terrane diff`, for tools: per target, every change with its
//! address, action (create, destroy, update, move, replace), whether it holds data,
//! and its arguments (secrets redacted).

use std::io::{self, Write};

use serde_json::{json, Value};
use terrane_core::refactor::{Change, TargetDiff};

use super::move_note;

/// Prints every target's diff as one JSON document.
pub(crate) fn print(diffs: &[TargetDiff], out: &mut dyn Write) -> io::Result<()> {
    let targets: Vec<Value> = diffs
        .iter()
        .map(|d| {
            json!({
                "target": d.target,
                "baseline": d.has_baseline,
                "changes": d.changes.iter().map(change).collect::<Vec<_>>(),
                "outputs": d.outputs.iter().map(|o| json!({
                    "stack": o.stack,
                    "name": o.name,
                    "action": if o.added { "create" } else { "destroy" },
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let text =
        serde_json::to_string_pretty(&json!({ "targets": targets })).map_err(io::Error::other)?;
    writeln!(out, "{text}")
}

fn change(c: &Change) -> Value {
    let arguments: Vec<Value> = c
        .arguments
        .iter()
        .map(|a| {
            json!({
                "path": a.path,
                "old": a.old,
                "new": a.new,
                "forces_replacement": a.forces_replacement,
            })
        })
        .collect();
    let mut v = json!({
        "stack": c.stack,
        "address": c.address,
        "type": c.resource_type,
        "action": c.action.as_str(),
        "stateful": c.is_stateful(),
        "arguments": arguments,
    });
    if let Some(h) = &c.stateful {
        v["holds"] = json!(h);
    }
    if let Some((from, kind)) = &c.moved_from {
        v["moved_from"] = json!(from);
        v["move"] = json!(move_note(kind));
    }
    v
}
