//! `synth --emit atlantis|flux`: the stack graph as an Atlantis repo config and as
//! tofu-controller Terraform objects, checked against the schemas kept in
//! crates/cli/schemas/ (with Python's jsonschema; skipped where it is missing, which
//! fails under CI).

use std::path::Path;
use std::process::Command;

use super::deploy::app;
use super::{run, terraform_installed};

const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas");

/// False (after saying so) where python3 lacks jsonschema or PyYAML; CI requires them.
fn validator_installed() -> bool {
    super::tool_found(
        "python3 with jsonschema and PyYAML",
        "python3",
        &["-c", "import jsonschema, yaml"],
    )
}

/// validate.py's verdict on `file`: (passed, what it printed).
fn validate(schema: &str, file: &Path, strict: bool) -> (bool, String) {
    let mut c = Command::new("python3");
    c.arg(format!("{SCHEMAS}/validate.py"));
    if strict {
        c.arg("--strict");
    }
    let o = c
        .arg(format!("{SCHEMAS}/{schema}"))
        .arg(file)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    (o.status.success(), text)
}

/// `synth t --out <out> --emit-dir <root> <extra>`.
fn synth_emit(out: &Path, root: &Path, extra: &[&str]) -> (u8, String, String) {
    let (out, root) = (out.to_str().unwrap(), root.to_str().unwrap());
    let mut args = vec!["synth", "t", "--out", out, "--emit-dir", root];
    args.extend_from_slice(extra);
    run(&app(false), &args)
}

fn emit(root: &Path) -> (String, String) {
    let extra = [
        "--emit",
        "atlantis",
        "--emit",
        "flux",
        "--source",
        "src/**/*.rs",
    ];
    let (code, o, e) = synth_emit(&root.join("out"), root, &extra);
    assert_eq!(code, 0, "{o}{e}");
    assert!(
        o.contains(&format!(
            "atlantis: 4 projects -> {}/atlantis.yaml",
            root.display()
        )),
        "{o}"
    );
    assert!(o.contains("flux: 4 Terraform objects -> "), "{o}");
    (
        std::fs::read_to_string(root.join("atlantis.yaml")).unwrap(),
        std::fs::read_to_string(root.join("flux/t.yaml")).unwrap(),
    )
}

#[test]
fn atlantis_projects_follow_the_stack_graph() {
    let dir = tempfile::tempdir().unwrap();
    let (atlantis, _) = emit(dir.path());
    let top = "  - autoplan:\n      enabled: true\n      when_modified:\n        - \"*.tf.json\"\n        \
               - \"*.tfvars.json\"\n        - ../manifest.json\n        - \"../../../src/**/*.rs\"\n    \
               depends_on:\n      - t-right\n    dir: out/t/top\n    execution_order_group: 2\n    name: t-top\n";
    assert!(atlantis.contains(top), "{atlantis}");
    assert!(atlantis.ends_with("    name: t-top\nversion: 3\n"));
    assert!(
        atlantis.contains("    dir: out/t/left\n    execution_order_group: 1\n    name: t-left\n")
    );
    if !validator_installed() {
        return;
    }
    let file = dir.path().join("atlantis.yaml");
    assert_eq!(
        validate("atlantis-repo-config-v3.schema.json", &file, false),
        (true, "ok: 1 documents\n".into())
    );
    std::fs::write(
        &file,
        atlantis
            .replace("dir: out/t/top", "dir: ../t/top")
            .replace("execution_order_group: 2", "execution_order: 2"),
    )
    .unwrap();
    let (ok, text) = validate("atlantis-repo-config-v3.schema.json", &file, false);
    assert!(!ok);
    assert!(text.contains("document 1: /projects/3: Additional properties are not allowed ('execution_order' was unexpected)"), "{text}");
    assert!(text.contains("document 1: /projects/3/dir: "), "{text}");
}

#[test]
fn flux_objects_depend_on_producers_and_pass_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (_, flux) = emit(dir.path());
    assert_eq!(flux.matches("kind: Terraform\n").count(), 4);
    let top = "---\napiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: t-top\n  \
               namespace: flux-system\nspec:\n  approvePlan: auto\n  backendConfig:\n    disable: true\n  \
               dependsOn:\n    - name: t-right\n  interval: \"10m\"\n  path: ./flux/t/top\n  sourceRef:\n    \
               kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n  varsFrom:\n    \
               - kind: Secret\n      name: t-right-outputs\n      varsKeys:\n        \
               - \"terrane_flux_outputs:terrane_remote_right\"\n";
    assert!(flux.ends_with(top), "{flux}");
    assert!(
        flux.contains("  writeOutputsToSecret:\n    name: t-right-outputs\n"),
        "{flux}"
    );
    if !validator_installed() {
        return;
    }
    let file = dir.path().join("flux/t.yaml");
    let schema = "tofu-controller-terraform-v1alpha2.schema.json";
    assert_eq!(
        validate(schema, &file, true),
        (true, "ok: 4 documents\n".into())
    );
    std::fs::write(&file, flux.replace("dependsOn:", "dependOn:")).unwrap();
    let (ok, text) = validate(schema, &file, true);
    assert!(!ok);
    assert!(
        text.contains("/spec: Additional properties are not allowed ('dependOn' was unexpected)"),
        "{text}"
    );
}

