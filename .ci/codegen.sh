#!/usr/bin/env bash
# Generated resource types: current with schemas/, lint-free, every type's minimal and maximal
# value accepted by the schema check (all services, not only the default features), and (aws)
# by the real provider's `terraform validate` as far as the JSON shape goes.
# (`cargo test --workspace` also runs the freshness check as terrane-codegen's
# generated_code_is_current.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cargo run -q -p terrane-codegen -- --check
# every google type's minimal and maximal value against the committed schema (no google
# provider binary here for terraform validate)
cargo test -q -p terrane-gcp --features full --test tests generated:: >/dev/null
cargo clippy -q -p terrane-codegen -p terrane-aws -p terrane-gcp --all-targets --no-deps -- -D warnings

mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
if command -v terraform >/dev/null && [ -d "$mirror/registry.terraform.io/hashicorp/aws" ]; then
  mkdir -p "$tmp/bodies"
  # every type (feature `full`: 2,142 types, a minimal and a maximal value each); the
  # README's test command builds only the default services
  TERRANE_DUMP_BODIES="$tmp/bodies" cargo test -q -p terrane-aws --features full --test tests generated:: >/dev/null
  cat >"$tmp/cli.tfrc" <<RC
provider_installation {
  filesystem_mirror { path = "$mirror" }
  direct { exclude = ["registry.terraform.io/hashicorp/*"] }
}
RC
  # every type's body passed the schema check above; terraform validate takes about 13
  # minutes of CPU for all 2,142, so CI sends the default services and the issue-16 sample
  # (TERRANE_VALIDATE_FEATURES=full for every type)
  TF_CLI_CONFIG_FILE="$tmp/cli.tfrc" python3 crates/codegen/ci/validate_shapes.py \
    "$tmp/bodies" "$tmp/tf" aws hashicorp/aws 5.100.0 crates/aws/Cargo.toml \
    "${TERRANE_VALIDATE_FEATURES:-default,wafv2,cloudfront,lambda,rds,sqs,dynamodb}"
else
  if [ "${CI:-}" = "true" ]; then echo "terraform validate of generated aws types: terraform or the provider mirror $mirror is missing (CI=true)" >&2; exit 1; fi
  echo "SKIPPED: terraform validate of generated aws types (terraform or the provider mirror $mirror is missing)"
fi
