//! `terrane plan|apply|destroy TARGET`: the target's stacks through terraform in
//! dependency order, independent stacks at once, with a progress line and a summary
//! table, then the Kubernetes overlay for targets that have one.
//!
//! - [`graph`]: the stack graph from `manifest.json`;
//! - [`scheduler`]: who runs when, skipping the dependents of a failure;
//! - [`runner`]: terraform in one stack's working copy;
//! - [`backend`]: working copies, `--backend local`, secrets supplied at apply;
//! - [`progress`] and [`summary`]: what the user sees;
//! - [`k8s`]: outputs fetch, `kubectl apply -k`, rollouts.

mod backend;
pub mod graph;
mod k8s;
mod progress;
mod runner;
pub mod scheduler;
mod summary;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use clap::{Args, ValueEnum};
use terrane_core::App;

use graph::Graph;
use progress::Progress;
use runner::Runner;
use scheduler::{schedule, Event, Outcome, Status};

/// What a deploy command does to each stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `terraform plan`, nothing changed.
    Plan,
    /// plan, then apply of that plan.
    Apply,
    /// destroy plan, then apply of it; consumers before producers.
    Destroy,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::Plan => "plan",
            Action::Apply => "apply",
            Action::Destroy => "destroy",
        }
    }
}

/// Where stacks keep their state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// Local state under `out/<target>/.state/` (and remote-state reads from it).
    Local,
}

/// Options of `plan`, `apply` and `destroy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The target (see `terrane list`).
    pub target: String,
    /// Only these stacks (repeat the option); `apply` refuses when one of their
    /// producers was never applied.
    #[arg(long = "stack", value_name = "NAME")]
    pub stacks: Vec<String>,
    /// How many stacks run at once.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
    pub parallelism: u16,
    /// Apply (or destroy) without asking for each stack.
    #[arg(long)]
    pub auto_approve: bool,
    /// `local`: keep state under out/<target>/.state/ instead of the program's
    /// backends (to try a target with no state bucket). Default: the program's.
    #[arg(long, value_enum)]
    pub backend: Option<Backend>,
    /// Use the files already in the output folder instead of synthesizing.
    #[arg(long)]
    pub no_synth: bool,
    /// Skip the Kubernetes step (outputs fetch, kubectl apply -k, rollouts).
    #[arg(long)]
    pub no_k8s: bool,
    /// The Kubernetes overlay to apply (default: the only one).
    #[arg(long, value_name = "NAME")]
    pub overlay: Option<String>,
    /// The terraform binary, e.g. `tofu` (default: $TERRANE_TERRAFORM, else terraform).
    #[arg(long, value_name = "BIN")]
    pub terraform: Option<String>,
    /// The kubectl binary (default: $TERRANE_KUBECTL, else kubectl).
    #[arg(long, value_name = "BIN")]
    pub kubectl: Option<String>,
    /// The kubeconfig context of the target's cluster (default: kubectl's current one).
    #[arg(long, value_name = "NAME")]
    pub kube_context: Option<String>,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// A shell command run in each stack's working copy before `terraform init`
    /// (env: TERRANE_STACK_DIR, TERRANE_TARGET, TERRANE_STACK); for test set-ups such
    /// as pointing the provider at a local endpoint.
    #[arg(long, value_name = "CMD")]
    pub prepare: Option<String>,
    /// Plain progress lines even on a terminal.
    #[arg(long)]
    pub plain: bool,
}

/// Runs `action` on the target; exit status 1 on any failure, 2 on usage errors.
pub fn run(
    app: &App,
    action: Action,
    a: DeployArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match run_in(app, action, &a, out) {
        Ok(code) => code,
        Err((code, message)) => {
            let _ = writeln!(err, "error: {message}");
            code
        }
    }
}

type Failure = (u8, String);

