//! `terrane plan|apply|destroy`: real terraform on stacks of built-in
//! `terraform_data` resources (no provider to install, nothing leaves the machine),
//! with `--backend local`. Skipped where terraform is not installed (fails under CI).

use terrane_core::{App, Backend, Expr, GenericResource, Output, Stack, Variable};

use super::{run, terraform_installed};

/// Target `t`: base <- left, base <- right (independent of each other), right <- top.
/// With `broken`, `right` fails at plan (reads a file that does not exist).
pub(super) fn app(broken: bool) -> App {
    let mut app = App::new();
    app.target("t", "three layers", move |t| {
        let mut base = Stack::new("base");
        base.backend(Backend::s3("acme-state", "t/base.tfstate", "us-east-1"));
        let seed = base.add(
            "seed",
            GenericResource::new("terraform_data").arg("input", "seed-value"),
        );
        let mut left = Stack::new("left");
        left.backend(Backend::s3("acme-state", "t/left.tfstate", "us-east-1"));
        left.add(
            "l",
            GenericResource::new("terraform_data").arg("input", seed.attr::<String>("output")),
        );
        let mut right = Stack::new("right");
        right.backend(Backend::s3("acme-state", "t/right.tfstate", "us-east-1"));
        let input: Expr<String> = if broken {
            Expr::raw("file(\"/nonexistent/terrane-deploy-test\")")
        } else {
            seed.attr::<String>("output")
        };
        let r = right.add(
            "r",
            GenericResource::new("terraform_data").arg("input", input),
        );
        right.output("r_out", Output::new(r.attr::<String>("output")));
        let mut top = Stack::new("top");
        top.backend(Backend::s3("acme-state", "t/top.tfstate", "us-east-1"));
        top.add(
            "t",
            GenericResource::new("terraform_data").arg("input", r.attr::<String>("output")),
        );
        t.add_stack(base);
        t.add_stack(left);
        t.add_stack(right);
        t.add_stack(top);
    });
    app
}

/// Runs a deploy command on target `t` in `out` with local state.
fn deploy(app: &App, command: &str, out: &std::path::Path, extra: &[&str]) -> (u8, String, String) {
    let out = out.to_str().unwrap();
    let mut args = vec![command, "t", "--out", out, "--backend", "local", "--plain"];
    args.extend_from_slice(extra);
    run(app, &args)
}

/// Seconds after the start at which `[t/<stack>]` printed `what` (`started`, `applied`...).
fn at(log: &str, stack: &str, what: &str) -> f64 {
    let prefix = format!("[t/{stack}] {what} at +");
    let line = log
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{log}"));
    line.trim_end_matches('s').parse().unwrap()
}

/// The summary table: the lines from its header on.
fn summary(log: &str) -> String {
    let start = log
        .find("stack ")
        .unwrap_or_else(|| panic!("no summary in:\n{log}"));
    log[start..].to_string()
}

