"""Validates YAML documents against a JSON schema kept here (see SOURCE.md).

  validate.py [--strict] SCHEMA.json FILE.yaml

Every document of FILE (a multi-document stream for Flux) is checked; with --strict,
an object schema listing `properties` and no `additionalProperties` rejects unknown
fields (Kubernetes' strict field validation, which CRD schemas leave implicit).
Prints `ok: N documents` or every error with its path, and exits 1 on errors.
"""
import json
import sys

import jsonschema
import yaml


def strict(schema):
    if isinstance(schema, dict):
        schema = {k: strict(v) for k, v in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema \
                and not schema.get("x-kubernetes-preserve-unknown-fields"):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def main():
    args = sys.argv[1:]
    is_strict = args[:1] == ["--strict"]
    if is_strict:
        args = args[1:]
    if len(args) != 2:
        sys.exit(__doc__)
    with open(args[0]) as f:
        schema = json.load(f)
    if is_strict:
        schema = strict(schema)
    validator = jsonschema.Draft7Validator(schema)
    with open(args[1]) as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    errors = []
    for i, doc in enumerate(docs):
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
            path = "/".join(str(p) for p in e.path)
            errors.append(f"document {i + 1}: /{path}: {e.message}")
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    print(f"ok: {len(docs)} documents")


if __name__ == "__main__":
    main()
