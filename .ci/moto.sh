#!/usr/bin/env bash
# Applies and destroys AWS stacks for real against a local moto server, in manifest
# order: every stack of `fargate-prod`, and the network, cluster and data stacks of
# `eks-staging` (the cluster is applied because data's security groups and IRSA roles
# read its outputs). Every command is bounded by `timeout`; moto listens on
# 127.0.0.1 and is stopped by PID.
#
# How stacks are pointed at moto (`.ci/tf/aws_override.py moto`): in a scratch copy of
# out/, an override file beside each main.tf.json sets the aws provider's endpoints
# to moto with fake credentials, replaces the S3 backend by local state, reads each
# terraform_remote_state from the producer's state just applied here, and turns
# prevent_destroy and deletion protection off so destroy can run. Resource types
# moto cannot serve are listed, with the reason, in one place: PLAN_ONLY (and
# PLAN_ONLY_REFS) in .ci/tf/aws_override.py; they, and what refers to them, are
# pruned from the scratch copy (each is printed) and stay covered by
# .ci/plan-aws.sh. The synthesized files are unchanged.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-out}"
source .ci/tf/common.sh

APPLY=(
  "fargate-prod:network"
  "fargate-prod:app"
  "fargate-prod:observability"
  "eks-staging:network"
  "eks-staging:cluster"
  "eks-staging:data"
)

for tool in moto_server terraform; do
  if ! command -v "$tool" >/dev/null; then
    if [ "${CI:-}" = "true" ]; then echo "$tool not found (CI=true)" >&2; exit 1; fi
    echo "SKIPPED: $tool not found"; exit 0
  fi
done

work="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  if [ -n "${KEEP_WORK:-}" ]; then echo "scratch kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
tf_setup "$work"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
# ACM marks a requested certificate issued after this many seconds (as if DNS-validated).
# AWS managed policies (AmazonEKSClusterPolicy, ...) exist only when loaded.
MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ACM_VALIDATION_WAIT=1 timeout 3600 moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 50); do
  if curl -sf -m 2 "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -sf -m 2 "http://127.0.0.1:$port/moto-api/" >/dev/null || { echo "moto did not start" >&2; cat "$work/moto.log" >&2; exit 1; }
echo "moto on 127.0.0.1:$port (pid $moto_pid)"
endpoint="http://127.0.0.1:$port"

# Each target is applied in manifest order and destroyed in reverse before the next
# one, each against a freshly reset moto: moto ignores some filters the provider
# uses to find one object (RDS by resource id), so two targets' databases must not
# coexist.
apply_stack() { # target stack
  local target="$1" stack="$2" dir="$work/$1/$2" producers p
  producers="$(stacks_of "$work/$target" | awk -v s="$stack" '$1==s {print $2}')"
  local remotes=()
  for p in ${producers//,/ }; do
    [ -f "$work/$target/$p/terraform.tfstate" ] || { echo "producer $target/$p not applied: fix the APPLY order" >&2; exit 1; }
    remotes+=("$p=$work/$target/$p/terraform.tfstate")
  done
  echo "--- apply $target/$stack"
  python3 .ci/tf/aws_override.py moto "$dir" "$endpoint" "${remotes[@]}"
  export_secret_vars "$dir"
  tf -chdir="$dir" init -input=false -no-color >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }
  if ! tf -chdir="$dir" apply -input=false -auto-approve -no-color >"$dir/apply.log" 2>&1; then
    tail -60 "$dir/apply.log"; exit 1
  fi
  grep -E "^Apply complete" "$dir/apply.log"
}
destroy_stack() { # target stack
  local dir="$work/$1/$2"
  echo "--- destroy $1/$2"
  export_secret_vars "$dir"
  if ! tf -chdir="$dir" destroy -input=false -auto-approve -no-color >"$dir/destroy.log" 2>&1; then
    tail -60 "$dir/destroy.log"; exit 1
  fi
  grep -E "^Destroy complete" "$dir/destroy.log"
}

count=0
for target in $(printf '%s\n' "${APPLY[@]}" | cut -d: -f1 | awk '!seen[$0]++'); do
  [ -f "$out/$target/manifest.json" ] || { echo "missing $out/$target (run synth first)" >&2; exit 1; }
  cp -r "$out/$target" "$work/$target"
  curl -sf -m 10 -X POST "$endpoint/moto-api/reset" >/dev/null
  stacks=()
  for spec in "${APPLY[@]}"; do [ "${spec%%:*}" = "$target" ] && stacks+=("${spec#*:}"); done
  for stack in "${stacks[@]}"; do apply_stack "$target" "$stack"; count=$((count+1)); done
  for (( i=${#stacks[@]}-1; i>=0; i-- )); do destroy_stack "$target" "${stacks[$i]}"; done
done
echo "moto apply/destroy: ok ($count stacks)"
