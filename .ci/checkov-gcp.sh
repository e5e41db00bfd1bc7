#!/usr/bin/env bash
# checkov on every synthesized stack of the GCP production target (out/prod).
# No failed check is allowed; skips live in .checkov/gcp.yaml, each with its reason.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
checkov="$(command -v checkov || true)"
[ -n "$checkov" ] || checkov="$root/.ci/work/venv/bin/checkov"
[ -x "$checkov" ] || { echo "checkov not found (pip install -r .ci/requirements.txt)" >&2; exit 1; }
if [ ! -f out/prod/manifest.json ]; then
  cargo run -q -p cli -- synth prod
fi
status=0
for stack in out/prod/*/; do
  file="${stack%/}/main.tf.json"
  [ -f "$file" ] || continue
  echo "--- checkov: $file"
  if ! "$checkov" --config-file .checkov/gcp.yaml -f "$file"; then
    status=1
  fi
done
exit $status
