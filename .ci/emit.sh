#!/usr/bin/env bash
# `terrane synth --all --emit atlantis --emit flux` into a scratch folder, and every file
# written checked against the schemas kept in crates/cli/schemas/ (see SOURCE.md there):
# atlantis.yaml against the Atlantis repo-config keys, flux/<target>.yaml against the
# tofu-controller Terraform CRD's OpenAPI schema (unknown fields rejected, as
# kubectl --validate=strict would).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then echo "python3 with jsonschema and PyYAML not found (CI=true)" >&2; exit 1; fi
  echo "SKIPPED: python3 with jsonschema and PyYAML not found"; exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo run -q -p cli --bin terrane -- synth --all --quiet --out "$work/out" --emit-dir "$work" --emit atlantis --emit flux
schemas=crates/cli/schemas
status=0
check() { # label, validate.py arguments
  local label="$1"; shift
  if python3 "$schemas/validate.py" "$@" >"$work/check.txt"; then
    echo "$label: $(cat "$work/check.txt")"
  else
    echo "$label: FAILED"; sed 's/^/  /' "$work/check.txt"; status=1
  fi
}
check atlantis.yaml "$schemas/atlantis-repo-config-v3.schema.json" "$work/atlantis.yaml"
for f in "$work"/flux/*.yaml; do
  check "flux/$(basename "$f")" --strict "$schemas/tofu-controller-terraform-v1alpha2.schema.json" "$f"
done
exit $status
