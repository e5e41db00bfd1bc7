//! The guard run at synth when a baseline exists: stateful resources renamed in a
//! stack get their `moved` block written; ones moved to another stack, destroyed or
//! replaced stop the synth unless the program declares it intended.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::allow::Allowances;
use super::change::{Action, Change, MoveKind};
use super::diff::{diff_target, DiffContext};
use super::model::TargetModel;
use super::patch::append_blocks;
use crate::diag::Diagnostic;
use crate::target::Synthesized;

/// How the guard may change the output besides `moved` blocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuardOptions {
    /// Write a `removed` block (`lifecycle { destroy = false }`) in the old stack and
    /// an `import` in the new one for a stateful resource moved between stacks.
    pub move_across_stacks: bool,
}

/// Blocks to add to each stack's `main.tf.json`.
#[derive(Default)]
struct Additions {
    moved: BTreeMap<String, Vec<Value>>,
    removed: BTreeMap<String, Vec<Value>>,
    import: BTreeMap<String, Vec<Value>>,
}

/// Checks `out` against its `baseline`, adds the blocks that keep data, and returns
/// the diagnostics (warnings for what it wrote, errors for what it refuses).
pub(crate) fn run(
    out: &mut Synthesized,
    baseline: &TargetModel,
    allowances: &BTreeMap<String, Allowances>,
    cx: &DiffContext<'_>,
    options: GuardOptions,
) -> Vec<Diagnostic> {
    let target = out.target.clone();
    let new = match TargetModel::parse(&out.files) {
        Ok(m) => m,
        Err(e) => {
            return vec![Diagnostic::new(format!("cannot read the new output: {e}")).target(&target)]
        }
    };
    let mut adds = Additions::default();
    carry_moved_forward(baseline, &new, &mut adds);
    let diff = diff_target(&target, baseline, &new, cx);
    let none = Allowances::default();
    let mut diags = Vec::new();
    for c in diff.changes.iter().filter(|c| c.is_stateful()) {
        if c.stack.starts_with("k8s/") {
            diags.extend(kubernetes(c));
            continue;
        }
        let allowed = allowances.get(&c.stack).unwrap_or(&none);
        let d = match (&c.action, &c.moved_from) {
            (Action::Move, Some((from, MoveKind::SameStack))) => {
                Some(same_stack_move(c, from, &mut adds))
            }
            (Action::Move, Some((from, MoveKind::AcrossStacks { from_stack }))) => {
                let old_allowed = allowances.get(from_stack).unwrap_or(&none);
                let id = import_id(cx, from, from_stack, baseline);
                across_stacks(c, from, from_stack, id, old_allowed, options, &mut adds)
            }
            (Action::Destroy, _) => destroy(c, allowed),
            (Action::Replace, _) => replace(c, allowed),
            _ => None,
        };
        diags.extend(d.map(|d| d.target(&target)));
    }
    if !diags.iter().any(Diagnostic::is_error) {
        apply(out, adds);
    }
    diags
}

/// Keeps the `moved` blocks of the baseline that still point at a resource of the
/// new output: a second synth before apply must not lose the first one's moves.
fn carry_moved_forward(baseline: &TargetModel, new: &TargetModel, adds: &mut Additions) {
    for (name, old) in &baseline.stacks {
        let Some(now) = new.stacks.get(name) else {
            continue;
        };
        for (from, to) in &old.moved {
            let still_needed = now.resources.contains_key(to) && !now.resources.contains_key(from);
            if still_needed && !now.moved.iter().any(|(f, t)| f == from && t == to) {
                adds.moved
                    .entry(name.clone())
                    .or_default()
                    .push(json!({"from": from, "to": to}));
            }
        }
    }
}

fn same_stack_move(c: &Change, from: &str, adds: &mut Additions) -> Diagnostic {
    adds.moved
        .entry(c.stack.clone())
        .or_default()
        .push(json!({"from": from, "to": c.address}));
    Diagnostic::warning(format!(
        "renamed from {from}: the output gets a `moved` block so terraform keeps the {} it holds; \
         make it permanent with `stack.moved(\"{from}\", &handle)`",
        holds(c)
    ))
    .stack(&c.stack)
    .address(&c.address)
}

