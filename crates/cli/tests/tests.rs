//! Command-line behaviour: exit codes, messages, atomic output.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use terrane_core::{App, GenericResource, RequiredProvider, Stack, Variable};

mod args;
mod deploy;
mod deploy_k8s;
mod diff;
mod emit;
mod get;
mod schema_provider;
mod terraform;

fn aws() -> RequiredProvider {
    RequiredProvider::new("aws", "hashicorp/aws", "5.100.0")
}

/// An app whose `dev` target fails its checks while `broken` is set.
fn app(broken: Arc<AtomicBool>) -> App {
    let mut app = App::new();
    app.target("dev", "development", move |t| {
        let mut s = Stack::new("main");
        s.add(
            "topic",
            GenericResource::new("aws_sns_topic")
                .provider(aws())
                .arg("name", "dev"),
        );
        if broken.load(Ordering::SeqCst) {
            s.variable("region", Variable::<String>::new());
            s.add(
                "topic",
                GenericResource::new("aws_sns_topic").provider(aws()),
            );
        }
        t.add_stack(s);
    });
    app.target("other", "another target", |t| {
        let mut s = Stack::new("net");
        s.add(
            "vpc",
            GenericResource::new("aws_vpc")
                .provider(aws())
                .arg("cidr_block", "10.0.0.0/16"),
        );
        t.add_stack(s);
    });
    app
}

/// Whether `program args` runs and succeeds; when not, says SKIPPED (a test then
/// returns early), and fails under CI=true, where every tool is required.
fn tool_found(what: &str, program: &str, args: &[&str]) -> bool {
    let found = std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{what} not found (CI=true)"
        );
        println!("SKIPPED: {what} not found");
    }
    found
}

/// False (after saying so) where terraform is not installed; CI requires it.
fn terraform_installed() -> bool {
    tool_found("terraform", "terraform", &["version"])
}

fn run(app: &App, args: &[&str]) -> (u8, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut full = vec!["terrane"];
    full.extend_from_slice(args);
    let code = terrane_cli::run_with(app, full, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn synth_writes_files_and_summarizes() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("out");
    let a = app(Arc::new(AtomicBool::new(false)));
    let (code, out, err) = run(&a, &["synth", "dev", "--out", outdir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("dev: 1 stacks, 2 files -> "), "{out}");
    assert!(
        out.contains("  main/main.tf.json: 1 resources, 0 data sources\n"),
        "{out}"
    );
    assert!(outdir.join("dev/main/main.tf.json").exists());
    assert!(outdir.join("dev/manifest.json").exists());
    assert!(
        !outdir.join("other").exists(),
        "only the named target is written"
    );
}

#[test]
fn failing_checks_exit_1_print_every_problem_and_keep_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("out");
    let broken = Arc::new(AtomicBool::new(false));
    let a = app(broken.clone());
    assert_eq!(
        run(&a, &["synth", "dev", "--out", outdir.to_str().unwrap()]).0,
        0
    );
    let before = std::fs::read_to_string(outdir.join("dev/main/main.tf.json")).unwrap();
    broken.store(true, Ordering::SeqCst);
    let (code, _out, err) = run(&a, &["synth", "dev", "--out", outdir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: [dev/main] aws_sns_topic.topic: address is declared more than once in this stack\n\
         error: [dev/main] var.region: variable has no default and target `dev` sets no value; give it a default, set it with Stack::set_variable, or mark it supplied_at_apply\n\
         2 problems found; nothing was written\n"
    );
    let after = std::fs::read_to_string(outdir.join("dev/main/main.tf.json")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn one_failing_target_stops_all_writes() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("out");
    let a = app(Arc::new(AtomicBool::new(true)));
    let (code, _, _) = run(&a, &["synth", "--all", "--out", outdir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        !outdir.join("other").exists(),
        "a valid target is not written when another fails"
    );
}

#[test]
fn usage_errors_exit_2() {
    let a = app(Arc::new(AtomicBool::new(false)));
    let (code, _, err) = run(&a, &["synth", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: unknown target `nope`\nknown targets: dev, other\n"
    );
    let (code, _, err) = run(&a, &["synth"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: name at least one target, or pass --all"),
        "{err}"
    );
    let (code, _, err) = run(&a, &["frobnicate"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unrecognized subcommand 'frobnicate'"),
        "{err}"
    );
    let (code, _, _) = run(&a, &["synth", "dev", "--all"]);
    assert_eq!(code, 2);
}

#[test]
fn help_and_version_exit_0() {
    let a = app(Arc::new(AtomicBool::new(false)));
    let (code, out, _) = run(&a, &["--help"]);
    assert_eq!(code, 0);
    for cmd in ["synth", "list", "diff", "validate"] {
        assert!(out.contains(cmd), "{out}");
    }
    let (code, out, _) = run(&a, &["synth", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--out <OUT>"), "{out}");
    let (code, out, _) = run(&a, &["--version"]);
    assert_eq!(code, 0);
    assert_eq!(out, format!("terrane {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn list_shows_targets_and_stack_order() {
    let a = app(Arc::new(AtomicBool::new(false)));
    let (code, out, _) = run(&a, &["list"]);
    assert_eq!(code, 0);
    assert_eq!(out, "dev    development\nother  another target\n");
    let (code, out, _) = run(&a, &["list", "--stacks"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "dev    development\n         1. main\nother  another target\n         1. net\n"
    );
}

#[test]
fn validate_writes_nothing() {
    let a = app(Arc::new(AtomicBool::new(false)));
    let (code, out, _) = run(&a, &["validate", "--all"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "dev: ok (1 stacks, 2 files)\nother: ok (1 stacks, 2 files)\n"
    );
}

#[test]
fn diff_files_shows_text_changes_against_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("out");
    let o = outdir.to_str().unwrap();
    let a = app(Arc::new(AtomicBool::new(false)));
    let (code, out, _) = run(&a, &["diff", "dev", "--out", o, "--files"]);
    assert_eq!(code, 0);
    assert!(out.contains("added: dev/main/main.tf.json"), "{out}");
    run(&a, &["synth", "dev", "--out", o]);
    let (code, out, _) = run(&a, &["diff", "dev", "--out", o, "--files", "--exit-code"]);
    assert_eq!((code, out.as_str()), (0, "no changes\n"));
    let f = outdir.join("dev/main/main.tf.json");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("\"dev\"", "\"old\"");
    std::fs::write(&f, text).unwrap();
    std::fs::write(outdir.join("dev/stale.json"), "{}").unwrap();
    let (code, out, _) = run(&a, &["diff", "dev", "--out", o, "--files", "--exit-code"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("-        \"name\": \"old\"\n+        \"name\": \"dev\"\n"),
        "{out}"
    );
    assert!(out.contains("removed: dev/stale.json"), "{out}");
}
