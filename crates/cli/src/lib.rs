//! The terrane command line, usable as a library: a project's own `main.rs` is
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     let app = terrane_core::App::new(); // register targets here
//!     terrane_cli::run(app)
//! }
//! ```
//!
//! Commands: `synth` (`--emit atlantis|flux`), `list`, `diff`, `validate`
//! (`--terraform`: real terraform init, validate and plan on every stack), and
//! `plan`, `apply`, `destroy` of a target's stacks in dependency order, and `get` (a typed
//! crate for any provider, from its schema or its cdktf package). Exit
//! status 0 on success, 1 when checks fail (every problem is printed), a diff is
//! found with `--exit-code` or a stack fails, 2 on usage errors.

/// The README's example compiles (checked by `cargo test --doc`).
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use terrane_core::{App, Error, Synthesized};

mod deploy;
mod diff;
mod emit;
mod get;
mod terraform;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "terrane",
    version,
    about = "Typed infrastructure as code: synthesizes Terraform JSON and Kubernetes manifests",
    long_about = "terrane builds the targets of a stack program and writes them as Terraform JSON \
(out/<target>/<stack>/main.tf.json) and Kubernetes manifests (out/<target>/k8s/). \
Every problem is reported before anything is written, and output is replaced atomically."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check and write targets to the output folder.
    Synth(SynthArgs),
    /// List the targets, their stacks and the order they are applied in.
    List(ListArgs),
    /// Show what would change in the output of targets, by address (created,
    /// destroyed, updated, moved, replaced), without writing.
    Diff(diff::DiffArgs),
    /// Run every check on targets without writing anything; with `--terraform`,
    /// also run terraform init, validate and plan on every stack.
    Validate(ValidateArgs),
    /// Plan every stack of a target in dependency order (a consumer whose producer
    /// was never applied waits).
    Plan(deploy::DeployArgs),
    /// Apply a target: its stacks in dependency order, independent ones at once,
    /// then its Kubernetes overlay.
    Apply(deploy::DeployArgs),
    /// Destroy a target: its Kubernetes overlay, then its stacks in reverse order.
    Destroy(deploy::DeployArgs),
    /// Generate a typed crate for any Terraform provider, from `terraform providers
    /// schema -json` output or its prebuilt CDK for Terraform package.
    Get(get::GetArgs),
}

#[derive(Debug, Args)]
pub(crate) struct SelectArgs {
    /// Targets to build (see `terrane list`).
    targets: Vec<String>,
    /// Build every target.
    #[arg(long, conflicts_with = "targets")]
    all: bool,
}

#[derive(Debug, Args)]
struct ValidateArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Also run terraform init, validate and plan on every stack, offline (the real
    /// provider where the mirror has it, terrane-schema-provider otherwise).
    #[arg(long)]
    terraform: bool,
    #[command(flatten)]
    terraform_args: terraform::TerraformArgs,
}

#[derive(Debug, Args)]
struct SynthArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Output folder.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Print nothing on success.
    #[arg(long, short)]
    quiet: bool,
    /// For a stateful resource moved to another stack, write a `removed` block
    /// (lifecycle destroy = false) in the old stack and an `import` in the new one.
    #[arg(long)]
    move_across_stacks: bool,
    #[command(flatten)]
    emit: emit::EmitArgs,
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Also build each target and show its stacks in apply order.
    #[arg(long, short)]
    stacks: bool,
}

/// Parses `std::env::args` and runs the command against `app`.
pub fn run(app: App) -> ExitCode {
    let code = run_with(
        &app,
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}

/// Runs with explicit arguments and streams; returns the exit status. Used by
/// `run` and by tests.
pub fn run_with<I, T>(app: &App, args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = e.render().to_string();
            if code == 0 {
                let _ = write!(out, "{text}");
            } else {
                let _ = write!(err, "{text}");
            }
            return code;
        }
    };
    match cli.command {
        Command::Synth(a) => synth(app, a, out, err),
        Command::List(a) => list(app, a, out, err),
        Command::Diff(a) => diff::run(app, a, out, err),
        Command::Validate(a) => validate(app, a, out, err),
        Command::Plan(a) => deploy::run(app, deploy::Action::Plan, a, out, err),
        Command::Apply(a) => deploy::run(app, deploy::Action::Apply, a, out, err),
        Command::Destroy(a) => deploy::run(app, deploy::Action::Destroy, a, out, err),
        Command::Get(a) => get::run(a, out, err),
    }
}

