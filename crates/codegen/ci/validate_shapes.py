#!/usr/bin/env python3
"""Runs `terraform validate` on the minimal and maximal value of every generated type of
one provider (as dumped by the crates' generated tests with TERRANE_DUMP_BODIES set) and
fails on any diagnostic about the *shape* of the emitted JSON: unknown argument, block
given as attribute or the reverse, wrong value type, missing required argument, too many
blocks. Value validators of the provider (enums, ARNs, CIDRs, conflicts) are expected to
complain about the placeholder values and are ignored, and so is the provider's "at least
one of these optional arguments" rule (reported as "Missing required argument: one of `a,b`
must be specified"): the schema marks each of them optional, so the minimal body, which
sets only what the schema requires, cannot know it (aws_cloudfront_response_headers_policy).

usage: validate_shapes.py DUMP_DIR WORK_DIR PROVIDER SOURCE VERSION [CARGO_TOML FEATURES]

With CARGO_TOML and FEATURES (comma-separated; `default` stands for the crate's default
features), only the types of those features are validated: every aws type takes about
13 minutes of terraform CPU, so CI validates the default services and a sample.
"""
import concurrent.futures
import json
import os
import subprocess
import sys

SHAPE = (
    "Unsupported argument",
    "Unsupported block type",
    "Incorrect attribute value type",
    "Too many ",
    "Insufficient ",
    "Missing required argument",
    "Extraneous JSON object property",
    "Invalid JSON",
    "Unsupported attribute",
    "Duplicate ",
)


# Value validators whose summary starts like a shape problem: a placeholder `x` where the
# provider wants a JSON document (plugin-framework jsontypes).
VALUE = ("Invalid JSON String Value",)


def main():
    dump, work, provider, source, version = sys.argv[1:6]
    only = feature_types(*sys.argv[6:8]) if len(sys.argv) >= 8 else None
    doc = {
        "terraform": {"required_providers": {provider: {"source": source, "version": version}}},
        "resource": {},
        "data": {},
        "ephemeral": {},
    }
    count = 0
    for name in sorted(os.listdir(dump)):
        kind, ty, variant, _ = name.split(".")
        if not (ty == provider or ty.startswith(provider + "_")):
            continue
        if only is not None and kind != "provider" and ty not in only:
            continue
        with open(os.path.join(dump, name)) as f:
            body = json.load(f)
        count += 1
        if kind == "provider":
            if variant == "maximal":
                doc["provider"] = {provider: body}
        else:
            section = {"resource": "resource", "ephemeral": "ephemeral"}.get(kind, "data")
            doc[section].setdefault(ty, {})[variant] = body
    if count == 0:
        sys.exit(f"no dumped bodies for {provider} in {dump}")
    # Provider configuration errors stop terraform before it looks at resources, so the
    # provider block is validated on its own, and the resources with an empty one.
    provider_doc = {"terraform": doc["terraform"], "provider": doc.pop("provider", {provider: {}})}
    shape, others = [], 0
    s, o = validate(os.path.join(work, "provider"), [provider_doc])
    shape += s
    others += o
    # two folders validating slices side by side (one per core)
    parts = list(chunks(doc))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(validate, os.path.join(work, f"types{i}"), parts[i::2]) for i in range(2)]
        for run in runs:
            s, o = run.result()
            shape += s
            others += o
    for d in shape:
        print(f"{d.get('address', '?')}: {d['summary']}: {d.get('detail', '')}", file=sys.stderr)
    print(f"terraform validate: {count} generated {provider} bodies, {len(shape)} shape problems "
          f"({others} value-validator complaints about placeholders ignored)")
    sys.exit(1 if shape else 0)


# Types per `terraform validate` run: its time grows faster than the configuration (all
# 2,141 aws types in one configuration ran over five minutes), so they go in slices.
CHUNK = 150


def chunks(doc):
    """The document's types in slices of CHUNK, each a whole configuration."""
    entries = [(section, ty, body) for section in ("resource", "data", "ephemeral")
               for ty, body in sorted(doc[section].items())]
    for start in range(0, len(entries), CHUNK):
        part = {"terraform": doc["terraform"], "resource": {}, "data": {}, "ephemeral": {}}
        for section, ty, body in entries[start:start + CHUNK]:
            part[section][ty] = body
        # terraform refuses an empty section
        yield {k: v for k, v in part.items() if v}


def feature_types(cargo_toml, features):
    """The Terraform types of the named features, from the crate's generated feature
    list (each `name = []` line follows a comment listing its types)."""
    with open(cargo_toml) as f:
        lines = f.read().splitlines()
    wanted = set(features.split(","))
    if "full" in wanted:
        return None  # every type
    if "default" in wanted:
        default = next(l for l in lines if l.startswith("default = ["))
        wanted |= {w.strip().strip('"') for w in default.split("[", 1)[1].rstrip("]").split(",")}
    types = set()
    for comment, line in zip(lines, lines[1:]):
        name = line.split(" = []")[0]
        if comment.startswith("# ") and line.endswith(" = []") and name in wanted:
            types |= {t.strip() for t in comment[2:].split(",")}
    return types


def validate(work, docs):
    """Validates each document in turn in one initialized folder; shape problems, and
    how many other diagnostics there were."""
    os.makedirs(work, exist_ok=True)
    shape, others, initialized = [], 0, False
    for doc in docs:
        with open(os.path.join(work, "main.tf.json"), "w") as f:
            json.dump(doc, f, indent=1)
        if not initialized:
            subprocess.run(["terraform", "init", "-input=false", "-no-color"], cwd=work,
                           check=True, stdout=subprocess.DEVNULL)
            initialized = True
        out = subprocess.run(["terraform", "validate", "-json", "-no-color"], cwd=work,
                             capture_output=True, text=True)
        diags = json.loads(out.stdout).get("diagnostics", [])
        found = [d for d in diags if d["summary"].startswith(SHAPE)
                 and not d["summary"].startswith(VALUE) and not at_least_one_of(d)]
        shape += found
        others += len(diags) - len(found)
    return shape, others


def at_least_one_of(d):
    """The provider's cross-argument rules ("one of", "all of"), which no schema flag
    expresses (aws_default_subnet's customer-owned IP arguments)."""
    detail = d.get("detail", "")
    return (d["summary"] == "Missing required argument"
            and detail.startswith("\"") and (": one of `" in detail or ": all of `" in detail)
            and detail.endswith("must be specified"))


if __name__ == "__main__":
    main()
