#!/bin/sh
# Writes base/terraform-outputs.env from the applied Terraform stacks: one
# KEY=VALUE line per line of base/terraform-outputs.keys (KEY STACK OUTPUT).
# usage: sh fetch-terraform-outputs.sh [STACKS_DIR]   (default: the folder above this one,
#        out/<target>/, where each stack's main.tf.json lives in <stack>/)
#        TERRAFORM=tofu sh fetch-terraform-outputs.sh   for OpenTofu (default: terraform)
# Fails, writing nothing, when an output is missing or empty.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
stacks=${1:-$here/..}
terraform=${TERRAFORM:-terraform}
keys="$here/base/terraform-outputs.keys"
tmp="$here/base/.terraform-outputs.env.tmp"
: >"$tmp"
grep -v '^#' "$keys" | while read -r key stack output; do
    [ -n "$key" ] || continue
    value=$("$terraform" -chdir="$stacks/$stack" output -raw "$output") || {
        echo "error: terraform output $output of stack $stack failed" >&2
        rm -f "$tmp"
        exit 1
    }
    if [ -z "$value" ]; then
        echo "error: terraform output $output of stack $stack is empty" >&2
        rm -f "$tmp"
        exit 1
    fi
    printf '%s=%s\n' "$key" "$value" >>"$tmp"
done
[ -f "$tmp" ] || exit 1
mv "$tmp" "$here/base/terraform-outputs.env"
