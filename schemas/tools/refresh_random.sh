#!/usr/bin/env bash
# Refresh schemas/random.json from @cdktf/provider-random (version pinned in schemas/include.json).
set -euo pipefail
exec python3 "$(dirname "$0")/refresh_extracted.py" random "$@"
