#!/usr/bin/env python3
"""Compare a schema extracted from a cdktf package with the real `terraform providers schema -json`.

Every difference is put in a category. Categories in KNOWN are limits of the package format
(documented in ../README.md); anything else is an extractor bug and makes the run fail.

Usage: compare.py REAL.json PACKAGE_DIR [--include include.json] [--report report.md]
Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import jsii_extract  # noqa: E402

# the cdktf package generated from the aws provider version pinned in include.json
AWS_PACKAGE = "@cdktf/provider-aws"
AWS_PACKAGE_VERSION = "20.1.0"

# category -> explanation; these are what the package cannot tell
KNOWN = {
    "optional_assumed_computed": "optional attribute that is not computed in the real schema; the package "
    "does not record optional+computed for plain attributes, so extracted schemas mark every optional "
    "attribute computed (safe reading: readable after apply)",
    "max_items_lost": "real max_items > 1; the package only records single-item blocks",
    "min_items_lost": "real min_items > 1; the package only records required (min_items = 1)",
    "sensitive_lost": "real attribute is sensitive; not in the package (override file per provider)",
    "deprecated_lost": "real attribute or block is deprecated; not in the package",
    "write_only_lost": "real attribute is write_only; not in the package",
    "schema_version_lost": "resource schema version; not in the package (extracted files say 0)",
    "dynamic_deep_type": "the cdktf generator typed a very deep structure `any`; extracted as dynamic",
    "inner_collection_kind_lost": "a collection nested in a collection: the package records list-vs-set "
    "only for the outer one; inner ones are extracted as lists",
    "terrane_override": "a path terrane's own override file (schemas/overrides/<provider>.json) changes on "
    "purpose at refresh, e.g. a very deep block kept as one dynamic attribute; the package has the original",
    "object_attr_as_block": "real optional non-computed object attribute (list of one object) that the "
    "generator emits as a single-item block; JSON encoding is the same, override list where it matters",
}
# differences in documentation only: counted, never a failure
INFO = {
    "description_differs", "description_missing", "description_extra",
    "block_description_differs", "block_description_missing", "block_description_extra",
}


def norm_desc(s: str | None) -> str | None:
    if s is None:
        return None
    # jsii ends every summary with a period; the original description may not have one
    return re.sub(r"\s+", " ", s).strip().rstrip(".") or None


def type_contains_dynamic(t) -> bool:
    if t == "dynamic":
        return True
    if isinstance(t, list):
        return any(type_contains_dynamic(x) for x in t[1:])
    if isinstance(t, dict):
        return any(type_contains_dynamic(x) for x in t.values())
    return False


def compare_types(real, ext) -> str | None:
    """None when equal; a category when the difference is understood; 'type_mismatch' otherwise."""
    if real == ext:
        return None
    if ext == "dynamic" or (type_contains_dynamic(ext) and not type_contains_dynamic(real)):
        # check the structure above the dynamic part agrees
        if ext == "dynamic" or _agrees_above_dynamic(real, ext):
            return "dynamic_deep_type"
    if _same_but_inner_set(real, ext, outer=True):
        return "inner_collection_kind_lost"
    return "type_mismatch"


def _same_but_inner_set(real, ext, outer) -> bool:
    if isinstance(real, str) or isinstance(ext, str):
        return real == ext
    if isinstance(real, dict) or isinstance(ext, dict):
        return isinstance(real, dict) and isinstance(ext, dict) and real.keys() == ext.keys() and all(
            _same_but_inner_set(real[k], ext[k], False) for k in real)
    kinds_ok = real[0] == ext[0] or (not outer and real[0] == "set" and ext[0] == "list")
    return kinds_ok and len(real) == len(ext) and all(
        _same_but_inner_set(a, b, real[0] == "object") for a, b in zip(real[1:], ext[1:]))


def _agrees_above_dynamic(real, ext) -> bool:
    if ext == "dynamic":
        return True
    if type(real) is not type(ext):
        return False
    if isinstance(ext, str):
        return real == ext
    if isinstance(ext, dict):
        return real.keys() == ext.keys() and all(_agrees_above_dynamic(real[k], ext[k]) for k in ext)
    return len(real) == len(ext) and real[0] == ext[0] and all(
        _agrees_above_dynamic(a, b) for a, b in zip(real[1:], ext[1:]))


class Diff:
    def __init__(self):
        self.items: list[tuple[str, str, str]] = []  # (category, path, detail)
        self.attributes = 0  # compared attributes present on both sides
        self.exact_attributes = 0  # ... with no difference other than documentation
        self.blocks = 0
        self.exact_blocks = 0
        self.inside_dynamic = [0, 0]  # real attributes, blocks inside structures extracted as dynamic
        self.types_compared = 0

    def add(self, cat: str, path: str, detail: str = ""):
        self.items.append((cat, path, detail))

    def unexpected(self):
        return [i for i in self.items if i[0] not in KNOWN and i[0] not in INFO]


def subtree_size(b: dict) -> tuple[int, int]:
    na, nb = len(b.get("attributes", {})), 0
    for bt in b.get("block_types", {}).values():
        a, n = subtree_size(bt["block"])
        na, nb = na + a, nb + n + 1
    return na, nb


def block_as_object_type(b: dict):
    """The cty object type a single-item block would have as an attribute."""
    fields = {k: a["type"] for k, a in b.get("attributes", {}).items()}
    for k, bt in b.get("block_types", {}).items():
        inner = block_as_object_type(bt["block"])
        fields[k] = inner if bt["nesting_mode"] == "single" else [bt["nesting_mode"], inner]
    return ["object", fields]


def compare_block(real: dict, ext: dict, path: str, d: Diff):
    ra, ea = real.get("attributes", {}), ext.get("attributes", {})
    rb, eb = real.get("block_types", {}), ext.get("block_types", {})
    for name in sorted(set(ra) | set(ea) | set(rb) | set(eb)):
        p = f"{path}.{name}"
        if name in ra and name in ea:
            compare_attr(ra[name], ea[name], p, d)
        elif name in rb and name in eb:
            compare_block_type(rb[name], eb[name], p, d)
        elif name in ra and name in eb:
            r, e = ra[name], eb[name]
            obj = block_as_object_type(e["block"])
            if r.get("optional") and not r.get("computed") and (
                    (e.get("max_items") == 1 and e["nesting_mode"] == r["type"][0] and r["type"][1] == obj)
                    or (e["nesting_mode"] == "single" and r["type"] == obj)):
                d.add("object_attr_as_block", p, f"real attribute {json.dumps(r['type'])}")
            else:
                d.add("attribute_vs_block", p, "real attribute, extracted block")
        elif name in rb and name in ea:
            if ea[name]["type"] == "dynamic":
                na, nb = subtree_size(rb[name]["block"])
                d.inside_dynamic[0] += na
                d.inside_dynamic[1] += nb + 1
                d.add("dynamic_deep_type", p, f"real block ({na} attributes, {nb} nested blocks inside), "
                      "extracted as a dynamic attribute")
            else:
                d.add("attribute_vs_block", p, "real block, extracted attribute")
        elif name in ra or name in rb:
            d.add("missing", p, "in real schema only")
        else:
            d.add("extra", p, "in extracted schema only")
    rd, ed = norm_desc(real.get("description")), norm_desc(ext.get("description"))
    if rd != ed:
        d.add("block_description_missing" if ed is None else "block_description_extra" if rd is None
              else "block_description_differs", path)
    if real.get("deprecated") and not ext.get("deprecated"):
        d.add("deprecated_lost", path, "block")


def _clean_since(d: Diff, start: int) -> bool:
    return all(c in INFO for c, _p, _x in d.items[start:])


def compare_attr(r: dict, e: dict, p: str, d: Diff):
    start = len(d.items)
    if "nested_type" in r or "nested_type" in e:
        d.add("nested_type_unsupported", p)
        return
    cat = compare_types(r["type"], e["type"])
    if cat == "dynamic_deep_type":
        rt = json.dumps(r["type"])
        d.add(cat, p, f"real type ({len(rt)} characters of JSON) extracted {json.dumps(e['type'])}")
    elif cat:
        d.add(cat, p, f"real {json.dumps(r['type'])} extracted {json.dumps(e['type'])}")
    for flag in ("required", "optional"):
        if bool(r.get(flag)) != bool(e.get(flag)):
            d.add(f"{flag}_mismatch", p, f"real {bool(r.get(flag))}")
    if bool(r.get("computed")) != bool(e.get("computed")):
        if e.get("computed") and r.get("optional") and e.get("optional"):
            d.add("optional_assumed_computed", p)
        else:
            d.add("computed_mismatch", p, f"real {bool(r.get('computed'))}")
    for flag in ("sensitive", "deprecated", "write_only"):
        if bool(r.get(flag)) != bool(e.get(flag)):
            if r.get(flag):
                d.add(f"{flag}_lost", p)
            else:
                d.add(f"{flag}_extra", p)
    rd, ed = norm_desc(r.get("description")), norm_desc(e.get("description"))
    if rd != ed:
        d.add("description_missing" if ed is None else "description_extra" if rd is None
              else "description_differs", p, "" if ed is None or rd is None else f"real {rd!r} extracted {ed!r}")
    d.attributes += 1
    d.exact_attributes += _clean_since(d, start)


def compare_block_type(r: dict, e: dict, p: str, d: Diff):
    start = len(d.items)
    if r["nesting_mode"] != e["nesting_mode"]:
        d.add("nesting_mismatch", p, f"real {r['nesting_mode']} extracted {e['nesting_mode']}")
    rmax, emax = r.get("max_items", 0), e.get("max_items", 0)
    if rmax != emax:
        if rmax > 1 and emax == 0:
            d.add("max_items_lost", p, f"real max_items {rmax}")
        else:
            d.add("max_items_mismatch", p, f"real {rmax} extracted {emax}")
    rmin, emin = r.get("min_items", 0), e.get("min_items", 0)
    if rmin != emin:
        if rmin > 1 and emin == 1:
            d.add("min_items_lost", p, f"real min_items {rmin}")
        else:
            d.add("min_items_mismatch", p, f"real {rmin} extracted {emin}")
    d.blocks += 1
    d.exact_blocks += _clean_since(d, start)
    compare_block(r["block"], e["block"], p, d)


def compare_schemas(real: dict, ext: dict, d: Diff, kinds=("resource_schemas", "data_source_schemas"), names=None):
    for kind in kinds:
        for name in sorted(real[kind]):
            if names is not None and name not in names[kind]:
                continue
            if name not in ext.get(kind, {}):
                d.add("type_missing", f"{kind}:{name}")
                continue
            r, e = real[kind][name], ext[kind][name]
            d.types_compared += 1
            label = name if kind == "resource_schemas" else f"data.{name}"
            if r.get("version", 0) != e.get("version", 0):
                d.add("schema_version_lost", label, f"real {r.get('version')}")
            compare_block(r["block"], e["block"], label, d)
        for name in sorted(set(ext.get(kind, {})) - set(real[kind])):
            d.add("type_extra", f"{kind}:{name}")
    if "provider" in real:
        d.types_compared += 1
        compare_block(real["provider"]["block"], ext["provider"]["block"], "provider", d)


def load_real(path: str, address: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)["provider_schemas"][address]


def run(real_path: str, package_dir: str, include: dict | None, provider: str = "aws"):
    """Extract (only the included types when `include` is given) and compare. Returns (Diff, errors, secs)."""
    meta = jsii_extract.package_meta(package_dir)
    real = load_real(real_path, meta["provider_address"])
    names = None
    wanted = None
    if include is not None:
        inc = listed_types(include[provider], provider)
        names = {"resource_schemas": set(inc["resources"]), "data_source_schemas": set(inc["data_sources"])}
        wanted = lambda kind, name: (kind == "provider" or (kind == "resource" and name in inc["resources"])  # noqa: E731
                                     or (kind == "data" and name in inc["data_sources"]))
    t0 = time.time()
    ext, errors = jsii_extract.extract(package_dir, jsii_extract.Options(), wanted)
    secs = time.time() - t0
    d = Diff()
    for e in errors:
        d.add("extract_error", e)
    compare_schemas(real, ext, d, names=names)
    mark_overridden(d, overridden_paths(provider))
    return d, secs


def listed_types(entry: dict, provider: str) -> dict:
    """The include.json entry's type lists; where it takes every type (`"*"`), the types
    crates/codegen/services.json places by hand, which are those terrane's constructs use."""
    if entry["resources"] != "*":
        return entry
    with open(os.path.join(HERE, "..", "..", "crates", "codegen", "services.json"), encoding="utf-8") as f:
        services = json.load(f)[provider]["services"]
    types = [t for ts in services.values() for t in ts]
    return {"resources": [t for t in types if "." not in t],
            "data_sources": [t.split(".", 1)[1] for t in types if t.startswith("data.")]}


