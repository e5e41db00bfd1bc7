#!/usr/bin/env bash
# Refresh schemas/helm.json from @cdktf/provider-helm (version pinned in schemas/include.json).
set -euo pipefail
exec python3 "$(dirname "$0")/refresh_extracted.py" helm "$@"