#[test]
fn flux_inputs_secret_carries_the_variables_supplied_at_apply() {
    let mut app = terrane_core::App::new();
    app.target("s", "one secret", |t| {
        let mut s = terrane_core::Stack::new("app");
        let token = s.variable(
            "api_token",
            terrane_core::Variable::<String>::new()
                .sensitive()
                .supplied_at_apply(),
        );
        s.add(
            "d",
            terrane_core::GenericResource::new("terraform_data").arg("input", token),
        );
        t.add_stack(s);
    });
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let out = format!("{root}/out");
    let (code, o, e) = run(
        &app,
        &[
            "synth",
            "s",
            "--out",
            &out,
            "--emit-dir",
            root,
            "--emit",
            "flux",
        ],
    );
    assert_eq!(code, 0, "{o}{e}");
    let flux = std::fs::read_to_string(dir.path().join("flux/s.yaml")).unwrap();
    assert!(flux.contains("  varsFrom:\n    - kind: Secret\n      name: s-app-inputs\n      varsKeys:\n        - api_token\n"), "{flux}");
}

#[test]
fn emit_dir_must_hold_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let elsewhere = dir.path().join("elsewhere");
    let (code, _, err) = synth_emit(&out, &elsewhere, &["--emit", "atlantis"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "error: --emit writes paths relative to --emit-dir {}, which must contain the output folder {}\n",
            elsewhere.display(),
            out.display()
        )
    );
}

/// `terraform -chdir=<dir> <args>` with the test's CLI config; its stdout.
fn tf(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("terraform")
        .arg(format!("-chdir={}", dir.display()))
        .args(args)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "terraform {args:?} in {}: {text}{}",
        dir.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    text
}

/// The Flux copies pass every cross-stack value through the outputs Secrets: applied
/// in order as tofu-controller does (each producer's `terrane_flux_outputs` written as
/// its JSON text, handed to the consumer as a string variable by the `varsKeys`
/// rename), `top` gets the value `right` got from `base`, with no remote state read.
#[test]
fn flux_copies_pass_remote_state_values_through_the_outputs_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (_, flux) = emit(dir.path());
    assert!(
        flux.contains("      name: t-base-outputs\n      varsKeys:\n        - \"terrane_flux_outputs:terrane_remote_base\"\n"),
        "{flux}"
    );
    let copies = dir.path().join("flux/t");
    for stack in ["base", "left", "right", "top"] {
        let main = std::fs::read_to_string(copies.join(stack).join("main.tf.json")).unwrap();
        assert!(!main.contains("terraform_remote_state"), "{stack}: {main}");
    }
    let original = std::fs::read_to_string(dir.path().join("out/t/top/main.tf.json")).unwrap();
    assert!(original.contains("terraform_remote_state"), "{original}");
    if !terraform_installed() {
        return;
    }
    let local = r#"{"terraform": {"backend": {"local": {}}}}"#;
    let mut outputs: std::collections::BTreeMap<&str, String> = Default::default();
    for (stack, producer) in [
        ("base", None),
        ("right", Some("base")),
        ("top", Some("right")),
    ] {
        let d = copies.join(stack);
        std::fs::write(d.join("backend_override.tf.json"), local).unwrap();
        if let Some(p) = producer {
            // what tofu-controller's GenerateVarsForTF writes: the Secret value as a string
            let vars = serde_json::json!({ format!("terrane_remote_{p}"): outputs[p] });
            std::fs::write(d.join("generated.auto.tfvars.json"), vars.to_string()).unwrap();
        }
        tf(&d, &["init", "-input=false", "-no-color"]);
        tf(&d, &["apply", "-auto-approve", "-input=false", "-no-color"]);
        if stack != "top" {
            // writeOutputsToSecret stores a non-string output as its JSON value
            let v: serde_json::Value =
                serde_json::from_str(&tf(&d, &["output", "-json", "terrane_flux_outputs"]))
                    .unwrap();
            outputs.insert(stack, v.to_string());
        }
    }
    let state = tf(&copies.join("top"), &["show", "-json"]);
    assert!(state.contains(r#""input":"seed-value""#), "{state}");
}
