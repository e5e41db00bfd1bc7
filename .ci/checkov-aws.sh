#!/usr/bin/env bash
# checkov on every synthesized stack of the AWS targets (eks-prod, eks-staging,
# fargate-prod). No failed check is allowed; skips live in .checkov/aws.yaml, each
# with its reason.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-out}"
source .ci/tf/common.sh
checkov="$(command -v checkov || true)"
[ -n "$checkov" ] || checkov="$root/.ci/work/venv/bin/checkov"
[ -x "$checkov" ] || { echo "checkov not found (pip install -r .ci/requirements.txt)" >&2; exit 1; }
files=()
for target in "${AWS_TARGETS[@]}"; do
  [ -f "$out/$target/manifest.json" ] || { echo "missing $out/$target (run synth first)" >&2; exit 1; }
  for f in "$out/$target"/*/main.tf.json; do files+=("$f"); done
done
args=()
for f in "${files[@]}"; do args+=(-f "$f"); done
echo "checkov on ${#files[@]} stacks"
timeout 900 "$checkov" --config-file .checkov/aws.yaml "${args[@]}"
