//! The integration tests of terrane-codegen, in one binary.

use terrane_codegen::{run, workspace_root, Mode, CRATES};

/// Fails when regenerating from `schemas/` would change any committed file
/// (generated sources, generated tests, the feature list in Cargo.toml).
#[test]
fn generated_code_is_current() {
    let crates: Vec<&str> = CRATES.iter().map(|(c, _)| *c).collect();
    let changed = match run(&workspace_root(), &crates, Mode::Check) {
        Ok(c) => c,
        Err(e) => panic!("codegen failed: {e}"),
    };
    assert!(
        changed.is_empty(),
        "generated code is stale; run `cargo run -p terrane-codegen` and commit:\n{}",
        changed.join("\n")
    );
}
