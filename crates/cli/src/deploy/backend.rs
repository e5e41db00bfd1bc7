//! Each stack's working copy and where its state lives.
//!
//! Terraform runs in `out/<target>/.state/work/<stack>/`, a copy of the synthesized
//! stack folder refreshed before every run: the synthesized files are never changed,
//! and `terrane synth` (which replaces `out/<target>/` whole) cannot take the
//! working copies' `.terraform` folders or local state with it while a deploy
//! the synth's writer (`terrane_core::write_targets`) carries `.state/` over.
//!
//! `--backend local` writes an override file in the working copy: the stack keeps
//! its state in `out/<target>/.state/<stack>.tfstate`, and each
//! `terraform_remote_state` read of a producer reads the producer's local state.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::graph::Graph;
use crate::terraform::{copy_dir, read_doc};

/// The override file terrane writes in a working copy (terraform merges
/// `*_override.tf.json` files last).
pub const OVERRIDE_FILE: &str = "terrane_backend_override.tf.json";

/// Where a stack keeps its state with `--backend local`.
pub fn local_state(target_dir: &Path, stack: &str) -> PathBuf {
    target_dir.join(".state").join(format!("{stack}.tfstate"))
}

/// Refreshes the working copy of stack `i` from the synthesized folder (its
/// `.terraform` kept) and, with `local`, writes the local-backend override.
pub fn prepare(target_dir: &Path, graph: &Graph, i: usize, local: bool) -> Result<PathBuf, String> {
    let stack = &graph.nodes[i].name;
    let target_dir = std::path::absolute(target_dir).map_err(|e| e.to_string())?;
    let work = super::runner::work_dir(&target_dir, stack);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    for entry in std::fs::read_dir(&work)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && entry.path().is_file() && name != "terrane.tfplan" {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let source = target_dir.join(stack);
    copy_dir(&source, &work).map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
    if local {
        let doc = read_doc(&work)?;
        let text = local_override(&target_dir, graph, i, &doc)?;
        std::fs::write(work.join(OVERRIDE_FILE), text).map_err(|e| e.to_string())?;
    }
    Ok(work)
}

/// The override of `--backend local` for stack `i` (main.tf.json `doc`).
pub fn local_override(
    target_dir: &Path,
    graph: &Graph,
    i: usize,
    doc: &Value,
) -> Result<String, String> {
    let stack = &graph.nodes[i].name;
    let state = local_state(target_dir, stack);
    let mut out = Map::new();
    out.insert(
        "terraform".into(),
        json!({"backend": {"local": {"path": state.display().to_string()}}}),
    );
    if let Some(reads) = doc
        .pointer("/data/terraform_remote_state")
        .and_then(Value::as_object)
    {
        let mut data = Map::new();
        for name in reads.keys() {
            if graph.index(name).is_none() {
                return Err(format!(
                    "{}/{stack}: data.terraform_remote_state.{name} names no stack of the target, so --backend local cannot point it at local state",
                    graph.target
                ));
            }
            let path = local_state(target_dir, name);
            data.insert(
                name.clone(),
                json!({"backend": "local", "config": {"path": path.display().to_string()}}),
            );
        }
        out.insert("data".into(), json!({"terraform_remote_state": data}));
    }
    serde_json::to_string_pretty(&Value::Object(out)).map_err(|e| e.to_string())
}

/// The variables of each selected stack supplied at apply (no default, no value in
/// terraform.tfvars.json) that have no `TF_VAR_<name>` in the environment:
/// `target/stack: name, name` lines.
pub fn missing_secrets(target_dir: &Path, graph: &Graph, selected: &[bool]) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, node) in graph.nodes.iter().enumerate() {
        if !selected[i] {
            continue;
        }
        let dir = target_dir.join(&node.name);
        let Ok(doc) = read_doc(&dir) else { continue };
        let missing: Vec<String> = crate::terraform::unset_variables(&dir, &doc)
            .into_iter()
            .map(|(var, _)| var)
            .filter(|var| std::env::var_os(var).is_none())
            .collect();
        if !missing.is_empty() {
            lines.push(format!(
                "{}/{}: {}",
                graph.target,
                node.name,
                missing.join(", ")
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_backend_reads_producers_from_their_local_state() {
        let g = Graph::from_pairs(
            "t",
            &[
                ("network".into(), vec![]),
                ("app".into(), vec!["network".into()]),
            ],
        )
        .unwrap();
        let doc = json!({"data": {"terraform_remote_state": {"network": {"backend": "s3"}}}});
        let text = local_override(Path::new("/o/t"), &g, 1, &doc).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["terraform"]["backend"]["local"]["path"],
            "/o/t/.state/app.tfstate"
        );
        assert_eq!(
            v["data"]["terraform_remote_state"]["network"],
            json!({"backend": "local", "config": {"path": "/o/t/.state/network.tfstate"}})
        );
        let bad = json!({"data": {"terraform_remote_state": {"shared": {}}}});
        assert_eq!(
            local_override(Path::new("/o/t"), &g, 1, &bad).unwrap_err(),
            "t/app: data.terraform_remote_state.shared names no stack of the target, so --backend local cannot point it at local state"
        );
    }
}
