#!/usr/bin/env bash
# `terrane get`: generates hashicorp/random's crate from the committed schemas/random.json,
# builds it in its own target dir, and runs its generated schema tests (every type's minimal
# and maximal value) and the proof program crates/cli/tests/get/random_use.rs (a typed
# random_password synthesizes; the schema check is on with no call). Then generates random
# from its cdktf package (the committed .tgz: the extractor end to end, offline) and, when npm
# reaches the registry, from `npm pack` (same output); without npm or network that last part
# prints SKIPPED, also under CI=true.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
# the generated crate's own target dir goes too (about a GB; CI's disk is limited)
trap 'rm -rf "$tmp" "$root/target/get-ci"' EXIT
export CARGO_INCREMENTAL=0

cargo build -q -p cli --bin terrane
terrane="$root/target/debug/terrane"
"$terrane" get random --from-schema schemas/random.json --out "$tmp/random"
cp crates/cli/tests/get/random_use.rs "$tmp/random/tests/use_it.rs"
# its own target dir: the generated crate is a workspace of its own (its profile differs)
CARGO_TARGET_DIR="$root/target/get-ci" cargo test -q --manifest-path "$tmp/random/Cargo.toml"

# the package path, offline: the committed package (crates/codegen/tests/fixtures)
"$terrane" get random --from-cdktf-package crates/codegen/tests/fixtures/cdktf-provider-random-12.0.1.tgz \
  --out "$tmp/random-pkg"
grep -q 'pub struct Password {' "$tmp/random-pkg/src/generated/password/password.rs"
# and fetched with npm pack, when npm reaches the registry
if command -v npm >/dev/null && npm view @cdktf/provider-random@12.0.1 version >/dev/null 2>&1; then
  "$terrane" get random --from-cdktf-package @cdktf/provider-random@12.0.1 --out "$tmp/random-npm"
  diff -r "$tmp/random-pkg" "$tmp/random-npm"
else
  echo "SKIPPED: npm or the npm registry not found (terrane get --from-cdktf-package NAME@VERSION)"
fi
