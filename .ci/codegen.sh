#!/usr/bin/env bash
# Generated resource types: current with schemas/, and lint-free.
# (`cargo test --workspace` also runs the --check as terrane-codegen's generated_code_is_current.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q -p terrane-codegen -- --check
cargo clippy -q -p terrane-codegen -p terrane-aws -p terrane-gcp --all-targets --no-deps -- -D warnings
