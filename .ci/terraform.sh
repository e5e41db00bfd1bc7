#!/usr/bin/env bash
# terraform init, validate and plan for every stack of every target, offline:
# `terrane validate --terraform --all --from out`. Each stack is checked in a scratch
# copy (local state, fake credentials, aws endpoints on a closed local port, producers'
# outputs from placeholder state files), with the real provider where the filesystem
# mirror has it (TERRANE_TF_PLUGIN_MIRROR, default /opt/tf-plugins) and
# terrane-schema-provider serving schemas/<name>.json otherwise (google, helm), through a
# dev_overrides CLI configuration in the scratch folder. One line per stack.
# It replaced the per-platform plan script (plan-aws.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-out}"
source .ci/tf/common.sh
require_tools terraform
# both binaries: terrane finds terrane-schema-provider beside itself
cargo build -q -p cli --bins
start=$(date +%s)
cargo run -q -p cli --bin terrane -- validate --terraform --all --from "$out"
echo "terraform validate and plan: ok ($(( $(date +%s) - start ))s)"
