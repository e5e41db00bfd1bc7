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

usage: validate_shapes.py DUMP_DIR WORK_DIR PROVIDER SOURCE VERSION
"""
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


def main():
    dump, work, provider, source, version = sys.argv[1:6]
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
    for sub, d in (("provider", provider_doc), ("types", doc)):
        s, o = validate(os.path.join(work, sub), d)
        shape += s
        others += o
    for d in shape:
        print(f"{d.get('address', '?')}: {d['summary']}: {d.get('detail', '')}", file=sys.stderr)
    print(f"terraform validate: {count} generated {provider} bodies, {len(shape)} shape problems "
          f"({others} value-validator complaints about placeholders ignored)")
    sys.exit(1 if shape else 0)


def validate(work, doc):
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "main.tf.json"), "w") as f:
        json.dump(doc, f, indent=1)
    subprocess.run(["terraform", "init", "-input=false", "-no-color"], cwd=work,
                   check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["terraform", "validate", "-json", "-no-color"], cwd=work,
                         capture_output=True, text=True)
    diags = json.loads(out.stdout).get("diagnostics", [])
    shape = [d for d in diags if d["summary"].startswith(SHAPE) and not at_least_one_of(d)]
    return shape, len(diags) - len(shape)


def at_least_one_of(d):
    """The provider's cross-argument rule, which no schema flag expresses."""
    detail = d.get("detail", "")
    return (d["summary"] == "Missing required argument"
            and detail.startswith("\"") and ": one of `" in detail
            and detail.endswith("must be specified"))


if __name__ == "__main__":
    main()
