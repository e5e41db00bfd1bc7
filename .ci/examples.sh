#!/usr/bin/env bash
# Runs every program of examples/ (examples/README.md lists them): each synthesizes its
# `dev` target; the Terraform ones then go through real `terraform init/validate/plan`
# (`validate --terraform`), the Kubernetes one through .ci/k8s.sh. module_call only
# synthesizes: its `terraform init` downloads the registry module, and CI is offline.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cargo build -q -p terrane-examples --examples
cargo build -q -p cli --bin terrane-schema-provider
export PATH="$root/target/debug:$PATH"
bin="$root/target/debug/examples"

for example in typed_aws cross_stack for_each module_call kubernetes; do
  echo "--- examples/$example.rs"
  "$bin/$example" synth dev --out "$tmp/$example"
  case "$example" in
    module_call) ;;
    *) "$bin/$example" validate --terraform dev --from "$tmp/$example" ;;
  esac
done
bash .ci/k8s.sh "$tmp/kubernetes/dev/k8s"
