//! The markdown format of `terrane diff`: a pull-request comment with one table per
//! stack, stateful changes first.

use std::io::{self, Write};

use terrane_core::refactor::{Action, Change, TargetDiff};

use super::{move_note, value_text};

/// Prints every target's diff as markdown.
pub(crate) fn print(diffs: &[TargetDiff], out: &mut dyn Write) -> io::Result<()> {
    for d in diffs {
        writeln!(out, "### {}\n", d.target)?;
        if d.is_empty() {
            writeln!(out, "No changes.\n")?;
            continue;
        }
        if !d.has_baseline {
            writeln!(out, "No previous output: everything is new.\n")?;
        }
        let stateful = d
            .changes
            .iter()
            .filter(|c| c.is_stateful() && c.action != Action::Update)
            .count();
        if stateful > 0 {
            writeln!(
                out,
                "**{stateful} change(s) to resources that hold data.**\n"
            )?;
        }
        let mut stacks: Vec<&str> = d.changes.iter().map(|c| c.stack.as_str()).collect();
        stacks.dedup();
        for stack in stacks {
            writeln!(out, "#### {stack}\n")?;
            writeln!(out, "| action | address | holds data | changes |")?;
            writeln!(out, "|---|---|---|---|")?;
            for c in d.changes.iter().filter(|c| c.stack == stack) {
                row(c, out)?;
            }
            writeln!(out)?;
        }
        if !d.outputs.is_empty() {
            writeln!(out, "#### outputs\n")?;
            for o in &d.outputs {
                let what = if o.added { "added" } else { "removed" };
                writeln!(out, "- `{}.{}` {what}", o.stack, o.name)?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

fn row(c: &Change, out: &mut dyn Write) -> io::Result<()> {
    let action = if c.is_stateful() && c.action != Action::Update {
        format!("**{}**", c.action)
    } else {
        c.action.to_string()
    };
    let holds = c.stateful.as_deref().unwrap_or("");
    let mut notes = Vec::new();
    if let Some((from, kind)) = &c.moved_from {
        notes.push(format!("from `{from}` ({})", move_note(kind)));
    }
    if !matches!(c.action, Action::Create | Action::Destroy | Action::Forget) {
        for a in &c.arguments {
            let forces = if a.forces_replacement {
                " (forces replacement)"
            } else {
                ""
            };
            notes.push(format!(
                "`{}`: `{}` → `{}`{forces}",
                a.path,
                value_text(a.old.as_ref()),
                value_text(a.new.as_ref())
            ));
        }
    }
    writeln!(
        out,
        "| {action} | `{}` | {} | {} |",
        cell(&c.address),
        cell(holds),
        cell(&notes.join("<br>"))
    )
}

/// Escapes what would end a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
