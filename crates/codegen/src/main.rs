//! `terrane-codegen [--check] [aws|gcp|all]`: regenerates the typed resource types of
//! terrane-aws and terrane-gcp from `schemas/`, or checks that the committed ones are current.

use std::process::ExitCode;

use terrane_codegen::{run, workspace_root, Mode, CRATES};

fn main() -> ExitCode {
    let mut mode = Mode::Write;
    let mut crates: Vec<&str> = Vec::new();
    let mut root = workspace_root();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--check" => mode = Mode::Check,
            "--root" => match args.next() {
                Some(r) => root = r.into(),
                None => return usage("--root needs a path"),
            },
            "all" => crates.extend(CRATES.iter().map(|(c, _)| *c)),
            "aws" | "helm" => crates.push("aws"),
            "gcp" | "google" => crates.push("gcp"),
            "-h" | "--help" => return usage(""),
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    if crates.is_empty() {
        crates.extend(CRATES.iter().map(|(c, _)| *c));
    }
    crates.dedup();
    match run(&root, &crates, mode) {
        Ok(changed) if changed.is_empty() => {
            eprintln!("generated code is current ({})", crates.join(", "));
            ExitCode::SUCCESS
        }
        Ok(changed) => {
            for c in &changed {
                eprintln!(
                    "{} {c}",
                    if mode == Mode::Check {
                        "stale:"
                    } else {
                        "wrote:"
                    }
                );
            }
            if mode == Mode::Check {
                eprintln!("generated code is stale: run `cargo run -p terrane-codegen`");
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(err: &str) -> ExitCode {
    if !err.is_empty() {
        eprintln!("error: {err}");
    }
    eprintln!("usage: terrane-codegen [--check] [--root DIR] [aws|gcp|all]...");
    if err.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
