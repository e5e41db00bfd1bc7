//! `terrane synth --emit atlantis|flux`: the stack graph handed to an orchestrator.
//!
//! - [`atlantis`]: `atlantis.yaml` (repo config version 3), one project per stack of
//!   every target written in the output folder;
//! - [`flux`]: `flux/<target>.yaml`, one tofu-controller `Terraform` object per stack,
//!   and `flux/<target>/<stack>/`, the copies of the stacks that pass values to each
//!   other through the outputs Secrets ([`flux_values`]).
//!
//! Both read what synth wrote (`manifest.json`, each stack's main.tf.json), so they
//! describe exactly the files the orchestrator will run. The schemas they are checked
//! against in the tests are in `crates/cli/schemas/` with their source.

mod atlantis;
mod flux;
mod flux_values;
mod yaml;

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::deploy::graph::Graph;

/// What `--emit` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// atlantis.yaml at --emit-dir (the repository root).
    Atlantis,
    /// flux/<target>.yaml under --emit-dir: tofu-controller Terraform objects.
    Flux,
}

/// Options of `synth --emit`.
#[derive(Debug, Args)]
pub struct EmitArgs {
    /// Also write an orchestrator's configuration from the stack graph (repeatable).
    #[arg(long, value_enum, value_name = "KIND")]
    pub emit: Vec<Emit>,
    /// Where to write it: the repository root, which holds the output folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub emit_dir: PathBuf,
    /// The stack program's sources, as globs from --emit-dir: a change to them
    /// autoplans every project (Atlantis). Repeatable.
    #[arg(long = "source", value_name = "GLOB", default_values = ["**/*.rs", "**/Cargo.toml", "Cargo.lock"])]
    pub sources: Vec<String>,
    /// Flux: the GitRepository holding this repository, as `[namespace/]name`.
    #[arg(long, default_value = "flux-system/flux-system", value_name = "REF")]
    pub flux_source: String,
    /// Flux: the namespace of the Terraform objects (and of their secrets).
    #[arg(long, default_value = "flux-system", value_name = "NS")]
    pub flux_namespace: String,
}

/// One stack as an orchestrator sees it.
pub(crate) struct StackDir {
    /// Its target.
    pub target: String,
    /// Stack name.
    pub name: String,
    /// Its folder, relative to --emit-dir, `/`-separated.
    pub dir: String,
    /// The stacks it reads (same target).
    pub producers: Vec<String>,
    /// Longest chain of producers before it.
    pub depth: usize,
    /// Its main.tf.json.
    pub doc: serde_json::Value,
    /// Its variables supplied at apply (no default, no value in its tfvars).
    pub supplied: Vec<String>,
}

/// Writes what `args.emit` asks for, for `targets` (flux) or every target in
/// `out_dir` (atlantis); prints one line per file written.
pub fn write(
    out_dir: &Path,
    targets: &[String],
    args: &EmitArgs,
    out: &mut dyn Write,
) -> Result<(), String> {
    if args.emit.is_empty() {
        return Ok(());
    }
    let rel_out = relative_out(out_dir, &args.emit_dir)?;
    for kind in dedup(&args.emit) {
        match kind {
            Emit::Atlantis => {
                let all = written_targets(out_dir)?;
                let stacks = stack_dirs(out_dir, &rel_out, &all)?;
                let path = args.emit_dir.join("atlantis.yaml");
                write_file(&path, &atlantis::render(&stacks, &args.sources))?;
                let _ = writeln!(
                    out,
                    "atlantis: {} projects -> {}",
                    stacks.len(),
                    path.display()
                );
            }
            Emit::Flux => {
                for t in targets {
                    let stacks = stack_dirs(out_dir, &rel_out, std::slice::from_ref(t))?;
                    let values = flux_values::FluxValues::find(&stacks);
                    let copies = args.emit_dir.join(flux::FLUX_DIR).join(t);
                    if copies.exists() {
                        std::fs::remove_dir_all(&copies)
                            .map_err(|e| format!("cannot replace {}: {e}", copies.display()))?;
                    }
                    for s in stacks.iter().filter(|s| values.rewrites(&s.name)) {
                        let src = out_dir.join(t).join(&s.name);
                        values.write_copy(s, &src, &copies.join(&s.name))?;
                    }
                    let path = args.emit_dir.join(flux::FLUX_DIR).join(format!("{t}.yaml"));
                    write_file(&path, &flux::render(&stacks, args, &values)?)?;
                    let _ = writeln!(
                        out,
                        "flux: {} Terraform objects -> {}",
                        stacks.len(),
                        path.display()
                    );
                }
            }
        }
    }
    Ok(())
}

fn dedup(kinds: &[Emit]) -> Vec<Emit> {
    let mut seen = Vec::new();
    for k in kinds {
        if !seen.contains(k) {
            seen.push(*k);
        }
    }
    seen
}

/// The output folder relative to the emit folder (which must hold it).
fn relative_out(out_dir: &Path, emit_dir: &Path) -> Result<String, String> {
    let out_abs = std::path::absolute(out_dir).map_err(|e| e.to_string())?;
    let emit_abs = std::path::absolute(emit_dir).map_err(|e| e.to_string())?;
    let rel = out_abs.strip_prefix(&emit_abs).map_err(|_| {
        format!(
            "--emit writes paths relative to --emit-dir {}, which must contain the output folder {}",
            emit_dir.display(),
            out_dir.display()
        )
    })?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    Ok(parts.join("/"))
}

/// The targets written in `out_dir` (folders with a manifest.json), sorted.
fn written_targets(out_dir: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(out_dir)
        .map_err(|e| format!("cannot read {}: {e}", out_dir.display()))?
        .flatten()
        .filter(|e| e.path().join("manifest.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

fn stack_dirs(out_dir: &Path, rel_out: &str, targets: &[String]) -> Result<Vec<StackDir>, String> {
    let mut all = Vec::new();
    for t in targets {
        let graph = Graph::read(&out_dir.join(t))?;
        for (i, node) in graph.nodes.iter().enumerate() {
            let stack_dir = out_dir.join(t).join(&node.name);
            let doc = crate::terraform::read_doc(&stack_dir)?;
            let dir = [rel_out, t.as_str(), node.name.as_str()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("/");
            all.push(StackDir {
                target: t.clone(),
                name: node.name.clone(),
                dir,
                producers: node
                    .producers
                    .iter()
                    .map(|&p| graph.nodes[p].name.clone())
                    .collect(),
                depth: graph.depth(i),
                supplied: crate::terraform::unset_variables(&stack_dir, &doc)
                    .into_iter()
                    .filter_map(|(var, _)| var.strip_prefix("TF_VAR_").map(String::from))
                    .collect(),
                doc,
            });
        }
    }
    Ok(all)
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
