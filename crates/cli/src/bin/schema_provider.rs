//! terrane-schema-provider, built with the CLI: see the `terrane-schema-provider` crate.

fn main() -> std::process::ExitCode {
    terrane_schema_provider::main()
}
