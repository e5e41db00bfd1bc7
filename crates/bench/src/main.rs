//! `terrane-bench-stack N OUTDIR`: synthesizes the benchmark stack with N copies of the
//! body (schema check on) and writes it under OUTDIR, as one whole process. With
//! `TERRANE_BENCH_TIMINGS` set it prints the time of synth, write and drop to stderr.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args
        .first()
        .and_then(|a| a.parse::<usize>().ok())
        .unwrap_or(1);
    let out = PathBuf::from(args.get(1).map_or("terrane.out", String::as_str));
    let timings = std::env::var_os("TERRANE_BENCH_TIMINGS").is_some();
    let start = std::time::Instant::now();
    let app = terrane_bench::app(n);
    let synth = app.synth("prod");
    let synth_done = start.elapsed();
    let result = synth.and_then(|t| {
        let r = terrane_core::write_targets(&out, std::slice::from_ref(&t));
        let write_done = start.elapsed();
        drop(t);
        if timings {
            eprintln!(
                "synth {:?} write {:?} drop {:?}",
                synth_done,
                write_done - synth_done,
                start.elapsed() - write_done
            );
        }
        r
    });
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
