//! Writing or checking the generated files of each crate against the work tree,
//! stale generated files included.

use std::path::{Path, PathBuf};

use crate::generate::generate_crate;
use crate::Mode;

/// Generates every crate and writes or checks the files. Returns the paths that
/// differ (written in [`Mode::Write`], reported in [`Mode::Check`]).
pub fn run(root: &Path, crates: &[&str], mode: Mode) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for krate in crates {
        let files = generate_crate(root, krate)?;
        // stale generated files: everything under generated/ that is not produced now
        let gen_dir = root.join(format!("crates/{krate}/src/generated"));
        let mut existing = Vec::new();
        list_files(&gen_dir, &mut existing);
        for p in existing {
            let rel = p
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or(p.clone());
            if !files.contains_key(&rel) {
                changed.push(format!("{} (stale)", rel.display()));
                if mode == Mode::Write {
                    std::fs::remove_file(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                }
            }
        }
        for (rel, text) in &files {
            let p = root.join(rel);
            let old = std::fs::read_to_string(&p).ok();
            if old.as_deref() != Some(text.as_str()) {
                changed.push(rel.display().to_string());
                if mode == Mode::Write {
                    if let Some(dir) = p.parent() {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| format!("{}: {e}", dir.display()))?;
                    }
                    std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
                }
            }
        }
    }
    Ok(changed)
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                list_files(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}
