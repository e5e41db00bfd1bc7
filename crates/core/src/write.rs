//! Writing synthesized targets to disk atomically: each target is written to a
//! temporary folder beside its final place and renamed, so a failed or interrupted
//! synth leaves the previous output as it was. A target's `.state/` folder (the local
//! state and working copies of `terrane apply --backend local`) is not output: it is
//! carried over into the new folder, never deleted.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::target::Synthesized;

/// The folder of a target's output that synth never replaces: local Terraform state.
pub const KEPT_FOLDER: &str = ".state";

/// Writes every target under `out_dir/<target>/`, replacing what was there except
/// its [`KEPT_FOLDER`].
/// Files are written to `out_dir/.<target>.tmp-<pid>` first and swapped in by
/// rename; on error nothing of the target is replaced.
pub fn write_targets(out_dir: &Path, targets: &[Synthesized]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(out_dir)
        .map_err(|e| Error::io(format!("creating {}", out_dir.display()), e))?;
    let pid = std::process::id();
    let mut staged = Vec::new();
    // Stage every target before replacing any.
    for t in targets {
        let tmp = out_dir.join(format!(".{}.tmp-{pid}", t.target));
        if tmp.exists() {
            fs::remove_dir_all(&tmp)
                .map_err(|e| Error::io(format!("removing {}", tmp.display()), e))?;
        }
        let res = stage(&tmp, t);
        if let Err(e) = res {
            let _ = fs::remove_dir_all(&tmp);
            for (s, _) in &staged {
                let _ = fs::remove_dir_all(s);
            }
            return Err(e);
        }
        staged.push((tmp, out_dir.join(&t.target)));
    }
    let mut written = Vec::new();
    for (tmp, dest) in staged {
        let old = dest.with_file_name(format!(
            ".{}.old-{pid}",
            dest.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("target")
        ));
        if dest.exists() {
            carry_over_kept(&dest, &tmp)?;
            fs::rename(&dest, &old)
                .map_err(|e| Error::io(format!("moving {} aside", dest.display()), e))?;
        }
        if let Err(e) = fs::rename(&tmp, &dest) {
            // put the old output back, with its state
            if old.exists() {
                let _ = fs::rename(tmp.join(KEPT_FOLDER), old.join(KEPT_FOLDER));
                let _ = fs::rename(&old, &dest);
            }
            return Err(Error::io(
                format!("renaming {} to {}", tmp.display(), dest.display()),
                e,
            ));
        }
        if old.exists() {
            fs::remove_dir_all(&old)
                .map_err(|e| Error::io(format!("removing {}", old.display()), e))?;
        }
        written.push(dest);
    }
    Ok(written)
}

/// Moves `dest/.state` into the staged folder (a rename within one directory: it
/// cannot half-happen), so it survives the swap.
fn carry_over_kept(dest: &Path, tmp: &Path) -> Result<()> {
    let kept = dest.join(KEPT_FOLDER);
    if !kept.exists() {
        return Ok(());
    }
    let into = tmp.join(KEPT_FOLDER);
    fs::rename(&kept, &into).map_err(|e| {
        Error::io(
            format!("carrying {} over to {}", kept.display(), into.display()),
            e,
        )
    })
}

fn stage(tmp: &Path, t: &Synthesized) -> Result<()> {
    for (rel, text) in &t.files {
        let kept = rel.split('/').next() == Some(KEPT_FOLDER);
        if kept || rel.starts_with('/') || rel.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(Error::io(
                format!("refusing to write `{rel}` of target {}", t.target),
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "path must be relative and inside the target",
                ),
            ));
        }
        let path = tmp.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        }
        fs::write(&path, text).map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    Ok(())
}
