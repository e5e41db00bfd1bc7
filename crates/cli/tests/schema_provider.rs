//! The schema-serving provider through real terraform: it plans, reads data sources,
//! and refuses to apply (its binary is built by this package, beside `terrane`).

use std::path::Path;
use std::process::Command;

use super::terraform_installed;

/// A scratch folder with a dev_overrides CLI configuration serving google from the
/// workspace's schema file, and one stack.
fn scratch(main_tf_json: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("terraform-provider-google");
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas/google.json");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec '{}' google '{schema}'\n",
            env!("CARGO_BIN_EXE_terrane-schema-provider")
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        dir.path().join("tf.rc"),
        format!(
            "provider_installation {{\n  dev_overrides {{ \"registry.terraform.io/hashicorp/google\" = \"{}\" }}\n  \
             direct {{ exclude = [\"registry.terraform.io/*/*\"] }}\n}}\n",
            bin.display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("stack")).unwrap();
    std::fs::write(dir.path().join("stack/main.tf.json"), main_tf_json).unwrap();
    dir
}

fn terraform(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("terraform")
        .arg(format!("-chdir={}", dir.join("stack").display()))
        .args(args)
        .env("TF_CLI_CONFIG_FILE", dir.join("tf.rc"))
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

const STACK: &str = r#"{
  "terraform": {"required_providers": {"google": {"source": "hashicorp/google"}}},
  "provider": {"google": {"project": "acme"}},
  "data": {"google_client_config": {"current": {}}},
  "resource": {"google_storage_bucket": {"assets": {"name": "assets", "location": "US"}}},
  "output": {
    "bucket_url": {"value": "${google_storage_bucket.assets.url}"},
    "project": {"value": "${data.google_client_config.current.project}"}
  }
}"#;

#[test]
fn plans_with_unknown_computed_values_and_placeholder_data() {
    if !terraform_installed() {
        return;
    }
    let dir = scratch(STACK);
    let (ok, out) = terraform(dir.path(), &["plan", "-no-color", "-input=false"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("Plan: 1 to add, 0 to change, 0 to destroy."),
        "{out}"
    );
    assert!(out.contains("+ bucket_url = (known after apply)"), "{out}");
    assert!(
        out.contains("+ project    = \"terrane-placeholder\""),
        "{out}"
    );
}

#[test]
fn apply_is_refused() {
    if !terraform_installed() {
        return;
    }
    let dir = scratch(STACK);
    let (ok, out) = terraform(
        dir.path(),
        &["apply", "-auto-approve", "-no-color", "-input=false"],
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains("Error: terrane schema-provider never applies"),
        "{out}"
    );
    assert!(!out.contains("Creation complete"), "{out}");
}

#[test]
fn started_by_hand_it_prints_its_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_terrane-schema-provider"))
        .args(["google", "schemas/google.json"])
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(
        "usage: terrane-schema-provider NAME SCHEMA_FILE\nThis is a Terraform provider plugin"
    ));
}
