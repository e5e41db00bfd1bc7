#!/usr/bin/env bash
# terraform plan for every stack of every AWS target, offline, with fake credentials.
#
# Each stack is planned in a scratch copy of out/ with `.ci/tf/aws_override.py plan`
# beside it: fake credentials, every AWS endpoint pointed at a closed local port (no
# call can leave the machine), local state instead of the S3 backend. A stack reading
# another stack's outputs (terraform_remote_state) is planned in manifest order
# against the documented test backend: a local state file holding its producer's
# outputs with placeholder values of the right shape (`aws_override.py fake-state`).
# .ci/moto.sh plans and applies the same consumers against real, moto-applied state.
# A stack needing a provider that is not in the local mirror (the helm provider of
# the `platform` stacks) cannot be planned here; it is listed, and left to the
# offline schema check at synth.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-out}"
source .ci/tf/common.sh
if ! command -v terraform >/dev/null; then
  if [ "${CI:-}" = "true" ]; then echo "terraform not found (CI=true)" >&2; exit 1; fi
  echo "SKIPPED: terraform not found"; exit 0
fi
work="$(mktemp -d)"
# A local STS answering GetCallerIdentity only (data.aws_caller_identity, allowed_account_ids).
sts_port=$(( 20000 + $$ % 20000 ))
python3 .ci/tf/aws_override.py fake-sts "$sts_port" & sts_pid=$!
trap 'kill $sts_pid 2>/dev/null; rm -rf "$work"' EXIT
export TERRANE_FAKE_STS="http://127.0.0.1:$sts_port"
tf_setup "$work"

planned=(); unplannable=(); failed=()
jobs=()
for target in "${AWS_TARGETS[@]}"; do
  [ -f "$out/$target/manifest.json" ] || { echo "missing $out/$target (run synth first)" >&2; exit 1; }
  cp -r "$out/$target" "$work/$target"
  while read -r stack producers; do
    dir="$work/$target/$stack"
    missing="$(missing_providers "$dir/main.tf.json")"
    if [ -n "$missing" ]; then
      unplannable+=("$target/$stack (needs $(echo $missing | tr ' ' ','), not in $mirror)")
      continue
    fi
    python3 .ci/tf/aws_override.py fake-state "$dir/main.tf.json" "$work/$target/$stack.fake.tfstate"
    remotes=()
    for p in ${producers//,/ }; do remotes+=("$p=$work/$target/$p.fake.tfstate"); done
    python3 .ci/tf/aws_override.py plan "$dir" "${remotes[@]}"
    # init one at a time (they share the plugin cache), plan two at a time
    tf -chdir="$dir" init -input=false -no-color >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; failed+=("$target/$stack (init)"); continue; }
    jobs+=("$target/$stack")
  done < <(stacks_of "$work/$target")
done

plan_one() {
  local dir="$work/$1"
  export_secret_vars "$dir"
  if tf -chdir="$dir" plan -input=false -lock=false -no-color -out="$dir/plan.bin" >"$dir/plan.log" 2>&1; then
    echo "ok   $1: $(grep -E '^Plan:' "$dir/plan.log" || echo 'no changes')"
  else
    echo "FAIL $1"; tail -40 "$dir/plan.log"; return 1
  fi
}
export -f plan_one export_secret_vars tf
export work
if ! printf '%s\n' "${jobs[@]}" | xargs -P 2 -I{} bash -c 'plan_one "$@"' _ {}; then
  failed+=("see above")
fi
echo "planned ${#jobs[@]} stacks"
for u in "${unplannable[@]}"; do echo "not planned: $u"; done
if [ ${#failed[@]} -gt 0 ]; then echo "plan failed: ${failed[*]}" >&2; exit 1; fi
echo "terraform plan: ok"
