//! Getting a cdktf prebuilt provider package onto disk: a folder already unpacked, a
//! `.tgz`, or `NAME@VERSION` fetched with `npm pack` (npm's own registry client,
//! proxy and credentials settings); tarballs are unpacked with the system `tar`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::ExtractError;

/// The folder holding the package's `.jsii`, from `spec` (a folder, a `.tgz`, or
/// `NAME@VERSION`); downloads and unpacks into `work` (which must exist).
pub fn obtain(spec: &str, work: &Path) -> Result<PathBuf, ExtractError> {
    let p = Path::new(spec);
    if p.is_dir() {
        return package_root(p);
    }
    if p.is_file() {
        return unpack(p, work);
    }
    if spec.ends_with(".tgz") {
        return Err(ExtractError(format!("{spec}: no such file")));
    }
    let tgz = npm_pack(spec, work)?;
    unpack(&tgz, work)
}

/// `dir` itself or its `package/` subfolder, whichever holds `.jsii`.
fn package_root(dir: &Path) -> Result<PathBuf, ExtractError> {
    for d in [dir.to_path_buf(), dir.join("package")] {
        if d.join(".jsii").is_file() {
            return Ok(d);
        }
    }
    Err(ExtractError(format!(
        "{}: no .jsii assembly (not an unpacked cdktf provider package)",
        dir.display()
    )))
}

fn unpack(tgz: &Path, work: &Path) -> Result<PathBuf, ExtractError> {
    let dest = work.join("unpacked");
    std::fs::create_dir_all(&dest).map_err(|e| ExtractError(format!("{}: {e}", dest.display())))?;
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(tgz)
        .arg("-C")
        .arg(&dest)
        .output()
        .map_err(|e| ExtractError(format!("running tar to unpack {}: {e}", tgz.display())))?;
    if !out.status.success() {
        return Err(ExtractError(format!(
            "tar -xzf {}: {}",
            tgz.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    package_root(&dest)
}

fn npm_pack(spec: &str, work: &Path) -> Result<PathBuf, ExtractError> {
    let out = Command::new("npm")
        .args(["pack", "--silent", spec, "--pack-destination"])
        .arg(work)
        .output()
        .map_err(|e| {
            ExtractError(format!(
                "cannot run npm to fetch {spec} ({e}); install node/npm, or pass a .tgz downloaded elsewhere \
                 (`npm pack {spec}` on a machine with npm)"
            ))
        })?;
    if !out.status.success() {
        return Err(ExtractError(format!(
            "npm pack {spec} failed: {}\n(check the package name and version: `npm view {spec}`; or pass a .tgz path)",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let name = String::from_utf8_lossy(&out.stdout)
        .lines()
        .rfind(|l| l.trim().ends_with(".tgz"))
        .map(|l| l.trim().to_string())
        .ok_or_else(|| ExtractError(format!("npm pack {spec}: no .tgz named in its output")))?;
    Ok(work.join(name))
}
