//! The same 53-resource AWS stack synthesized by terrane (`terrane-bench-stack`) and
//! by CDK for Terraform 0.21 (`shared/bench/cdktf/main.js`), as whole processes,
//! alternating, for N = 1 and N = 1000 copies; prints median wall time, peak RSS
//! and the ratios.
//!
//! `cargo bench -p terrane-bench --bench vs_cdktf`. Environment: `CDKTF_DIR` (a copy
//! of the CDK for Terraform program; default: `../shared/bench/cdktf` copied under
//! the target dir and `npm install`ed there), `RUNS_SMALL` (default 11), `RUNS_LARGE`
//! (default 3), `SIZES` (default `1,1000`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One finished process: wall seconds and peak RSS in KiB.
#[derive(Clone, Copy)]
struct Run {
    secs: f64,
    rss_kib: u64,
}

/// Runs a command to its end and reads its own peak RSS from `wait4`.
fn measure(cmd: &mut Command) -> Result<Run, String> {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and wait4 only writes into the two locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    if r != pid as i32 || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let mut err = String::new();
        if let Some(mut e) = child.stderr {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        return Err(format!("failed (status {status}): {err}"));
    }
    Ok(Run {
        secs,
        rss_kib: usage.ru_maxrss as u64,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn which(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The CDK for Terraform program, installed; or why that side is skipped.
fn cdktf_dir(tmp: &Path) -> Result<PathBuf, String> {
    if !which("node") {
        return Err("node not found".into());
    }
    let dir = match std::env::var_os("CDKTF_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/cdktf");
            let dst = tmp.join("cdktf");
            std::fs::create_dir_all(&dst).map_err(|e| format!("{}: {e}", dst.display()))?;
            for f in ["main.js", "package.json"] {
                std::fs::copy(src.join(f), dst.join(f))
                    .map_err(|e| format!("{}: {e}", src.join(f).display()))?;
            }
            dst
        }
    };
    if !dir.join("node_modules/cdktf").is_dir() {
        let ok = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err("npm install failed".into());
        }
    }
    Ok(dir)
}

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn summary(runs: &[Run]) -> (f64, f64) {
    let secs = median(runs.iter().map(|r| r.secs).collect());
    let rss = median(runs.iter().map(|r| r.rss_kib as f64 / 1024.0).collect());
    (secs, rss)
}

fn main() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vs_cdktf");
    let terrane = env!("CARGO_BIN_EXE_terrane-bench-stack");
    let cdktf = cdktf_dir(&tmp);
    if let Err(why) = &cdktf {
        println!("cdktf: SKIPPED: {why}");
    }
    let sizes: Vec<usize> = std::env::var("SIZES")
        .unwrap_or_else(|_| "1,1000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("| N | resources | terrane median (s) | terrane peak RSS (MiB) | cdktf median (s) | cdktf peak RSS (MiB) | cdktf / terrane (time) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let runs = if n < 100 {
            env_num("RUNS_SMALL", 11)
        } else {
            env_num("RUNS_LARGE", 3)
        };
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let out = tmp.join("terrane.out");
            match measure(Command::new(terrane).arg(n.to_string()).arg(&out)) {
                Ok(r) => ours.push(r),
                Err(e) => panic!("terrane N={n}: {e}"),
            }
            if let Ok(dir) = &cdktf {
                let mut cmd = Command::new("node");
                cmd.arg("main.js")
                    .current_dir(dir)
                    .env("N", n.to_string())
                    .env("OUTDIR", tmp.join("cdktf.out"));
                match measure(&mut cmd) {
                    Ok(r) => theirs.push(r),
                    Err(e) => panic!("cdktf N={n}: {e}"),
                }
            }
        }
        let (t_secs, t_rss) = summary(&ours);
        let (row_cdktf, ratio) = if theirs.is_empty() {
            ("SKIPPED | SKIPPED".to_string(), "-".to_string())
        } else {
            let (c_secs, c_rss) = summary(&theirs);
            (
                format!("{c_secs:.3} | {c_rss:.1}"),
                format!("{:.0}x", c_secs / t_secs),
            )
        };
        println!(
            "| {n} | {} | {t_secs:.4} | {t_rss:.1} | {row_cdktf} | {ratio} |",
            n * 53
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
