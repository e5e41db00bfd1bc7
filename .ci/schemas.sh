#!/usr/bin/env bash
# Checks of schemas/: the committed provider schemas are fresh and well formed, and the cdktf
# extractor still reproduces the real aws provider schema (tools/compare.py).
# Under CI=true the npm packages are fetched into schemas/.cache/ when missing (about 66 MB);
# otherwise tests that need a missing package print SKIPPED and pass.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. aws.json equals a fresh trim of the real provider (also caches the full schema for step 2)
mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
if command -v terraform >/dev/null && [ -d "$mirror/registry.terraform.io/hashicorp/aws" ]; then
  schemas/tools/refresh_aws.sh "$tmp/aws.json" 2>"$tmp/refresh.log" || { cat "$tmp/refresh.log" >&2; exit 1; }
  if ! diff -u schemas/aws.json "$tmp/aws.json" >"$tmp/aws.diff"; then
    head -40 "$tmp/aws.diff" >&2
    echo "schemas/aws.json is stale: run schemas/tools/refresh_aws.sh" >&2
    exit 1
  fi
  echo "ok: schemas/aws.json matches the real provider"
else
  if [ "${CI:-}" = "true" ]; then echo "aws.json freshness: terraform or the provider mirror $mirror is missing (CI=true)" >&2; exit 1; fi
  echo "SKIPPED: aws.json freshness (terraform or the provider mirror $mirror is missing)"
fi

# 2. unit tests, extractor proof, google/helm freshness
python3 -m unittest discover -s schemas/tools -p 'test_*.py'

# 3. the committed comparison report is what the tools produce now
pkg="schemas/.cache/cdktf-provider-aws-20.1.0/package"
full="$(ls schemas/.cache/aws-*-schema.json 2>/dev/null | head -1 || true)"
if [ -d "$pkg" ] && [ -n "$full" ]; then
  python3 schemas/tools/compare.py --write-report --report-out "$tmp/report.md"
  if ! diff -u schemas/tools/compare_report.md "$tmp/report.md" >"$tmp/report.diff"; then
    head -40 "$tmp/report.diff" >&2
    echo "schemas/tools/compare_report.md is stale: run python3 schemas/tools/compare.py --write-report" >&2
    exit 1
  fi
  echo "ok: compare_report.md is current"
else
  echo "SKIPPED: compare_report.md freshness (aws package or full schema not cached)"
fi
