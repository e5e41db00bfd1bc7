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

/// The kubectl to run and the kubeconfig context it talks to.
#[derive(Debug, Clone)]
pub struct Kubectl {
    /// The binary (`--kubectl`, `$TERRANE_KUBECTL`, else `kubectl`).
    pub bin: String,
    /// `--context` for every call, when given (`--kube-context`).
    pub context: Option<String>,
}

impl Kubectl {
    fn command(&self) -> Command {
        let mut c = Command::new(&self.bin);
        if let Some(context) = &self.context {
            c.args(["--context", context]);
        }
        c
    }
}

/// The objects whose rollout `kubectl rollout status` can wait for, from the JSON
/// that `kubectl apply -o json` printed (a `List`, or one object when the overlay
/// holds one): kind, name, namespace.
pub fn rollouts(applied: &str) -> Result<Vec<(String, String, String)>, String> {
    let doc: Value = serde_json::from_str(applied).map_err(|e| {
        format!("kubectl apply printed no JSON object list ({e}); the objects were applied, but their rollouts are not awaited")
    })?;
    let items = match doc["items"].as_array() {
        Some(items) => items.clone(),
        None => vec![doc],
    };
    Ok(items
        .iter()
        .filter_map(|item| {
            let kind = item["kind"].as_str()?;
            if !matches!(kind, "Deployment" | "StatefulSet" | "DaemonSet") {
                return None;
            }
            let name = item["metadata"]["name"].as_str()?;
            let namespace = item["metadata"]["namespace"].as_str().unwrap_or("default");
            Some((kind.to_string(), name.to_string(), namespace.to_string()))
        })
        .collect())
}

/// Fetches the outputs (with `terraform`, the binary the stacks ran with), applies
/// the overlay and waits for rollouts.
pub fn apply(
    target_dir: &Path,
    overlay: &Path,
    kubectl: &Kubectl,
    terraform: &str,
    out: &mut dyn Write,
) -> Result<(), String> {
    let fetch = target_dir.join("k8s").join("fetch-terraform-outputs.sh");
    if fetch.is_file() {
        let work = target_dir.join(".state").join("work");
        run(
            Command::new("sh")
                .arg(&fetch)
                .arg(&work)
                .env("TERRAFORM", terraform),
            out,
        )?;
    }
    let applied = run(
        kubectl
            .command()
            .args(["apply", "-o", "json", "-k"])
            .arg(overlay),
        &mut std::io::sink(),
    )?;
    for (kind, name, namespace) in rollouts(&applied)? {
        let _ = writeln!(out, "kubectl: waiting for {kind}/{name} in {namespace}");
        run(
            kubectl.command().args([
                "rollout",
                "status",
                &format!("{}/{name}", kind.to_lowercase()),
                "-n",
                &namespace,
                "--timeout=10m",
            ]),
            out,
        )?;
    }
    Ok(())
}

/// Deletes the overlay's objects (before the stacks are destroyed).
pub fn delete(overlay: &Path, kubectl: &Kubectl, out: &mut dyn Write) -> Result<(), String> {
    run(
        kubectl
            .command()
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
