//! Rendering: the minijinja environment with the templates, and rustfmt of every
//! generated Rust file.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use minijinja::Environment;

pub(crate) fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_function("docs", doc_comment);
    for (name, src) in [
        ("type.rs", include_str!("../templates/type.rs.j2")),
        ("macros", include_str!("../templates/macros.j2")),
        (
            "service_mod.rs",
            include_str!("../templates/service_mod.rs.j2"),
        ),
        (
            "generated_mod.rs",
            include_str!("../templates/generated_mod.rs.j2"),
        ),
        ("support.rs", include_str!("../templates/support.rs.j2")),
        ("tests.rs", include_str!("../templates/tests.rs.j2")),
    ] {
        if let Err(e) = env.add_template(name, src) {
            panic!("template {name}: {e}");
        }
    }
    env
}

/// `/// line` for each line, and `#[deprecated]` after them when the provider deprecates
/// the item; no trailing newline, so it sits right above the item it documents.
fn doc_comment(lines: Vec<String>, deprecated: bool) -> String {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                "///".to_string()
            } else {
                format!("/// {l}")
            }
        })
        .collect();
    if deprecated {
        out.push("#[deprecated(note = \"deprecated by the provider\")]".to_string());
    }
    out.join("\n")
}

pub(crate) fn render(
    env: &Environment<'_>,
    name: &str,
    ctx: minijinja::Value,
) -> Result<String, String> {
    let t = env.get_template(name).map_err(|e| e.to_string())?;
    t.render(ctx).map_err(|e| {
        let mut msg = format!("rendering {name}: {e}");
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            let _ = write!(msg, ": {s}");
            src = s.source();
        }
        msg
    })
}

/// Formats Rust source with the toolchain's rustfmt (edition 2021, default style).
pub fn rustfmt(src: &str) -> Result<String, String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt: no stdin")?;
    let input = src.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    let _ = writer.join();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let numbered: String = src
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{:5} {l}\n", i + 1))
            .collect();
        return Err(format!("rustfmt failed: {err}\n{numbered}"));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// rustfmt many files with a few rustfmt processes instead of one each (aws has over
/// 2,000 generated files): each text is written to a scratch folder, formatted in
/// place in batches, and read back.
pub fn rustfmt_many(files: Vec<(&PathBuf, &mut String)>) -> Result<(), String> {
    const BATCH: usize = 400;
    // one folder per call: generations can run side by side in one process (the tests)
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("terrane-codegen-fmt-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // rustfmt given a file also formats the modules it declares, which are not in the
    // scratch folder: module files (`mod.rs`, `lib.rs`) go through stdin one by one
    let (modules, mut files): (Vec<_>, Vec<_>) = files.into_iter().partition(|(path, _)| {
        path.file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
    });
    for (path, text) in modules {
        *text = rustfmt(text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let result = (|| {
        for (chunk_no, chunk) in files.chunks_mut(BATCH).enumerate() {
            let mut scratch = Vec::with_capacity(chunk.len());
            for (i, (_, text)) in chunk.iter().enumerate() {
                let p = dir.join(format!("{chunk_no}_{i}.rs"));
                std::fs::write(&p, text.as_bytes()).map_err(|e| format!("{}: {e}", p.display()))?;
                scratch.push(p);
            }
            let out = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
                .args(["--edition", "2021", "--quiet"])
                .args(&scratch)
                .output()
                .map_err(|e| format!("running rustfmt: {e}"))?;
            if !out.status.success() {
                // one at a time, so the error names the file and shows its numbered text
                for (path, text) in chunk.iter() {
                    rustfmt(text).map_err(|e| format!("{}: {e}", path.display()))?;
                }
                return Err(format!(
                    "rustfmt failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            for (p, (_, text)) in scratch.iter().zip(chunk.iter_mut()) {
                **text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            }
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
