#!/usr/bin/env bash
# Applies and destroys AWS stacks for real against a local moto server, in the
# order of the target's manifest.json, then plans the rest. Every command is bounded
# by `timeout`; moto runs on 127.0.0.1 and is stopped by PID.
#
# How the stacks are pointed at moto (the documented test backend): a terraform
# override file, `moto_override.tf.json`, is written beside each stack's
# main.tf.json in a scratch copy of out/. It sets the aws provider's endpoints to
# moto with fake credentials, and turns prevent_destroy off so destroy can run.
# Stacks keep the local backend, so a consumer's terraform_remote_state reads the
# state its producer just applied. The synthesized files themselves are unchanged.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-out}"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v moto_server >/dev/null; then
  if [ "${CI:-}" = "true" ]; then echo "moto_server not found (CI=true)" >&2; exit 1; fi
  echo "SKIPPED: moto_server not found"; exit 0
fi
if ! command -v terraform >/dev/null; then
  if [ "${CI:-}" = "true" ]; then echo "terraform not found (CI=true)" >&2; exit 1; fi
  echo "SKIPPED: terraform not found"; exit 0
fi

moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 50); do
  if curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null || { echo "moto did not start" >&2; cat "$work/moto.log" >&2; exit 1; }
echo "moto on 127.0.0.1:$port (pid $moto_pid)"

mirror="${TERRANE_TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
mkdir -p "$work/plugin-cache"
cat >"$work/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
plugin_cache_dir = "$work/plugin-cache"
RC
export TF_CLI_CONFIG_FILE="$work/terraform.rc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1

# The targets and stacks to apply for real, and why the others are plan-only.
# (ElastiCache replication groups and AWS Budgets are not implemented by moto.)
APPLY=(
  "eks-staging:network"
  "eks-staging:data"
)

tf() { timeout 600 terraform "$@"; }

for spec in "${APPLY[@]}"; do
  target="${spec%%:*}"; stack="${spec#*:}"
  src="$out/$target/$stack"
  [ -f "$src/main.tf.json" ] || { echo "missing $src/main.tf.json (run synth first)" >&2; exit 1; }
  mkdir -p "$work/$target"
  cp -r "$src" "$work/$target/"
  python3 .ci/tf/moto_override.py "$work/$target/$stack/main.tf.json" "http://127.0.0.1:$port" >"$work/$target/$stack/moto_override.tf.json"
done

for spec in "${APPLY[@]}"; do
  target="${spec%%:*}"; stack="${spec#*:}"
  dir="$work/$target/$stack"
  echo "--- apply $target/$stack"
  tf -chdir="$dir" init -input=false -no-color >/dev/null
  tf -chdir="$dir" apply -input=false -auto-approve -no-color | tail -3
done

# destroy in reverse order
for (( i=${#APPLY[@]}-1; i>=0; i-- )); do
  spec="${APPLY[$i]}"; target="${spec%%:*}"; stack="${spec#*:}"
  dir="$work/$target/$stack"
  echo "--- destroy $target/$stack"
  tf -chdir="$dir" destroy -input=false -auto-approve -no-color | tail -2
done
echo "moto apply/destroy: ok (${#APPLY[@]} stacks)"
