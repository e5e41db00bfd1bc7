//! After the stacks of a target with Kubernetes output: the outputs fetch script
//! (terraform outputs into `k8s/base/terraform-outputs.env`), `kubectl apply -k` of
//! the overlay, and a wait for each Deployment, StatefulSet and DaemonSet applied to
//! roll out. `destroy` deletes the overlay's objects before the stacks go.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The overlay folder to apply: the one named, or the only one there is.
pub fn overlay(target_dir: &Path, name: Option<&str>) -> Result<PathBuf, String> {
    let overlays = target_dir.join("k8s").join("overlays");
    let mut found: Vec<String> = std::fs::read_dir(&overlays)
        .map_err(|e| format!("cannot read {}: {e}", overlays.display()))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    match name {
        Some(n) if found.iter().any(|f| f == n) => Ok(overlays.join(n)),
        Some(n) => Err(format!(
            "no overlay `{n}` in {} (there are: {})",
            overlays.display(),
            found.join(", ")
        )),
        None if found.len() == 1 => Ok(overlays.join(&found[0])),
        None => Err(format!(
            "{} has several overlays ({}): choose one with --overlay",
            overlays.display(),
            found.join(", ")
        )),
    }
}

/// Fetches the outputs, applies the overlay and waits for rollouts.
pub fn apply(target_dir: &Path, overlay: &Path, out: &mut dyn Write) -> Result<(), String> {
    let fetch = target_dir.join("k8s").join("fetch-terraform-outputs.sh");
    if fetch.is_file() {
        let work = target_dir.join(".state").join("work");
        run(Command::new("sh").arg(&fetch).arg(&work), out)?;
    }
    let applied = run(
        Command::new("kubectl")
            .args(["apply", "-o", "json", "-k"])
            .arg(overlay),
        &mut std::io::sink(),
    )?;
    let doc: Value = serde_json::from_str(&applied).unwrap_or(Value::Null);
    let items = match doc["items"].as_array() {
        Some(items) => items.clone(),
        None => vec![doc],
    };
    for item in items {
        let kind = item["kind"].as_str().unwrap_or_default();
        if !matches!(kind, "Deployment" | "StatefulSet" | "DaemonSet") {
            continue;
        }
        let name = item["metadata"]["name"].as_str().unwrap_or_default();
        let namespace = item["metadata"]["namespace"].as_str().unwrap_or("default");
        let _ = writeln!(out, "kubectl: waiting for {kind}/{name} in {namespace}");
        run(
            Command::new("kubectl").args([
                "rollout",
                "status",
                &format!("{}/{name}", kind.to_lowercase()),
                "-n",
                namespace,
                "--timeout=10m",
            ]),
            out,
        )?;
    }
    Ok(())
}

/// Deletes the overlay's objects (before the stacks are destroyed).
pub fn delete(overlay: &Path, out: &mut dyn Write) -> Result<(), String> {
    run(
        Command::new("kubectl")
            .args(["delete", "--ignore-not-found", "--wait", "-k"])
            .arg(overlay),
        out,
    )
    .map(|_| ())
}

fn run(command: &mut Command, out: &mut dyn Write) -> Result<String, String> {
    let shown = format!("{command:?}");
    let o = command
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let _ = out.write_all(&o.stderr);
    if o.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "{shown} failed: {}{}",
            stdout,
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}
