#!/usr/bin/env python3
"""Trim a `terraform providers schema -json` document to the include list, apply overrides, write it.

Usage: trim.py --provider google --in FULL.json --out schemas/google.json --extracted-from TEXT
               [--include schemas/include.json] [--overrides schemas/overrides/google.json]

The output is the providers-schema shape with only the included resource and data source types and
the provider config block, plus a top-level "terrane" key saying where it came from. Keys sorted,
2-space indent, so rerunning gives identical bytes. Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.dirname(HERE)

KINDS = {
    "resources": "resource_schemas",
    "data_sources": "data_source_schemas",
    "ephemeral_resources": "ephemeral_resource_schemas",
}


class TrimError(Exception):
    pass


def address(source: str) -> str:
    return f"registry.terraform.io/{source}"


def listed(entry: dict, key: str, available: dict) -> list[str]:
    """The names include.json lists under `key`: `"*"` stands for every type the provider has."""
    names = entry[key]
    return sorted(available) if names == "*" else names


def wanted(entry: dict, key: str, name: str) -> bool:
    """Whether include.json's `key` list (or `"*"`) takes the type `name`."""
    names = entry.get(key, [])
    return names == "*" or name in names


def trim(doc: dict, entry: dict) -> dict:
    """The provider schema of `entry` (an include.json provider entry) restricted to its types."""
    addr = address(entry["source"])
    try:
        full = doc["provider_schemas"][addr]
    except KeyError:
        raise TrimError(f"{addr} not in input (has {sorted(doc.get('provider_schemas', {}))})") from None
    out = {"provider": copy.deepcopy(full["provider"])}
    missing = []
    for key, kind in KINDS.items():
        if key not in entry:
            continue  # ephemeral_resources: only where include.json lists some
        out[kind] = {}
        for name in listed(entry, key, full.get(kind, {})):
            if name not in full.get(kind, {}):
                missing.append(f"{kind}:{name}")
                continue
            out[kind][name] = copy.deepcopy(full[kind][name])
    functions = full.get("functions", {})
    for name in entry.get("functions", []):
        if name not in functions:
            missing.append(f"functions:{name}")
            continue
        out.setdefault("functions", {})[name] = copy.deepcopy(functions[name])
    if missing:
        raise TrimError(f"included types not in the provider schema: {missing}")
    return out


def _find(block: dict, path: list[str], where: str):
    """Return (container dict, key, is_block) for a dotted path inside a block."""
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if part in block.get("attributes", {}) and last:
            return block["attributes"], part, False
        if part in block.get("attributes", {}) and "nested_type" in block["attributes"][part]:
            block = block["attributes"][part]["nested_type"]
            continue
        if part in block.get("block_types", {}):
            if last:
                return block["block_types"], part, True
            block = block["block_types"][part]["block"]
            continue
        raise TrimError(f"override path {where}: {part!r} not found")
    raise TrimError(f"override path {where} is empty")


def block_object_type(block: dict):
    fields = {k: a["type"] for k, a in block.get("attributes", {}).items()}
    for k, bt in block.get("block_types", {}).items():
        inner = block_object_type(bt["block"])
        fields[k] = inner if bt["nesting_mode"] == "single" else [bt["nesting_mode"], inner]
    return ["object", fields]


def block_to_nested(bt: dict) -> dict:
    """A nested block as a nested attribute (plugin framework), its own nested blocks likewise."""
    attributes = dict(bt["block"].get("attributes", {}))
    for name, inner in bt["block"].get("block_types", {}).items():
        a = block_to_nested(inner)
        if inner["block"].get("description"):
            a["description"] = inner["block"]["description"]
        a["required" if inner.get("min_items") else "optional"] = True
        attributes[name] = a
    return {"nested_type": {"attributes": attributes, "nesting_mode": bt["nesting_mode"]},
            "description_kind": "plain"}