/// The table with its cells joined by one space and times (`12.3s`) replaced by `T`:
/// the time column's width varies with the times (alignment is tested in summary.rs).
fn untimed(table: &str) -> String {
    let time = |w: &str| w.ends_with('s') && w[..w.len() - 1].parse::<f64>().is_ok();
    table
        .lines()
        .map(|l| {
            l.split_whitespace()
                .map(|w| if time(w) { "T" } else { w })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn plan_before_anything_is_applied_plans_producers_and_consumers_wait() {
    if !terraform_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = deploy(&app(false), "plan", dir.path(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("[t/base] Terraform will perform the following actions:"),
        "{out}"
    );
    assert!(out.contains("[t/left] waits for base\n"), "{out}");
    assert_eq!(
        untimed(&summary(&out)),
        "stack add change destroy time result\n\
         t/base 1 0 0 T planned\n\
         t/left - - - - waits for base\n\
         t/right - - - - waits for base\n\
         t/top - - - - waits for right"
    );
    // nothing applied: no state written
    assert!(!dir.path().join("t/.state/base.tfstate").exists());
}

#[test]
fn apply_runs_independent_stacks_at_once_and_destroy_undoes_it() {
    if !terraform_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let app = app(false);
    // each job sleeps a second first, so two stacks at once overlap measurably
    let slow = ["--auto-approve", "--prepare", "sleep 1"];
    let (code, out, err) = deploy(&app, "apply", dir.path(), &slow);
    assert_eq!(code, 0, "{out}{err}");
    let (l0, l1) = (at(&out, "left", "started"), at(&out, "left", "applied"));
    let (r0, r1) = (at(&out, "right", "started"), at(&out, "right", "applied"));
    assert!(
        l0 < r1 && r0 < l1,
        "left [{l0}, {l1}] and right [{r0}, {r1}] overlap:\n{out}"
    );
    assert!(at(&out, "base", "applied") <= l0.min(r0));
    assert!(at(&out, "right", "applied") <= at(&out, "top", "started"));
    assert!(
        out.contains("progress: 1/4 done, 2 running (left, right), 1 waiting, "),
        "{out}"
    );
    assert!(
        out.contains("progress: 4/4 done, 0 running, 0 waiting, "),
        "{out}"
    );
    assert!(
        out.contains("[t/top] Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    assert_eq!(
        untimed(&summary(&out)),
        "stack add change destroy time result\n\
         t/base 1 0 0 T applied\n\
         t/left 1 0 0 T applied\n\
         t/right 1 0 0 T applied\n\
         t/top 1 0 0 T applied"
    );
    let state: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("t/.state/right.tfstate")).unwrap(),
    )
    .unwrap();
    assert_eq!(state["outputs"]["r_out"]["value"], "seed-value");
    // the next synth keeps the state; a second apply has nothing to do
    let (code, out, err) = deploy(&app, "plan", dir.path(), &["--stack", "top"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        untimed(&summary(&out)),
        "stack add change destroy time result\n\
         t/top 0 0 0 T planned"
    );
    let (code, out, err) = deploy(&app, "destroy", dir.path(), &["--auto-approve"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        at(&out, "top", "destroyed") <= at(&out, "right", "started"),
        "{out}"
    );
    assert!(
        at(&out, "right", "destroyed").max(at(&out, "left", "destroyed"))
            <= at(&out, "base", "started")
    );
    assert_eq!(
        untimed(&summary(&out)),
        "stack add change destroy time result\n\
         t/base 0 0 1 T destroyed\n\
         t/left 0 0 1 T destroyed\n\
         t/right 0 0 1 T destroyed\n\
         t/top 0 0 1 T destroyed"
    );
}

#[test]
fn a_failed_stack_stops_its_dependents() {
    if !terraform_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = deploy(&app(true), "apply", dir.path(), &["--auto-approve"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("[t/right] FAILED at +"), "{out}");
    assert!(out.contains("Error: Invalid function argument"), "{out}");
    assert!(out.contains("[t/top] skipped: right failed\n"), "{out}");
    assert_eq!(
        untimed(&summary(&out)),
        "stack add change destroy time result\n\
         t/base 1 0 0 T applied\n\
         t/left 1 0 0 T applied\n\
         t/right - - - T FAILED\n\
         t/top - - - - skipped (right failed)"
    );
}

#[test]
fn apply_of_a_stack_whose_producer_was_never_applied_is_refused() {
    if !terraform_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = deploy(
        &app(false),
        "apply",
        dir.path(),
        &["--auto-approve", "--stack", "top"],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        err,
        "error: top reads t/right, which was never applied: apply it first (or add --stack right)\n"
    );
    assert!(!dir.path().join("t/.state/top.tfstate").exists());
    // plan does not refuse: the stack waits
    let (code, out, err) = deploy(&app(false), "plan", dir.path(), &["--stack", "top"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("[t/right] never applied at +"), "{out}");
    assert!(
        out.contains("progress: 1/1 done, 0 running, 0 waiting, "),
        "{out}"
    );
    assert_eq!(
        untimed(&summary(&out)),
        "stack add change destroy time result\nt/top - - - - waits for right"
    );
}

#[test]
fn secrets_supplied_at_apply_are_required_up_front() {
    let mut app = App::new();
    app.target("t", "one secret", |t| {
        let mut s = Stack::new("app");
        let token = s.variable(
            "terrane_deploy_test_token",
            Variable::<String>::new().sensitive().supplied_at_apply(),
        );
        s.add(
            "d",
            GenericResource::new("terraform_data").arg("input", token),
        );
        t.add_stack(s);
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = deploy(&app, "plan", dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        err,
        "error: variables supplied at apply have no value: set them in the environment first\n  \
         t/app: TF_VAR_terrane_deploy_test_token\n"
    );
}

#[test]
fn unknown_stack_and_unattended_apply_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = deploy(&app(false), "plan", dir.path(), &["--stack", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: target t has no stack `nope` (its stacks: base, left, right, top)\n"
    );
    let (code, _, err) = deploy(&app(false), "apply", dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: apply asks before changing each stack: pass --auto-approve when input is not a terminal\n"
    );
}
