//! `terrane diff`: what would change in each target's output, by address, against a
//! baseline (the previous output in `--out`, or `--against DIR`), as text, markdown
//! (a pull-request comment) or JSON; `--files` shows the file-level text diff.

mod files;
mod json;
mod markdown;
mod text;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use terrane_core::refactor::{diff_target, read_baseline, DiffContext, TargetDiff, TargetModel};
use terrane_core::{App, Synthesized};

use crate::{print_warnings, report, selected, SelectArgs};

/// Arguments of `terrane diff`.
#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Output folder whose previous output is the baseline.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Compare with the targets in this folder instead (`DIR/<target>/`), such as a
    /// checkout of the main branch's output.
    #[arg(long, value_name = "DIR")]
    against: Option<PathBuf>,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Color the text format: `auto` colors on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Show the text diff of every file instead (tfvars, manifest.json included).
    #[arg(long, conflicts_with = "format")]
    files: bool,
    /// Exit with status 1 when there is a difference.
    #[arg(long)]
    exit_code: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For a terminal.
    Text,
    /// One table per stack, stateful changes first: a pull-request comment.
    Markdown,
    /// For tools: every change with address, action, stateful and arguments.
    Json,
}

/// When the text format is colored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl Color {
    fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// Runs `terrane diff`.
pub(crate) fn run(app: &App, a: DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let names = match selected(app, &a.select, err) {
        Ok(n) => n,
        Err(c) => return c,
    };
    // The plain synth, without the guard: a change the guard would refuse is
    // exactly what the diff must show.
    let targets = match app.synth_many(&names) {
        Ok(t) => t,
        Err(e) => return report(e, err),
    };
    print_warnings(&targets, err);
    let base = a.against.clone().unwrap_or_else(|| a.out.clone());
    if a.files {
        let changed = files::print(&targets, &base, out);
        return exit_status(changed, a.exit_code);
    }
    let diffs = match semantic(app, &targets, &base) {
        Ok(d) => d,
        Err(e) => return report(e, err),
    };
    let written = match a.format {
        Format::Text => text::print(&diffs, a.color.enabled(), out),
        Format::Markdown => markdown::print(&diffs, out),
        Format::Json => json::print(&diffs, out),
    };
    if let Err(e) = written {
        let _ = writeln!(err, "error: writing the diff: {e}");
        return 1;
    }
    exit_status(diffs.iter().any(|d| !d.is_empty()), a.exit_code)
}

fn exit_status(changed: bool, exit_code: bool) -> u8 {
    u8::from(changed && exit_code)
}

/// Each target's diff against its baseline under `base`; a target without one is
/// compared with nothing (everything is created).
fn semantic(
    app: &App,
    targets: &[Synthesized],
    base: &std::path::Path,
) -> terrane_core::Result<Vec<TargetDiff>> {
    let cx = DiffContext {
        table: app.stateful_table(),
        schemas: app.schema_set(),
    };
    let mut diffs = Vec::new();
    for t in targets {
        let old = read_baseline(&base.join(&t.target))?;
        let new = TargetModel::parse(&t.files).map_err(|e| {
            terrane_core::Error::Checks(terrane_core::Diagnostics(vec![
                terrane_core::Diagnostic::new(e).target(&t.target),
            ]))
        })?;
        let has_baseline = old.is_some();
        let mut d = diff_target(&t.target, &old.unwrap_or_default(), &new, &cx);
        d.has_baseline = has_baseline;
        diffs.push(d);
    }
    Ok(diffs)
}

/// How a move reaches its new address, in words.
pub(crate) fn move_note(kind: &terrane_core::refactor::MoveKind) -> String {
    use terrane_core::refactor::MoveKind;
    match kind {
        MoveKind::Declared => "moved block in the program".to_string(),
        MoveKind::SameStack => "moved block written at synth".to_string(),
        MoveKind::AcrossStacks { from_stack } => {
            format!("from stack {from_stack}: needs removed + import (synth --move-across-stacks)")
        }
    }
}

/// A JSON value as one line, for text and markdown.
pub(crate) fn value_text(v: Option<&serde_json::Value>) -> String {
    match v {
        None => "(unset)".to_string(),
        Some(v) => v.to_string(),
    }
}
