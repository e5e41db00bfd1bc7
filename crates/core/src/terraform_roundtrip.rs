//! The escaping proof through real terraform: tricky strings as map keys and values
//! of an output, applied with local state (no provider, nothing created), come back
//! from `terraform output -json` exactly as written in Rust, and so does `u64::MAX`.

use std::collections::BTreeMap;
use std::process::Command;

use crate::*;

/// Keys and values that need escaping somewhere: template openers, their escapes,
/// JSON escapes, control and non-ASCII characters.
const TRICKY: &[&str] = &[
    "${path.module}",
    "%{if true}x%{endif}",
    "$${not_interpolated}",
    "%%{",
    "$$${",
    "$",
    "%",
    "${",
    "}",
    "a\"b\\c",
    "line\nbreak\ttab\r",
    "\u{1}\u{1f}\u{7f}",
    "é😀\u{2028}",
    "",
    " ",
    "{}",
    "${}",
];

/// False (after saying so) where terraform is not installed; CI requires it.
fn terraform_installed() -> bool {
    let found = Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "terraform not found, and CI=true requires it"
        );
        println!("SKIPPED: terraform not found");
    }
    found
}

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .unwrap_or_else(|e| panic!("terraform {args:?}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "terraform {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn tricky_keys_and_values_come_back_from_terraform_unchanged() {
    if !terraform_installed() {
        return;
    }
    let map: BTreeMap<String, String> = TRICKY
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("{s}#{i}"), s.to_string()))
        .collect();
    let expected = map.clone();
    // The same strings as literals inside an expression (`join("", ["..."])`),
    // where they are written as quoted HCL strings rather than JSON templates.
    let in_expr = Tree::Object(
        map.iter()
            .map(|(k, v)| {
                let lit = Expr::<String>::from_node(Node::Str(v.clone()));
                let list = Expr::<List<String>>::from_node(Node::List(vec![lit.node_arc()]));
                (
                    k.clone().into(),
                    Tree::Expr(func::join("", list).node_arc()),
                )
            })
            .collect(),
    );
    let mut app = App::new();
    app.target("t", "", move |t| {
        let mut s = Stack::new("main");
        s.output("tricky", Output::new(map.clone()));
        s.output("in_expr", Output::new::<Dynamic>(in_expr.clone()));
        s.output("big", Output::new(Number::from(u64::MAX)));
        t.add_stack(s);
    });
    let out = app.synth("t").unwrap_or_else(|e| panic!("{e}"));
    let text = out.file("main/main.tf.json").unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("terrane-roundtrip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("main.tf.json"), text).unwrap_or_else(|e| panic!("{e}"));
    run(&dir, &["init", "-input=false", "-backend=false"]);
    run(&dir, &["apply", "-input=false", "-auto-approve"]);
    for output in ["tricky", "in_expr"] {
        let json = run(&dir, &["output", "-json", output]);
        let back: BTreeMap<String, String> =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(back, expected, "{output}");
    }
    // Terraform's numbers are arbitrary precision: u64::MAX comes back exactly.
    let big = run(&dir, &["output", "-json", "big"]);
    assert_eq!(big.trim(), "18446744073709551615");
    let _ = std::fs::remove_dir_all(&dir);
}
