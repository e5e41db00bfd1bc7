//! The validation tier: `terraform init` + `terraform validate` on every
//! synthesized stack whose providers are available on this machine (a filesystem
//! mirror, `/opt/tf-plugins` unless `TERRANE_TF_PLUGIN_MIRROR` says otherwise).
//! Stacks using a provider that is not available are left to the offline schema
//! check. Without terraform the test prints `SKIPPED: terraform not found`; under
//! `CI=true` it fails instead.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn in_ci() -> bool {
    std::env::var("CI").map(|v| v == "true").unwrap_or(false)
}

pub(crate) fn skip_or_fail(what: &str) {
    if in_ci() {
        panic!("{what} (CI=true: validators are required)");
    }
    println!("SKIPPED: {what}");
}

pub(crate) fn terraform() -> Option<PathBuf> {
    let bin = std::env::var_os("TERRAFORM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("terraform"));
    Command::new(&bin)
        .arg("version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| bin)
}

fn mirror() -> PathBuf {
    std::env::var_os("TERRANE_TF_PLUGIN_MIRROR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/tf-plugins"))
}

/// Providers (as `hashicorp/aws`) present in the mirror.
fn mirrored_providers(mirror: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(ns) = std::fs::read_dir(mirror.join("registry.terraform.io")) else {
        return out;
    };
    for n in ns.flatten() {
        if let Ok(ps) = std::fs::read_dir(n.path()) {
            for p in ps.flatten() {
                out.insert(format!(
                    "{}/{}",
                    n.file_name().to_string_lossy(),
                    p.file_name().to_string_lossy()
                ));
            }
        }
    }
    out
}

/// A CLI config that installs from the mirror only, with a shared plugin cache.
pub(crate) fn cli_config(dir: &Path) -> PathBuf {
    let cache = dir.join("plugin-cache");
    std::fs::create_dir_all(&cache).expect("cache dir");
    let path = dir.join("terraform.rc");
    let text = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/*/*\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/*/*\"]\n  }}\n}}\nplugin_cache_dir = \"{}\"\n",
        mirror().display(),
        cache.display()
    );
    std::fs::write(&path, text).expect("write cli config");
    path
}

/// Providers a stack's JSON requires (`hashicorp/aws`).
fn required_sources(json: &str) -> BTreeSet<String> {
    let v: serde_json::Value = serde_json::from_str(json).expect("stack JSON parses");
    v.pointer("/terraform/required_providers")
        .and_then(|r| r.as_object())
        .map(|r| {
            r.values()
                .filter_map(|p| p.get("source").and_then(|s| s.as_str()).map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn tf(bin: &Path, dir: &Path, rc: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", rc)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("run terraform")
}

/// Validates every stack of the given synthesized targets; returns (validated, left to the schema check).
pub(crate) fn validate_targets(
    targets: &[terrane_core::Synthesized],
) -> Option<(Vec<String>, Vec<String>)> {
    let Some(bin) = terraform() else {
        skip_or_fail("terraform not found");
        return None;
    };
    let available = mirrored_providers(&mirror());
    let work = tempfile::tempdir().expect("tempdir");
    let rc = cli_config(work.path());
    terrane_core::write_targets(&work.path().join("out"), targets).expect("write");
    let mut validated = Vec::new();
    let mut offline_only = Vec::new();
    let mut failures = Vec::new();
    for t in targets {
        for s in &t.stacks {
            let dir = work.path().join("out").join(&t.target).join(&s.name);
            let json = std::fs::read_to_string(dir.join("main.tf.json")).expect("read");
            let missing: Vec<String> = required_sources(&json)
                .into_iter()
                .filter(|p| !available.contains(p))
                .collect();
            let label = format!("{}/{}", t.target, s.name);
            if !missing.is_empty() {
                offline_only.push(format!("{label} (needs {})", missing.join(", ")));
                continue;
            }
            let init = tf(
                &bin,
                &dir,
                &rc,
                &["init", "-backend=false", "-input=false", "-no-color"],
            );
            if !init.status.success() {
                failures.push(format!(
                    "{label}: terraform init failed:\n{}",
                    String::from_utf8_lossy(&init.stderr)
                ));
                continue;
            }
            let v = tf(&bin, &dir, &rc, &["validate", "-no-color"]);
            if !v.status.success() {
                failures.push(format!(
                    "{label}: terraform validate failed:\n{}{}",
                    String::from_utf8_lossy(&v.stdout),
                    String::from_utf8_lossy(&v.stderr)
                ));
                continue;
            }
            validated.push(label);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Some((validated, offline_only))
}

#[test]
fn every_stack_passes_terraform_validate() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = app.targets().into_iter().map(|t| t.name).collect();
    let targets = app
        .synth_many(&names)
        .unwrap_or_else(|e| panic!("synth failed:\n{e}"));
    if let Some((validated, offline)) = validate_targets(&targets) {
        println!("terraform validate passed: {}", validated.join(", "));
        println!(
            "left to the offline schema check (provider not on this machine): {}",
            offline.join(", ")
        );
        assert!(
            !validated.is_empty(),
            "no stack could be validated: is the aws provider mirror present?"
        );
    }
}
