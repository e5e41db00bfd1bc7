#!/usr/bin/env bash
# `terrane apply` then `terrane destroy`, for real, against a local moto server, with
# `--backend local`: every stack of `fargate-prod` and `fargate-staging`, and the network, cluster and data
# stacks of `eks-staging` (the cluster is applied because data's security groups and
# IRSA roles read its outputs). terrane orders the stacks, runs independent ones at
# once, keeps each stack's state in <copy>/<target>/.state/ and points each
# terraform_remote_state read at its producer's local state.
#
# How stacks are pointed at moto: terrane's `--prepare` hook runs
# `.ci/tf/aws_override.py moto` in each stack's working copy before init (aws endpoints
# to moto with fake credentials; prevent_destroy and deletion protection off). Resource
# types moto cannot serve are listed, with the reason, in one place: PLAN_ONLY (and
# PLAN_ONLY_REFS) in .ci/tf/aws_override.py; they, and what refers to them, are pruned
# from the working copy (each is printed) and stay covered by .ci/terraform.sh
# (terrane validate --terraform). The synthesized files are unchanged: terrane runs on a
# scratch copy of out/<target> (`--no-synth --out`). Every command is bounded by
# `timeout`; moto listens on 127.0.0.1 and is stopped by PID.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-out}"
source .ci/tf/common.sh

# target, then the --stack options (none: every stack)
RUNS=(
  "fargate-prod"
  "fargate-staging"
  "eks-staging --stack network --stack cluster --stack data"
)

require_tools moto_server terraform
cargo build -q -p cli --bin terrane
terrane="$root/target/debug/terrane"

work="$(mktemp -d)"
cleanup() {
  local f
  for f in "$work"/*.moto.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ -n "${KEEP_WORK:-}" ]; then echo "scratch kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# One target against its own moto server: apply, then destroy. (One moto per target:
# moto ignores some filters the provider uses to find one object, RDS by resource id,
# so two targets' databases must not share a server.)
run_target() { # target [--stack NAME...]
  local target="$1"; shift
  local port endpoint dir
  # Targets run in parallel; terraform's plugin cache is not safe for concurrent
  # installs, so each target gets its own CLI config and cache (terrane serializes
  # the inits of one target).
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
  mkdir -p "$work/out"
  cp -r "$out/$target" "$work/out/$target"
  # placeholder values for the secrets supplied at apply (TF_VAR_<name>)
  for dir in "$work/out/$target"/*/; do
    [ -f "$dir/main.tf.json" ] && export_secret_vars "$dir"
  done
  local common=(--out "$work/out" --no-synth --backend local --no-k8s --auto-approve --plain
    --prepare "python3 $root/.ci/tf/aws_override.py moto \"\$TERRANE_STACK_DIR\" $endpoint")
  timeout 1800 "$terrane" apply "$target" "$@" "${common[@]}" || return 1
  timeout 1800 "$terrane" destroy "$target" "$@" "${common[@]}" || return 1
  echo "$target: applied and destroyed"
}

pids=()
for spec in "${RUNS[@]}"; do
  target="${spec%% *}"
  [ -f "$out/$target/manifest.json" ] || { echo "missing $out/$target (run synth first)" >&2; exit 1; }
  # shellcheck disable=SC2086 # the --stack options split on purpose
  run_target $spec >"$work/$target.log" 2>&1 &
  pids+=("$target:$!")
done
status=0
for tp in "${pids[@]}"; do
  target="${tp%%:*}"
  if ! wait "${tp#*:}"; then status=1; fi
  cat "$work/$target.log"
done
[ $status -eq 0 ] || { echo "moto apply/destroy: FAILED" >&2; exit 1; }
echo "moto apply/destroy: ok (${#RUNS[@]} targets)"
