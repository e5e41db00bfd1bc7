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
# .ci/terraform.sh (terrane validate --terraform). The synthesized files are unchanged.
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
cleanup() {
  local f
  for f in "$work"/*.moto.pid; do
    [ -f "$f" ] || continue
    local pid; pid="$(cat "$f")"
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ -n "${KEEP_WORK:-}" ]; then echo "scratch kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
tf_setup "$work"

apply_stack() { # target stack endpoint
  local target="$1" stack="$2" endpoint="$3" dir="$work/$1/$2" producers p
  producers="$(stacks_of "$work/$target" | awk -v s="$stack" '$1==s {print $2}')"
  local remotes=()
  for p in ${producers//,/ }; do
    [ -f "$work/$target/$p/terraform.tfstate" ] || { echo "producer $target/$p not applied: fix the APPLY order" >&2; return 1; }
    remotes+=("$p=$work/$target/$p/terraform.tfstate")
  done
  echo "--- apply $target/$stack"
  python3 .ci/tf/aws_override.py moto "$dir" "$endpoint" "${remotes[@]}" 2>&1
  export_secret_vars "$dir"
  tf -chdir="$dir" init -input=false -no-color >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; return 1; }
  if ! tf -chdir="$dir" apply -input=false -auto-approve -no-color >"$dir/apply.log" 2>&1; then
    tail -60 "$dir/apply.log"; return 1
  fi
  grep -E "^Apply complete" "$dir/apply.log"
}

destroy_stack() { # target stack
  local dir="$work/$1/$2"
  echo "--- destroy $1/$2"
  export_secret_vars "$dir"
  if ! tf -chdir="$dir" destroy -input=false -auto-approve -no-color >"$dir/destroy.log" 2>&1; then
    tail -60 "$dir/destroy.log"; return 1
  fi
  grep -E "^Destroy complete" "$dir/destroy.log"
}

# One target against its own moto server: its stacks applied in manifest order, then
# destroyed in reverse. (One moto per target: moto ignores some filters the provider
# uses to find one object, RDS by resource id, so two targets' databases must not
# share a server.)
run_target() { # target
  local target="$1" port endpoint stack i
  # Targets run in parallel; terraform's plugin cache is not safe for concurrent
  # installs, so each target gets its own CLI config and cache (this subshell only).
  tf_setup "$work/$target.tf"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  # AWS managed policies (AmazonEKSClusterPolicy, ...) exist only when loaded; ACM
  # marks a requested certificate issued after a second (as if DNS-validated).
  MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ACM_VALIDATION_WAIT=1 \
    timeout 1800 moto_server -H 127.0.0.1 -p "$port" >"$work/$target.moto.log" 2>&1 &
  echo $! >"$work/$target.moto.pid"
  endpoint="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -sf -m 2 "$endpoint/moto-api/" >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  curl -sf -m 2 "$endpoint/moto-api/" >/dev/null || { echo "moto did not start"; cat "$work/$target.moto.log"; return 1; }
  echo "moto for $target on $endpoint (pid $(cat "$work/$target.moto.pid"))"
  cp -r "$out/$target" "$work/$target"
  local stacks=()
  for spec in "${APPLY[@]}"; do [ "${spec%%:*}" = "$target" ] && stacks+=("${spec#*:}"); done
  for stack in "${stacks[@]}"; do apply_stack "$target" "$stack" "$endpoint" || return 1; done
  for (( i=${#stacks[@]}-1; i>=0; i-- )); do destroy_stack "$target" "${stacks[$i]}" || return 1; done
  echo "$target: ${#stacks[@]} stacks applied and destroyed"
}

targets=$(printf '%s\n' "${APPLY[@]}" | cut -d: -f1 | awk '!seen[$0]++')
pids=()
for target in $targets; do
  [ -f "$out/$target/manifest.json" ] || { echo "missing $out/$target (run synth first)" >&2; exit 1; }
  run_target "$target" >"$work/$target.log" 2>&1 &
  pids+=("$target:$!")
done
status=0
for tp in "${pids[@]}"; do
  target="${tp%%:*}"
  if ! wait "${tp#*:}"; then status=1; fi
  cat "$work/$target.log"
done
[ $status -eq 0 ] || { echo "moto apply/destroy: FAILED" >&2; exit 1; }
echo "moto apply/destroy: ok (${#APPLY[@]} stacks)"
