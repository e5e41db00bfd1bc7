#!/usr/bin/env bash
# Refresh schemas/aws.json from the real provider: `terraform providers schema -json` of
# hashicorp/aws (version from include.json), trimmed to the include list.
# The provider comes from a filesystem mirror (default /opt/tf-plugins, override with
# TF_PLUGIN_MIRROR); nothing is downloaded. The untrimmed schema is kept in
# schemas/.cache/aws-<version>-schema.json for tools/compare.py.
# Usage: schemas/tools/refresh_aws.sh [OUT]   (default schemas/aws.json)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
schemas="$(dirname "$here")"
out="${1:-$schemas/aws.json}"
mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
version="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["aws"]["version"])' "$schemas/include.json")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
TFRC
cat >"$work/main.tf" <<TF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "$version" }
  }
}
TF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
terraform -chdir="$work" init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; exit 1; }
terraform -chdir="$work" providers schema -json >"$work/schema.json"
mkdir -p "$schemas/.cache"
cp "$work/schema.json" "$schemas/.cache/aws-$version-schema.json"
python3 "$here/trim.py" --provider aws --in "$work/schema.json" --out "$out" \
  --extracted-from "terraform providers schema -json" \
  --overrides "$schemas/overrides/aws.json"