pub(crate) fn selected(app: &App, s: &SelectArgs, err: &mut dyn Write) -> Result<Vec<String>, u8> {
    let known: Vec<String> = app.targets().into_iter().map(|t| t.name).collect();
    if s.all {
        return Ok(known);
    }
    if s.targets.is_empty() {
        let _ = writeln!(
            err,
            "error: name at least one target, or pass --all\nknown targets: {}",
            known.join(", ")
        );
        return Err(2);
    }
    let mut seen = BTreeSet::new();
    let mut names = Vec::new();
    for t in &s.targets {
        if !known.contains(t) {
            let _ = writeln!(
                err,
                "error: unknown target `{t}`\nknown targets: {}",
                known.join(", ")
            );
            return Err(2);
        }
        if seen.insert(t.clone()) {
            names.push(t.clone());
        }
    }
    Ok(names)
}

/// Prints the warnings of synthesized targets: they do not stop the command.
pub(crate) fn print_warnings(targets: &[Synthesized], err: &mut dyn Write) {
    for w in targets.iter().flat_map(|t| &t.warnings) {
        let _ = writeln!(err, "{w}");
    }
}

pub(crate) fn report(e: Error, err: &mut dyn Write) -> u8 {
    match e {
        Error::Checks(d) => {
            let _ = writeln!(err, "{d}");
            1
        }
        Error::UnknownTarget { .. } => {
            let _ = writeln!(err, "error: {e}");
            2
        }
        other => {
            let _ = writeln!(err, "error: {other}");
            1
        }
    }
}

fn synth(app: &App, a: SynthArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let names = match selected(app, &a.select, err) {
        Ok(n) => n,
        Err(c) => return c,
    };
    let start = Instant::now();
    // The previous output is the baseline of the refactor guard: read before the
    // new one replaces it.
    let guard = terrane_core::refactor::GuardOptions {
        move_across_stacks: a.move_across_stacks,
    };
    let targets = match app.synth_against(&names, &a.out, guard) {
        Ok(t) => t,
        Err(e) => return report(e, err),
    };
    print_warnings(&targets, err);
    if let Err(e) = terrane_core::write_targets(&a.out, &targets) {
        return report(e, err);
    }
    let shown: &mut dyn Write = if a.quiet { &mut std::io::sink() } else { out };
    if let Err(e) = emit::write(&a.out, &names, &a.emit, shown) {
        let _ = writeln!(err, "error: {e}");
        return 1;
    }
    if !a.quiet {
        for t in &targets {
            let _ = writeln!(out, "{}", summary_line(t, &a.out));
            for s in &t.stacks {
                let deps = if s.depends_on.is_empty() {
                    String::new()
                } else {
                    format!(" (after {})", s.depends_on.join(", "))
                };
                let _ = writeln!(
                    out,
                    "  {}/main.tf.json: {} resources, {} data sources{deps}",
                    s.name, s.resources, s.data_sources
                );
            }
            let extra: BTreeSet<&str> = t
                .files
                .keys()
                .filter(|p| {
                    !p.ends_with("main.tf.json")
                        && !p.ends_with("versions.tf.json")
                        && !p.ends_with(".tfvars.json")
                        && *p != "manifest.json"
                })
                .filter_map(|p| p.split('/').next())
                .collect();
            for d in extra {
                let n = t
                    .files
                    .keys()
                    .filter(|p| p.starts_with(&format!("{d}/")))
                    .count();
                let _ = writeln!(out, "  {d}/: {n} files");
            }
        }
        let _ = writeln!(
            out,
            "done in {:.0} ms",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
    0
}

fn summary_line(t: &Synthesized, out_dir: &Path) -> String {
    format!(
        "{}: {} stacks, {} files -> {}",
        t.target,
        t.stacks.len(),
        t.files.len(),
        out_dir.join(&t.target).display()
    )
}

fn list(app: &App, a: ListArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let targets = app.targets();
    let width = targets.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in &targets {
        let _ = writeln!(out, "{:width$}  {}", t.name, t.description);
        if a.stacks {
            match app.synth(&t.name) {
                Ok(s) => {
                    for (i, st) in s.stacks.iter().enumerate() {
                        let deps = if st.depends_on.is_empty() {
                            String::new()
                        } else {
                            format!(" <- {}", st.depends_on.join(", "))
                        };
                        let _ = writeln!(out, "{:width$}    {}. {}{deps}", "", i + 1, st.name);
                    }
                }
                Err(e) => return report(e, err),
            }
        }
    }
    0
}

fn validate(app: &App, a: ValidateArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let names = match selected(app, &a.select, err) {
        Ok(n) => n,
        Err(c) => return c,
    };
    if a.terraform {
        return terraform::validate(app, &names, a.select.all, &a.terraform_args, out, err);
    }
    match app.synth_many(&names) {
        Ok(ts) => {
            print_warnings(&ts, err);
            for t in ts {
                let _ = writeln!(
                    out,
                    "{}: ok ({} stacks, {} files)",
                    t.target,
                    t.stacks.len(),
                    t.files.len()
                );
            }
            0
        }
        Err(e) => report(e, err),
    }
}
