#!/usr/bin/env python3
"""Refresh schemas/<provider>.json from a cdktf prebuilt npm package (google, helm).

Steps: fetch the package named in include.json with `npm pack` into schemas/.cache/ (skipped when
the tarball is already there), unpack it, check that it was generated from the provider version
include.json pins, extract the included types with jsii_extract.py, apply
schemas/overrides/<provider>.json, write the trimmed file.

Usage: refresh_extracted.py PROVIDER [--out FILE]
Python 3.11 standard library only (plus the `npm` client for fetching).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.dirname(HERE)
CACHE = os.path.join(SCHEMAS, ".cache")
sys.path.insert(0, HERE)
import jsii_extract  # noqa: E402
import trim  # noqa: E402


def tarball_name(package: str, version: str) -> str:
    # npm pack names @scope/name@1.2.3 as scope-name-1.2.3.tgz
    return package.lstrip("@").replace("/", "-") + f"-{version}.tgz"


def fetch(spec: str) -> str:
    """Return the unpacked package folder of `spec` (name@version), fetching it when needed."""
    package, version = spec.rsplit("@", 1)
    os.makedirs(CACHE, exist_ok=True)
    tgz = os.path.join(CACHE, tarball_name(package, version))
    if not os.path.exists(tgz):
        print(f"fetching {spec} with npm pack into {CACHE}", file=sys.stderr)
        subprocess.run(["npm", "pack", "--silent", spec], cwd=CACHE, check=True, stdout=subprocess.DEVNULL)
        if not os.path.exists(tgz):
            raise SystemExit(f"npm pack did not produce {tgz}")
    dest = tgz[: -len(".tgz")]
    pkg_dir = os.path.join(dest, "package")
    if not os.path.exists(os.path.join(pkg_dir, ".jsii")):
        os.makedirs(dest, exist_ok=True)
        with tarfile.open(tgz) as tf:
            tf.extractall(dest, filter="data")
    return pkg_dir


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("provider")
    ap.add_argument("--out")
    ap.add_argument("--quiet", action="store_true", help="print errors only")
    args = ap.parse_args(argv)
    with open(os.path.join(SCHEMAS, "include.json"), encoding="utf-8") as f:
        include = json.load(f)
    entry = include[args.provider]
    pkg_dir = fetch(entry["package"])
    meta = jsii_extract.package_meta(pkg_dir)
    if meta["provider_address"] != trim.address(entry["source"]) or meta["provider_version"] != entry["version"]:
        raise SystemExit(f"{entry['package']} was generated from {meta['provider_address']} "
                         f"{meta['provider_version']}, include.json pins {entry['source']} {entry['version']}")
    schema, errors = jsii_extract.extract(
        pkg_dir, jsii_extract.Options(optional_computed=True,
                                       nested_attributes=bool(entry.get("nested_attributes"))),
        wanted=lambda kind, name: (kind == "provider" or (kind == "resource" and trim.wanted(entry, "resources", name))
                                   or (kind == "data" and trim.wanted(entry, "data_sources", name))))
    if errors:
        for e in errors:
            print("error:", e, file=sys.stderr)
        return 1
    overrides = None
    opath = os.path.join(SCHEMAS, "overrides", f"{args.provider}.json")
    if os.path.exists(opath):
        with open(opath, encoding="utf-8") as f:
            overrides = json.load(f)
    doc = {"format_version": "1.0", "provider_schemas": {meta["provider_address"]: schema}}
    try:
        out, applied = trim.build(doc, args.provider, include,
                                  f"{meta['package']}@{meta['package_version']}", overrides)
    except trim.TrimError as e:
        print(f"refresh: {e}", file=sys.stderr)
        return 1
    if not args.quiet:
        for line in applied:
            print(f"override {line}", file=sys.stderr)
    path = args.out or os.path.join(SCHEMAS, f"{args.provider}.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(trim.render(out))
    s = out["provider_schemas"][meta["provider_address"]]
    if not args.quiet:
        print(f"wrote {path}: {len(s['resource_schemas'])} resources, {len(s['data_source_schemas'])} data sources",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