fn across_stacks(
    c: &Change,
    from: &str,
    from_stack: &str,
    import_id: Option<String>,
    old_allowed: &Allowances,
    options: GuardOptions,
    adds: &mut Additions,
) -> Option<Diagnostic> {
    if old_allowed.destroy.contains_key(from) {
        return None;
    }
    if let (true, Some(id)) = (options.move_across_stacks, &import_id) {
        adds.removed
            .entry(from_stack.to_string())
            .or_default()
            .push(json!({"from": from, "lifecycle": {"destroy": false}}));
        adds.import
            .entry(c.stack.clone())
            .or_default()
            .push(json!({"to": c.address, "id": id}));
        return Some(
            Diagnostic::warning(format!(
                "moved from stack {from_stack} ({from}): wrote a `removed` block (destroy = false) \
                 there and an `import` (id {id}) here, so the {} stays",
                holds(c)
            ))
            .stack(&c.stack)
            .address(&c.address),
        );
    }
    let how = match import_id {
        Some(id) => format!(
            "run `terrane synth --move-across-stacks` to write a `removed` block (lifecycle destroy = false) \
             in {from_stack} and an `import` (id {id}) in {}",
            c.stack
        ),
        None => format!(
            "write a `removed` block (lifecycle destroy = false) in {from_stack} and an `import` of the \
             existing object in {}",
            c.stack
        ),
    };
    Some(
        Diagnostic::new(format!(
            "holds data ({}) and moves to stack {} as {}: terraform would destroy it here and create \
             an empty one there; {how}, or declare the destruction intended with \
             `stack.allow_destroy(\"{from}\", \"<reason>\")`",
            holds(c),
            c.stack,
            c.address
        ))
        .stack(from_stack)
        .address(from),
    )
}

/// The id `terraform import` takes for the moved resource: the value of the type's
/// import argument in the baseline.
fn import_id(
    cx: &DiffContext<'_>,
    from: &str,
    from_stack: &str,
    baseline: &TargetModel,
) -> Option<String> {
    let old = baseline.stacks.get(from_stack)?.resources.get(from)?;
    let arg = cx.table.get(&old.resource_type)?.import_id.as_ref()?;
    old.arguments.get(arg)?.as_str().map(str::to_string)
}

fn destroy(c: &Change, allowed: &Allowances) -> Option<Diagnostic> {
    if allowed.destroy.contains_key(&c.address) {
        return None;
    }
    Some(
        Diagnostic::new(format!(
            "holds data ({}) and is gone from the program: terraform would destroy it. If it was \
             renamed, keep its identifying arguments so synth writes the `moved` block; if the \
             destruction is intended, declare it with `stack.allow_destroy(\"{}\", \"<reason>\")`",
            holds(c),
            c.address
        ))
        .stack(&c.stack)
        .address(&c.address),
    )
}

fn replace(c: &Change, allowed: &Allowances) -> Option<Diagnostic> {
    if allowed.replace.contains_key(&c.address) {
        return None;
    }
    let forcing: Vec<&str> = c
        .arguments
        .iter()
        .filter(|a| a.forces_replacement)
        .map(|a| a.path.as_str())
        .collect();
    let shown: Vec<String> = c
        .arguments
        .iter()
        .filter(|a| a.forces_replacement)
        .map(|a| {
            format!(
                "{} -> {}",
                value_text(a.old.as_ref()),
                value_text(a.new.as_ref())
            )
        })
        .collect();
    Some(
        Diagnostic::new(format!(
            "changing it ({}) forces terraform to replace the resource, losing the {} it holds; \
             declare it intended with `stack.allow_replace(\"{}\", \"<reason>\")`",
            shown.join(", "),
            holds(c),
            c.address
        ))
        .stack(&c.stack)
        .address(&c.address)
        .field(forcing.join(", ")),
    )
}

fn kubernetes(c: &Change) -> Option<Diagnostic> {
    let text = match (&c.action, &c.moved_from) {
        (Action::Move, Some((from, _))) => format!(
            "{} renamed from {from}: kubectl apply creates a new object and leaves the old one with its \
             data ({}); copy or rebind the data before deleting the old object",
            c.resource_type,
            holds(c)
        ),
        (Action::Destroy, _) => format!(
            "{} is gone from the manifests; its data ({}) stays until the object is deleted by hand",
            c.resource_type,
            holds(c)
        ),
        _ => return None,
    };
    Some(
        Diagnostic::warning(text)
            .stack(&c.stack)
            .address(&c.address),
    )
}

fn holds(c: &Change) -> &str {
    c.stateful.as_deref().unwrap_or("data")
}

fn value_text(v: Option<&Value>) -> String {
    match v {
        None => "unset".to_string(),
        Some(v) => v.to_string(),
    }
}

/// Writes the decided blocks into the stacks' texts.
fn apply(out: &mut Synthesized, adds: Additions) {
    for (key, per_stack) in [
        ("moved", adds.moved),
        ("removed", adds.removed),
        ("import", adds.import),
    ] {
        for (stack, blocks) in per_stack {
            if let Some(text) = out.files.get_mut(&format!("{stack}/main.tf.json")) {
                append_blocks(text, key, &blocks);
            }
        }
    }
}