def overridden_paths(provider: str) -> list[str]:
    """`type.path` of every change schemas/overrides/<provider>.json makes to the real schema."""
    path = os.path.join(HERE, "..", "overrides", f"{provider}.json")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        over = json.load(f)
    return [f"{ty}.{p}" for kind in ("resource_schemas", "data_source_schemas")
            for ty, paths in over.get(kind, {}).items() for p in paths]


def mark_overridden(d: Diff, paths: list[str]):
    """Differences at or under a path terrane overrides are that override, not an extractor bug."""
    d.items = [("terrane_override", p, x) if any(p == o or p.startswith(o + ".") for o in paths) else (c, p, x)
               for c, p, x in d.items]


def render_report(d: Diff, title: str) -> str:
    counts = collections.Counter(c for c, _p, _x in d.items)
    lines = [f"### {title}", "",
             f"- resource/data source/provider schemas compared: {d.types_compared}",
             f"- attributes on both sides: {d.attributes}; identical apart from documentation: {d.exact_attributes}",
             f"- nested blocks on both sides: {d.blocks}; identical nesting mode and min/max items: {d.exact_blocks}",
             f"- real attributes and blocks inside the structures extracted as `dynamic` (not compared one by one): "
             f"{d.inside_dynamic[0]} attributes, {d.inside_dynamic[1]} blocks",
             f"- unexpected differences: {len(d.unexpected())}", "",
             "| category | count | kind |", "|---|---|---|"]
    for cat, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
        kind = "known limit" if cat in KNOWN else "documentation only" if cat in INFO else "UNEXPECTED"
        lines.append(f"| `{cat}` | {n} | {kind} |")
    lines.append("")
    return "\n".join(lines)


