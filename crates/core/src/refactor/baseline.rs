//! Reading a baseline: a target's previous output on disk, parsed into a
//! [`TargetModel`]. Only what the model uses is read (stacks' `main.tf.json`,
//! Kubernetes YAML); terraform's own files are skipped.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::model::TargetModel;
use crate::error::{Error, Result};

/// Reads the output of one target from `dir` (`out/prod`). `Ok(None)` when there is
/// no previous output there (no `manifest.json`): a fresh folder has no baseline.
pub fn read_baseline(dir: &Path) -> Result<Option<TargetModel>> {
    if !dir.join("manifest.json").is_file() {
        return Ok(None);
    }
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files)?;
    TargetModel::parse(&files).map(Some).map_err(|e| {
        Error::io(
            format!("reading the previous output in {}", dir.display()),
            invalid(e),
        )
    })
}

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> Result<()> {
    let entries =
        fs::read_dir(dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue; // .terraform, lock files
        }
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files)?;
            continue;
        }
        if !(name == "main.tf.json" || name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let text = fs::read_to_string(&path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        files.insert(rel, text);
    }
    Ok(())
}
