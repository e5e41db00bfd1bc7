#!/usr/bin/env python3
"""Splits rendered Kubernetes YAML into core kinds and custom resources, and
validates each custom resource against the CRD schema kept in this folder.

usage: validate.py INPUT.yaml CORE_OUT.yaml CHECKOV_OUT.yaml

- CORE_OUT gets the core-kind documents (for kubernetes-validate --strict).
- CHECKOV_OUT gets every document re-serialized by PyYAML: checkov's PyYAML
  loader reads a bare `=` (a valid plain scalar that kustomize emits) as the
  YAML 1.1 `value` tag and gives up on the whole file.
- Custom resources are checked with jsonschema against <group>_<version>_<Kind>.yaml.
  Like the API server's strict field validation, unknown fields are errors:
  every object schema with `properties` and no `additionalProperties` is closed.
Exit status 1 when a custom resource is invalid or has no schema here.
"""
import os
import sys

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CORE_GROUPS = {"", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io"}


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def to_json_schema(s):
    """OpenAPI v3 structural schema -> JSON schema with closed objects."""
    if isinstance(s, list):
        return [to_json_schema(x) for x in s]
    if not isinstance(s, dict):
        return s
    out = {k: to_json_schema(v) for k, v in s.items() if not k.startswith("x-kubernetes-") and k not in ("default", "format")}
    if s.get("x-kubernetes-preserve-unknown-fields"):
        out.pop("type", None) if "properties" not in s else None
        return out
    if s.get("x-kubernetes-int-or-string") and "anyOf" in out:
        # The pattern applies to the string form only.
        pattern = out.pop("pattern", None)
        if pattern:
            out["anyOf"] = [{"type": "integer"}, {"type": "string", "pattern": pattern}]
        out.pop("type", None)
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if s.get("nullable"):
        t = out.get("type")
        if isinstance(t, str):
            out["type"] = [t, "null"]
        out.pop("nullable", None)
    return out


def load_schema(api_version, kind):
    group, _, version = api_version.rpartition("/")
    path = os.path.join(HERE, f"{group}_{version}_{kind}.yaml")
    if not os.path.exists(path):
        return None, path
    with open(path) as f:
        return to_json_schema(yaml.load(f, Loader=Loader)), path


def main():
    src, core_out, checkov_out = sys.argv[1:4]
    with open(src) as f:
        docs = [d for d in yaml.load_all(f, Loader=Loader) if d]
    core, failures, checked = [], 0, 0
    for d in docs:
        api_version, kind = d.get("apiVersion", ""), d.get("kind", "")
        name = f"{kind}/{d.get('metadata', {}).get('namespace', '')}/{d.get('metadata', {}).get('name', '')}"
        group = api_version.rpartition("/")[0]
        if group in CORE_GROUPS:
            core.append(d)
            continue
        schema, path = load_schema(api_version, kind)
        checked += 1
        if schema is None:
            print(f"FAIL {src}: {name} ({api_version}): no CRD schema {os.path.basename(path)}")
            failures += 1
            continue
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(d), key=lambda e: list(e.path))
        for e in errors:
            where = ".".join(str(p) for p in e.path) or "(root)"
            print(f"FAIL {src}: {name}: {where}: {e.message}")
        failures += bool(errors)
    with open(core_out, "w") as f:
        yaml.safe_dump_all(core, f, sort_keys=False)
    with open(checkov_out, "w") as f:
        yaml.safe_dump_all(docs, f, sort_keys=False)
    print(f"{src}: {checked} custom resources checked against CRD schemas, {failures} invalid; {len(core)} core objects")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