def render_details(d: Diff, skip=(), limit=None) -> str:
    by = collections.defaultdict(list)
    for c, p, x in d.items:
        by[c].append((p, x))
    out = []
    for cat in sorted(by):
        if cat in skip:
            continue
        out.append(f"#### `{cat}` ({len(by[cat])})")
        out.append("")
        if cat in KNOWN:
            out.append(KNOWN[cat])
            out.append("")
        rows = sorted(by[cat])
        for p, x in rows[:limit] if limit else rows:
            out.append(f"- `{p}`" + (f": {x}" if x else ""))
        if limit and len(rows) > limit:
            out.append(f"- ... and {len(rows) - limit} more")
        out.append("")
    return "\n".join(out)


def dir_size(path: str) -> int:
    total = 0
    for dirpath, _dirs, names in os.walk(path):
        total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in names)
    return total


def write_report(path: str, full_real: str, trimmed_real: str, package_dir: str, include: dict):
    """compare_report.md: the included aws types in full detail, then all types."""
    meta = jsii_extract.package_meta(package_dir)
    tgz = os.path.join(os.path.dirname(os.path.dirname(package_dir)),
                       f"cdktf-provider-aws-{meta['package_version']}.tgz")
    inc, _ = run(trimmed_real, package_dir, include)
    every, _ = run(full_real, package_dir, None)
    parts = [
        "# Extractor proof: cdktf package vs the real aws provider schema",
        "",
        f"Extracted from `{meta['package']}@{meta['package_version']}` (generated from "
        f"{meta['provider_address']} {meta['provider_version']}) by `tools/jsii_extract.py`, compared with "
        "`terraform providers schema -json` of the real provider by `tools/compare.py`. "
        "Regenerate with `python3 schemas/tools/compare.py --write-report` after `schemas/tools/refresh_aws.sh`.",
        "",
        f"Package size: {os.path.getsize(tgz) / 1e6:.1f} MB download (tarball), "
        f"{dir_size(package_dir) / 1e6:.0f} MB unpacked (the `.jsii` alone "
        f"{os.path.getsize(os.path.join(package_dir, '.jsii')) / 1e6:.0f} MB). On this machine `npm pack` took about "
        "2 s (registry close by; expect 10-60 s elsewhere) and extraction of all types about 6 s.",
        "",
        "Categories: *known limit* = information the package does not carry (each is explained below and in "
        "../README.md); *documentation only* = descriptions; *UNEXPECTED* = an extractor bug (the test fails).",
        "",
        "## The aws types terrane's constructs use (crates/codegen/services.json): every difference",
        "",
        render_report(inc, "included types against schemas/aws.json"),
        render_details(inc),
        "## All aws types",
        "",
        render_report(every, "all 1,526 resources, 608 data sources and the provider block"),
        "Every difference except the bulk category `optional_assumed_computed` is listed; run "
        "`compare.py REAL.json PACKAGE --details` for that one too.",
        "",
        render_details(every, skip=("optional_assumed_computed",)),
    ]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts).rstrip() + "\n")
    return inc, every


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("real", nargs="?", help="terraform providers schema -json output (untrimmed)")
    ap.add_argument("package_dir", nargs="?")
    ap.add_argument("--include", help="include.json: compare only the aws types listed there")
    ap.add_argument("--details", action="store_true", help="print every difference")
    ap.add_argument("--write-report", action="store_true",
                    help="write schemas/tools/compare_report.md from the cached package and full schema")
    ap.add_argument("--report-out", default=os.path.join(HERE, "compare_report.md"),
                    help="where --write-report writes")
    args = ap.parse_args(argv)
    if args.write_report:
        schemas = os.path.dirname(HERE)
        with open(os.path.join(schemas, "include.json"), encoding="utf-8") as f:
            include = json.load(f)
        version = include["aws"]["version"]
        pkg = os.path.join(schemas, ".cache", f"cdktf-provider-aws-{AWS_PACKAGE_VERSION}", "package")
        inc, every = write_report(args.report_out,
                                  os.path.join(schemas, ".cache", f"aws-{version}-schema.json"),
                                  os.path.join(schemas, "aws.json"), pkg, include)
        bad = inc.unexpected() + every.unexpected()
        for c, p, x in bad:
            print(f"UNEXPECTED {c}: {p} {x}", file=sys.stderr)
        return 1 if bad else 0
    include = None
    if args.include:
        with open(args.include, encoding="utf-8") as f:
            include = json.load(f)
    d, secs = run(args.real, args.package_dir, include)
    print(render_report(d, f"extracted in {secs:.1f} s"))
    if args.details:
        print(render_details(d))
    for c, p, x in d.unexpected():
        print(f"UNEXPECTED {c}: {p} {x}", file=sys.stderr)
    return 1 if d.unexpected() else 0


if __name__ == "__main__":
    sys.exit(main())