fn run_in(app: &App, action: Action, a: &DeployArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let target_dir = a.out.join(&a.target);
    if !a.no_synth {
        synth(app, &a.target, &a.out)?;
    }
    let graph = Graph::read(&target_dir).map_err(|e| (1, e))?;
    let selected = preflight(action, a, &target_dir, &graph)?;
    let local = a.backend == Some(Backend::Local);
    let mut dirs = Vec::new();
    for i in 0..graph.nodes.len() {
        dirs.push(backend::prepare(&target_dir, &graph, i, local).map_err(|e| (1, e))?);
    }
    let bin = a
        .terraform
        .clone()
        .or_else(|| std::env::var("TERRANE_TERRAFORM").ok())
        .unwrap_or_else(|| "terraform".into());
    let runner = Runner {
        bin,
        action,
        auto_approve: a.auto_approve,
        prepare: a.prepare.clone(),
        target: graph.target.clone(),
        init_lock: Mutex::new(()),
    };
    let fancy = !a.plain && Progress::fancy_here();
    let mut display = Display {
        graph: &graph,
        progress: Progress::new(fancy, 0),
        fancy,
        start: Instant::now(),
    };
    let k8s_overlay = k8s_overlay(&target_dir, a, &selected)?;
    let kubectl = kubectl(a);
    if let (Action::Destroy, Some(overlay)) = (action, &k8s_overlay) {
        k8s::delete(overlay, &kubectl, out).map_err(|e| (1, e))?;
    }
    let pre = producers_checked(
        &graph,
        &selected,
        action,
        &runner,
        &dirs,
        &mut display,
        a,
        out,
    )?;
    display.restart(pre.iter().filter(|o| o.is_none()).count());
    let outcomes = schedule(
        &graph,
        pre,
        action == Action::Destroy,
        usize::from(a.parallelism),
        |i, tx| runner.run(i, &graph.nodes[i].name, &dirs[i], tx),
        |event, board| display.event(event, board, out),
    );
    display.progress.finish();
    let failed = outcomes
        .iter()
        .flatten()
        .any(|o| matches!(o.status, Status::Failed(_) | Status::Skipped(_)));
    let shown: Vec<Option<Outcome>> = outcomes
        .into_iter()
        .zip(&selected)
        .map(|(o, &s)| o.filter(|_| s))
        .collect();
    let _ = write!(out, "\n{}", summary::table(&graph, &shown));
    if failed {
        return Ok(1);
    }
    if let (Action::Apply, Some(overlay)) = (action, &k8s_overlay) {
        k8s::apply(&target_dir, overlay, &kubectl, &runner.bin, out).map_err(|e| (1, e))?;
        let _ = writeln!(out, "kubernetes: {} applied", overlay.display());
    }
    Ok(0)
}

/// The stacks selected, once the checks that need no terraform pass: known stack
/// names, every variable supplied at apply set, a terminal to ask on (or
/// `--auto-approve`).
fn preflight(
    action: Action,
    a: &DeployArgs,
    target_dir: &Path,
    graph: &Graph,
) -> Result<Vec<bool>, Failure> {
    let selected = selection(graph, &a.stacks)?;
    let missing = backend::missing_secrets(target_dir, graph, &selected);
    if !missing.is_empty() {
        return Err((
            1,
            format!(
                "variables supplied at apply have no value: set them in the environment first\n  {}",
                missing.join("\n  ")
            ),
        ));
    }
    if action != Action::Plan && !a.auto_approve && !stdin_is_terminal() {
        return Err((2, format!("{} asks before changing each stack: pass --auto-approve when input is not a terminal", action.verb())));
    }
    Ok(selected)
}

/// Synthesizes the target into `out_dir`, keeping its `.state/`.
fn synth(app: &App, target: &str, out_dir: &Path) -> Result<(), Failure> {
    let known: Vec<String> = app.targets().into_iter().map(|t| t.name).collect();
    if !known.iter().any(|k| k == target) {
        return Err((
            2,
            format!(
                "unknown target `{target}`\nknown targets: {}",
                known.join(", ")
            ),
        ));
    }
    let synthesized = app.synth(target).map_err(|e| (1, e.to_string()))?;
    // The writer carries `out/<target>/.state/` (local state, working copies) over.
    terrane_core::write_targets(out_dir, std::slice::from_ref(&synthesized))
        .map(|_| ())
        .map_err(|e| (1, e.to_string()))
}

/// Which stacks run: all, or those named with `--stack`.
fn selection(graph: &Graph, names: &[String]) -> Result<Vec<bool>, Failure> {
    if names.is_empty() {
        return Ok(vec![true; graph.nodes.len()]);
    }
    let mut selected = vec![false; graph.nodes.len()];
    for n in names {
        let i = graph.index(n).ok_or_else(|| {
            let all: Vec<&str> = graph.nodes.iter().map(|n| n.name.as_str()).collect();
            (
                2,
                format!(
                    "target {} has no stack `{n}` (its stacks: {})",
                    graph.target,
                    all.join(", ")
                ),
            )
        })?;
        selected[i] = true;
    }
    Ok(selected)
}

/// The kubectl of `--kubectl`, `$TERRANE_KUBECTL` or `kubectl`, with `--kube-context`.
fn kubectl(a: &DeployArgs) -> k8s::Kubectl {
    k8s::Kubectl {
        bin: a
            .kubectl
            .clone()
            .or_else(|| std::env::var("TERRANE_KUBECTL").ok())
            .unwrap_or_else(|| "kubectl".into()),
        context: a.kube_context.clone(),
    }
}

/// The overlay to apply or delete, when the Kubernetes step runs: the target has
/// `k8s/`, `--no-k8s` is not given and every stack is selected.
fn k8s_overlay(
    target_dir: &Path,
    a: &DeployArgs,
    selected: &[bool],
) -> Result<Option<PathBuf>, Failure> {
    if a.no_k8s || !target_dir.join("k8s").is_dir() || selected.iter().any(|s| !s) {
        return Ok(None);
    }
    k8s::overlay(target_dir, a.overlay.as_deref())
        .map(Some)
        .map_err(|e| (2, e))
}

