//! `terrane-schema-provider NAME SCHEMA_FILE`: started by terraform (through a
//! `dev_overrides` wrapper script), serves provider NAME from SCHEMA_FILE.

fn main() -> std::process::ExitCode {
    terrane_schema_provider::main()
}