def apply_overrides(schema: dict, overrides: dict) -> list[str]:
    """Apply overrides in place; return one line per applied override. Unknown paths are errors,
    so an override that no longer matches the provider is noticed at refresh."""
    applied = []
    # whole types the source lacks (random's ephemeral random_password is not in
    # @cdktf/provider-random), each with the provider source it was copied from
    for tname, type_schema in sorted(overrides.get("add_ephemeral_resource_schemas", {}).items()):
        if tname.startswith("_"):
            continue
        schema.setdefault("ephemeral_resource_schemas", {})[tname] = copy.deepcopy(type_schema)
        applied.append(f"ephemeral_resource_schemas.{tname}: added")
    for kind in ("provider", "resource_schemas", "data_source_schemas"):
        section = overrides.get(kind, {})
        targets = {"provider": section} if kind == "provider" else section
        for tname, paths in sorted(targets.items()):
            if kind == "provider":
                root = schema["provider"]["block"]
            else:
                if tname not in schema[kind]:
                    # overrides may cover types not in the include list; skip those quietly
                    continue
                root = schema[kind][tname]["block"]
            for path, op in sorted(paths.items()):
                if path.startswith("_"):
                    continue
                where = f"{kind}.{tname}.{path}"
                container, key, is_block = _find(root, path.split("."), where)
                if "set" in op:
                    if is_block:
                        raise TrimError(f"{where}: 'set' applies to attributes, this is a block")
                    for k, v in op["set"].items():
                        if v is False:
                            container[key].pop(k, None)
                        else:
                            container[key][k] = v
                    applied.append(f"{where}: set {json.dumps(op['set'], sort_keys=True)}")
                if "as_attribute" in op:
                    if not is_block:
                        raise TrimError(f"{where}: 'as_attribute' applies to blocks")
                    bt = container.pop(key)
                    flags = dict(op["as_attribute"])
                    if flags.pop("nested", False):
                        attr = block_to_nested(bt)
                    else:
                        obj = block_object_type(bt["block"])
                        attr = {"type": obj if bt["nesting_mode"] == "single" else [bt["nesting_mode"], obj],
                                "description_kind": "plain"}
                    if bt["block"].get("description"):
                        attr["description"] = bt["block"]["description"]
                    attr.update(flags)
                    parent = _parent_block(root, path.split("."))
                    parent.setdefault("attributes", {})[key] = attr
                    if not container:
                        parent.pop("block_types")
                    applied.append(f"{where}: block -> attribute {json.dumps(op['as_attribute'], sort_keys=True)}")
                if "as_dynamic" in op:
                    # a block too deep to generate types for (wafv2 statements nest every
                    # statement kind three levels deep): one attribute of any shape; the JSON
                    # written is the same, and terraform validates the structure at plan
                    if not is_block:
                        raise TrimError(f"{where}: 'as_dynamic' applies to blocks")
                    bt = container.pop(key)
                    attr = {"type": "dynamic", "description_kind": "plain"}
                    attr["required" if bt.get("min_items") else "optional"] = True
                    attr.update(op["as_dynamic"])
                    parent = _parent_block(root, path.split("."))
                    parent.setdefault("attributes", {})[key] = attr
                    if not container:
                        parent.pop("block_types")
                    applied.append(f"{where}: block -> dynamic attribute")
                if not {"set", "as_attribute", "as_dynamic"} & op.keys():
                    raise TrimError(f"{where}: override needs 'set', 'as_attribute' or 'as_dynamic'")
    return applied


def _parent_block(root: dict, path: list[str]) -> dict:
    block = root
    for part in path[:-1]:
        block = block["block_types"][part]["block"]
    return block


def _compact(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def render(doc: dict) -> str:
    """The document with each type's schema (and the provider block) on one line of its own.

    Full providers are large (aws 5.100.0: 2,141 types); indented JSON made aws.json 67 MB, one
    compact line per type is 14 MB and still diffs type by type. Keys sorted: rerunning gives
    identical bytes."""
    lines = ["{", f'"format_version":{_compact(doc["format_version"])},', '"provider_schemas":{']
    providers = sorted(doc["provider_schemas"].items())
    for i, (addr, schema) in enumerate(providers):
        lines.append(f"{_compact(addr)}:{{")
        sections = sorted(schema.items())
        for j, (section, value) in enumerate(sections):
            comma = "," if j + 1 < len(sections) else ""
            if section == "provider" or not isinstance(value, dict) or not value:
                lines.append(f"{_compact(section)}:{_compact(value)}{comma}")
                continue
            lines.append(f"{_compact(section)}:{{")
            items = sorted(value.items())
            for k, (name, body) in enumerate(items):
                lines.append(f"{_compact(name)}:{_compact(body)}{',' if k + 1 < len(items) else ''}")
            lines.append("}" + comma)
        lines.append("}" + ("," if i + 1 < len(providers) else ""))
    lines.append("},")
    lines.append(f'"terrane":{_compact(doc["terrane"])}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def build(doc: dict, provider: str, include: dict, extracted_from: str, overrides: dict | None):
    entry = include[provider]
    schema = trim(doc, entry)
    applied = apply_overrides(schema, overrides) if overrides else []
    out = {
        "format_version": doc.get("format_version", "1.0"),
        "provider_schemas": {address(entry["source"]): schema},
        "terrane": {
            "provider": provider,
            "source": entry["source"],
            "version": entry["version"],
            "extracted_from": extracted_from,
        },
    }
    return out, applied


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--provider", required=True, help="key in include.json: aws, google, helm")
    ap.add_argument("--in", dest="inp", required=True, help="full providers-schema JSON")
    ap.add_argument("--out", required=True)
    ap.add_argument("--extracted-from", required=True)
    ap.add_argument("--include", default=os.path.join(SCHEMAS, "include.json"))
    ap.add_argument("--overrides")
    args = ap.parse_args(argv)
    with open(args.include, encoding="utf-8") as f:
        include = json.load(f)
    with open(args.inp, encoding="utf-8") as f:
        doc = json.load(f)
    overrides = None
    if args.overrides:
        with open(args.overrides, encoding="utf-8") as f:
            overrides = json.load(f)
    try:
        out, applied = build(doc, args.provider, include, args.extracted_from, overrides)
    except TrimError as e:
        print(f"trim: {e}", file=sys.stderr)
        return 1
    for line in applied:
        print(f"override {line}", file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(render(out))
    s = out["provider_schemas"][address(include[args.provider]["source"])]
    print(f"wrote {args.out}: {len(s['resource_schemas'])} resources, {len(s['data_source_schemas'])} data sources",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
