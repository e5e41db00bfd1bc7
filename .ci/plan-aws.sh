#!/usr/bin/env bash
# Superseded by .ci/terraform.sh, which plans every stack of every target (AWS with the
# real provider, Google and Helm through terrane-schema-provider). Kept only until
# .ci/run lists .ci/terraform.sh instead of this file.
set -euo pipefail
exec bash "$(dirname "$0")/terraform.sh" "$@"
