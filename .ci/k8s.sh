#!/usr/bin/env bash
# Validates rendered Kubernetes manifests (a kustomize base plus overlays).
# usage: .ci/k8s.sh [DIR...]
#   DIR holds base/ and overlays/<name>/, as terrane-k8s writes them. Without DIR: every
#   out/*/k8s of the last synth, or, when there is none, the reference platform rendered by
#   `cargo run -p terrane-stacks --example render_platform`.
#
# For each overlay: `kubectl kustomize`, then `kubernetes-validate --strict` on core kinds,
# the CRD objects against the schemas in crates/k8s/crds/, and `checkov` with
# crates/k8s/.checkov.yaml. A missing tool prints `SKIPPED: <tool> not found`;
# under CI=true it fails instead.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Keep in step with KUBERNETES_VERSION in crates/k8s/src/lib.rs (k8s-openapi feature).
K8S_VERSION=1.35.0
CRDS="$ROOT/crates/k8s/crds"
PYTHON=${PYTHON:-python3}
TOP=$(mktemp -d)
trap 'rm -rf "$TOP"' EXIT

passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*"; failed=$((failed + 1)); }
missing() {
    if [ "${CI:-}" = "true" ]; then
        bad "$1 not found (required when CI=true)"
    else
        echo "SKIPPED: $1 not found"
    fi
}
have() { command -v "$1" >/dev/null 2>&1; }

validate_dir() {
    local dir=$1 work name o built core
    work=$(mktemp -d -p "$TOP")
    echo "--- $dir"
    cp -r "$dir" "$work/k8s"

    # At deploy, fetch-terraform-outputs.sh writes base/terraform-outputs.env from
    # `terraform output`. Validation has no apply: a stand-in `terraform` answers every
    # output with a recognizable sample value, so the script itself is exercised.
    if [ -f "$work/k8s/fetch-terraform-outputs.sh" ]; then
        mkdir -p "$work/fakebin"
        printf '#!/bin/sh\n# terraform -chdir=DIR output -raw NAME\nprintf "validation-sample-%%s" "$4"\n' >"$work/fakebin/terraform"
        chmod +x "$work/fakebin/terraform"
        if PATH="$work/fakebin:$PATH" sh "$work/k8s/fetch-terraform-outputs.sh" "$work"; then
            ok "fetch-terraform-outputs.sh wrote base/terraform-outputs.env ($(wc -l <"$work/k8s/base/terraform-outputs.env") keys)"
        else
            bad "fetch-terraform-outputs.sh"
        fi
    fi

    mkdir -p "$work/built" "$work/core" "$work/checkov"
    local overlays=()
    for o in "$work"/k8s/overlays/*/; do
        [ -d "$o" ] && overlays+=("$(basename "$o")")
    done
    [ ${#overlays[@]} -gt 0 ] || bad "no overlays under $dir/overlays"

    if have kubectl; then
        for name in "${overlays[@]}"; do
            if kubectl kustomize "$work/k8s/overlays/$name" >"$work/built/$name.yaml" 2>"$work/built/$name.err"; then
                ok "kubectl kustomize overlays/$name ($(grep -c '^kind:' "$work/built/$name.yaml") objects)"
            else
                bad "kubectl kustomize overlays/$name: $(cat "$work/built/$name.err")"
                rm -f "$work/built/$name.yaml"
            fi
        done
    else
        missing kubectl
        # Without kustomize, validate the base as written.
        for o in "$work"/k8s/base/*.yaml; do
            [ "$(basename "$o")" = kustomization.yaml ] || { cat "$o"; echo; }
        done >"$work/built/base.yaml"
    fi

    if have "$PYTHON" && "$PYTHON" -c 'import yaml, jsonschema' 2>/dev/null; then
        for built in "$work"/built/*.yaml; do
            [ -f "$built" ] || continue
            name=$(basename "$built" .yaml)
            if "$PYTHON" "$CRDS/validate.py" "$built" "$work/core/$name.yaml" "$work/checkov/$name.yaml"; then
                ok "CRD objects of $name match crates/k8s/crds schemas"
            else
                bad "CRD objects of $name do not match crates/k8s/crds schemas"
            fi
        done
    else
        missing "jsonschema (python module, with PyYAML)"
        for built in "$work"/built/*.yaml; do
            [ -f "$built" ] && cp "$built" "$work/core/" && cp "$built" "$work/checkov/"
        done
    fi

    if have kubernetes-validate; then
        for core in "$work"/core/*.yaml; do
            [ -f "$core" ] || continue
            name=$(basename "$core" .yaml)
            if out=$(kubernetes-validate --strict --quiet -k "$K8S_VERSION" "$core" 2>&1); then
                ok "kubernetes-validate --strict -k $K8S_VERSION ($name core kinds)"
            else
                bad "kubernetes-validate --strict -k $K8S_VERSION ($name): $out"
            fi
        done
    else
        missing kubernetes-validate
    fi

    if have checkov; then
        if ls "$work"/checkov/*.yaml >/dev/null 2>&1; then
            if out=$(cd "$work/checkov" && checkov --config-file "$ROOT/crates/k8s/.checkov.yaml" -d . 2>&1); then
                ok "checkov --framework kubernetes ($(echo "$out" | grep -o 'Passed checks: [0-9]*, Failed checks: [0-9]*, Skipped checks: [0-9]*' | head -1))"
            else
                bad "checkov --framework kubernetes:"
                # checkov also prints tracebacks of its attempt to reach its (offline) platform.
                echo "$out" | grep -v -i -E 'prismacloud|urllib3|Traceback|^\s+File |^\s+\^|raise |Error\(' | tail -80
            fi
        fi
    else
        missing checkov
    fi
}

dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
    for d in "$ROOT"/out/*/k8s; do
        [ -d "$d" ] && dirs+=("$d")
    done
fi
if [ ${#dirs[@]} -eq 0 ]; then
    echo "no out/*/k8s: rendering the reference platform"
    if (cd "$ROOT" && cargo run -q -p terrane-stacks --example render_platform -- "$TOP/platform"); then
        dirs=("$TOP/platform")
    else
        bad "cargo run -p terrane-stacks --example render_platform"
    fi
fi
for d in "${dirs[@]}"; do
    validate_dir "$d"
done

echo "k8s: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
