//! The `terrane` binary with the project's own stacks.

use std::process::ExitCode;

fn main() -> ExitCode {
    match terrane_stacks::app() {
        Ok(app) => terrane_cli::run(app),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
