//! Argument handling under arbitrary input (proptest): any argument list gives an
//! exit code and a message, never a panic. Only commands without side effects are
//! drawn (no `synth`, no `--terraform`), so nothing is written or run.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use proptest::prelude::*;

use super::{app, run};

/// One argument: a word the CLI knows, or any text.
fn argument() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "list",
        "diff",
        "validate",
        "dev",
        "other",
        "nope",
        "--all",
        "--help",
        "-h",
        "--version",
        "--",
        "-",
        "--target",
        "=",
        "--all=true",
    ])
    .prop_map(String::from);
    prop_oneof![known, "\\PC{0,12}"].prop_filter("no side effects", |a| {
        ![
            "synth",
            "deploy",
            "terraform",
            "--out",
            "--from",
            "--t",
            "--o",
            "--f",
        ]
        .iter()
        .any(|w| a.contains(w))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64)
    ))]
    #[test]
    fn any_arguments_give_an_exit_code(first in prop::sample::select(vec!["list", "diff", "validate", "help", "x"]), rest in prop::collection::vec(argument(), 0..5)) {
        let a = app(Arc::new(AtomicBool::new(false)));
        let mut args = vec![first];
        args.extend(rest.iter().map(String::as_str));
        let (code, out, err) = run(&a, &args);
        prop_assert!(code <= 2, "exit {code} for {args:?}\n{out}\n{err}");
        prop_assert!(code == 0 || !err.is_empty() || !out.is_empty(), "silent failure for {args:?}");
    }
}
