#!/usr/bin/env bash
# Refresh schemas/google.json from @cdktf/provider-google (version pinned in schemas/include.json).
set -euo pipefail
exec python3 "$(dirname "$0")/refresh_extracted.py" google "$@"
