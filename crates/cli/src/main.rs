//! The `terrane` binary with the project's own stacks.

fn main() -> std::process::ExitCode {
    terrane_cli::run(terrane_stacks::app())
}