/// The outcomes known before the run: stacks not selected are left out, except the
/// producers of selected stacks (for plan and apply), whose outputs are looked for;
/// `apply` refuses to run a stack whose producer was never applied.
#[allow(clippy::too_many_arguments)]
fn producers_checked(
    graph: &Graph,
    selected: &[bool],
    action: Action,
    runner: &Runner,
    dirs: &[PathBuf],
    display: &mut Display,
    a: &DeployArgs,
    out: &mut dyn Write,
) -> Result<Vec<Option<Outcome>>, Failure> {
    let not_selected = || Outcome {
        status: Status::Ok("not selected".into()),
        ready: true,
        counts: None,
        elapsed: None,
    };
    let to_check: Vec<usize> = (0..graph.nodes.len())
        .filter(|&p| {
            action != Action::Destroy
                && !selected[p]
                && (0..graph.nodes.len())
                    .any(|c| selected[c] && graph.nodes[c].producers.contains(&p))
        })
        .collect();
    let pre: Vec<Option<Outcome>> = (0..graph.nodes.len())
        .map(|i| (!to_check.contains(&i)).then(not_selected))
        .collect();
    if to_check.is_empty() {
        return Ok((0..graph.nodes.len())
            .map(|i| (!selected[i]).then(not_selected))
            .collect());
    }
    display.restart(to_check.len());
    let checked = schedule(
        graph,
        pre,
        false,
        usize::from(a.parallelism),
        |i, tx| runner.check_applied(i, &graph.nodes[i].name, &dirs[i], tx),
        |event, board| display.event(event, board, out),
    );
    let mut refused = Vec::new();
    for &p in &to_check {
        match checked[p].as_ref().map(|o| &o.status) {
            Some(Status::Failed(why)) => {
                return Err((
                    1,
                    format!("{}/{}: {why}", graph.target, graph.nodes[p].name),
                ))
            }
            Some(_) if action == Action::Apply && !checked[p].as_ref().is_some_and(|o| o.ready) => {
                refused.push(never_applied(graph, selected, p));
            }
            _ => {}
        }
    }
    if !refused.is_empty() {
        return Err((1, refused.join("\n")));
    }
    Ok(checked
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            if selected[i] {
                None
            } else {
                o.or_else(|| Some(not_selected()))
            }
        })
        .collect())
}

/// Why `apply` refuses: the selected stacks reading producer `p` never applied.
fn never_applied(graph: &Graph, selected: &[bool], p: usize) -> String {
    let consumers: Vec<&str> = graph
        .consumers(p)
        .into_iter()
        .filter(|&c| selected[c])
        .map(|c| graph.nodes[c].name.as_str())
        .collect();
    let producer = &graph.nodes[p].name;
    format!(
        "{} reads {}/{producer}, which was never applied: apply it first (or add --stack {producer})",
        consumers.join(", "),
        graph.target,
    )
}

/// Prints events: each line of a stack's output with its `[target/stack]` prefix,
/// start and end with the time since the run began.
struct Display<'a> {
    graph: &'a Graph,
    progress: Progress,
    fancy: bool,
    start: Instant,
}

impl Display<'_> {
    /// A new progress line counting `total` stacks (the check of the producers not
    /// selected, then the run).
    fn restart(&mut self, total: usize) {
        self.progress.finish();
        self.progress = Progress::new(self.fancy, total);
    }

    fn event(&self, event: &Event, board: &scheduler::Board, out: &mut dyn Write) {
        let at = format!("+{:.1}s", self.start.elapsed().as_secs_f64());
        let prefix = |i: &usize| format!("[{}/{}]", self.graph.target, self.graph.nodes[*i].name);
        match event {
            Event::Started(i) => {
                self.progress
                    .print(out, &format!("{} started at {at}", prefix(i)));
                self.progress.update(board, out);
            }
            Event::Line(i, line) => self.progress.print(out, &format!("{} {line}", prefix(i))),
            Event::Confirm(i, question, reply) => {
                self.progress
                    .print(out, &format!("{} {question}? [y/N]", prefix(i)));
                let mut answer = String::new();
                let _ = std::io::stdin().lock().read_line(&mut answer);
                let _ = reply.send(matches!(answer.trim(), "y" | "yes"));
            }
            Event::Finished(i, o) => {
                let text = match &o.status {
                    Status::Ok(verb) => format!("{verb} at {at}"),
                    Status::Waits(why) => why.clone(),
                    Status::Skipped(why) => format!("skipped: {why}"),
                    Status::Failed(why) => format!("FAILED at {at}: {}", why.trim_end()),
                };
                self.progress.print(out, &format!("{} {text}", prefix(i)));
                self.progress.update(board, out);
            }
        }
    }
}

fn stdin_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
}
