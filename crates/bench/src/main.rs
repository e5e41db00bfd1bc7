//! `terrane-bench-stack N OUTDIR`: synthesizes the benchmark stack with N copies of the
//! body (schema check on) and writes it under OUTDIR, as one whole process.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args
        .first()
        .and_then(|a| a.parse::<usize>().ok())
        .unwrap_or(1);
    let out = PathBuf::from(args.get(1).map_or("terrane.out", String::as_str));
    let app = terrane_bench::app(n);
    let result = app
        .synth("prod")
        .and_then(|t| terrane_core::write_targets(&out, &[t]));
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
