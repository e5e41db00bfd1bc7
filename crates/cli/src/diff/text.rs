//! The text format of `terrane diff`: per target and stack, one line per change
//! with its changed arguments below, colored on a terminal.

use std::io::{self, Write};

use terrane_core::refactor::{Action, Change, TargetDiff};

use super::{move_note, value_text};

/// ANSI colors per action; empty when color is off.
struct Palette {
    on: bool,
}

impl Palette {
    fn paint(&self, action: Action, text: &str) -> String {
        if !self.on {
            return text.to_string();
        }
        let code = match action {
            Action::Create => "32",
            Action::Destroy => "31",
            Action::Update => "33",
            Action::Move => "36",
            Action::Replace => "1;35",
            Action::Forget => "34",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

fn sign(action: Action) -> &'static str {
    match action {
        Action::Create => "+",
        Action::Destroy => "-",
        Action::Update => "~",
        Action::Move => ">",
        Action::Replace => "-/+",
        Action::Forget => "x",
    }
}

/// Prints every target's diff.
pub(crate) fn print(diffs: &[TargetDiff], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let palette = Palette { on: color };
    for d in diffs {
        if d.is_empty() {
            writeln!(out, "{}: no changes", d.target)?;
            continue;
        }
        let baseline = if d.has_baseline {
            ""
        } else {
            " (no previous output: everything is new)"
        };
        writeln!(
            out,
            "{}: {} changes{baseline}",
            d.target,
            d.changes.len() + d.outputs.len()
        )?;
        let mut stack = None;
        for c in &d.changes {
            if stack != Some(&c.stack) {
                writeln!(out, "  {}", c.stack)?;
                stack = Some(&c.stack);
            }
            change(c, &palette, out)?;
        }
        for o in &d.outputs {
            let (s, what) = if o.added {
                ("+", "added")
            } else {
                ("-", "removed")
            };
            writeln!(out, "  {s} output {}.{} {what}", o.stack, o.name)?;
        }
    }
    Ok(())
}

fn change(c: &Change, palette: &Palette, out: &mut dyn Write) -> io::Result<()> {
    let head = format!("{} {} {}", sign(c.action), c.address, c.action);
    let from = match &c.moved_from {
        Some((from, kind)) => format!(" from {from} ({})", move_note(kind)),
        None => String::new(),
    };
    let holds = match &c.stateful {
        Some(h) => format!("  [holds data: {h}]"),
        None => String::new(),
    };
    writeln!(out, "    {}{from}{holds}", palette.paint(c.action, &head))?;
    // A create, destroy or forget lists no arguments: the address says it all.
    if matches!(c.action, Action::Create | Action::Destroy | Action::Forget) {
        return Ok(());
    }
    for a in &c.arguments {
        let forces = if a.forces_replacement {
            "  (forces replacement)"
        } else {
            ""
        };
        writeln!(
            out,
            "        {}: {} -> {}{forces}",
            a.path,
            value_text(a.old.as_ref()),
            value_text(a.new.as_ref())
        )?;
    }
    Ok(())
}
