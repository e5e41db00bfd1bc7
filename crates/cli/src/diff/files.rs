//! `terrane diff --files`: the unified text diff of every file against the
//! baseline folder (also the files the semantic diff does not model: tfvars,
//! manifest.json).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use terrane_core::Synthesized;

/// Prints the diff of every target's files; true when something differs.
pub(crate) fn print(targets: &[Synthesized], base: &Path, out: &mut dyn Write) -> bool {
    let mut changed = false;
    for t in targets {
        let dir = base.join(&t.target);
        let mut on_disk = BTreeSet::new();
        collect_files(&dir, &dir, &mut on_disk);
        for (rel, text) in &t.files {
            match std::fs::read_to_string(dir.join(rel)).ok() {
                None => {
                    changed = true;
                    let _ = writeln!(
                        out,
                        "added: {}/{rel} ({} lines)",
                        t.target,
                        text.lines().count()
                    );
                }
                Some(old) if old != *text => {
                    changed = true;
                    let d = similar::TextDiff::from_lines(&old, text);
                    let _ = write!(
                        out,
                        "{}",
                        d.unified_diff().context_radius(3).header(
                            &format!("a/{}/{rel}", t.target),
                            &format!("b/{}/{rel}", t.target)
                        )
                    );
                }
                _ => {}
            }
        }
        for rel in on_disk {
            if !t.files.contains_key(&rel) {
                changed = true;
                let _ = writeln!(out, "removed: {}/{rel}", t.target);
            }
        }
    }
    if !changed {
        let _ = writeln!(out, "no changes");
    }
    changed
}

fn collect_files(root: &Path, dir: &Path, acc: &mut BTreeSet<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue; // terraform's own files (.terraform, .terraform.lock.hcl)
        }
        if p.is_dir() {
            collect_files(root, &p, acc);
        } else if let Ok(rel) = p.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.ends_with(".tfstate")
                || rel.ends_with(".tfstate.backup")
                || rel.ends_with(".tfplan")
            {
                continue;
            }
            acc.insert(rel);
        }
    }
}
