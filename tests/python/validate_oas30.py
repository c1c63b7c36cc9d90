#!/usr/bin/env python3
"""Validates response bodies against the spec files with OpenAPI 3.0 semantics, using the
reference validator `openapi-schema-validator` (OAS30Validator: `nullable`, `format`, `$ref`
siblings ignored), as a cross-check of the Rust validator in tests/common/schema.rs.

Usage: validate_oas30.py SPEC_DIR BODIES_JSON

BODIES_JSON holds a list of {"operation": operationId, "status": 200, "body": ...}. Every body
is validated against the JSON schema of its operation's response for that status (or `4XX`).
Exits 0 and prints "OK: N bodies" when all validate; prints every error and exits 1 otherwise.
"""

import json
import pathlib
import sys

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker


def operations(spec_dir):
    """operationId -> (document, operation)."""
    found = {}
    for path in sorted(pathlib.Path(spec_dir).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        for item in doc.get("paths", {}).values():
            for method in ("get", "post", "delete"):
                op = item.get(method)
                if op:
                    found[op["operationId"]] = (path.name, doc, op)
    return found


def resolve(doc, value):
    while isinstance(value, dict) and "$ref" in value:
        node = doc
        for part in value["$ref"].lstrip("#/").split("/"):
            node = node[part]
        value = node
    return value


def main(spec_dir, bodies_path):
    ops = operations(spec_dir)
    bodies = json.loads(pathlib.Path(bodies_path).read_text())
    problems = []
    for i, entry in enumerate(bodies):
        name, status, body = entry["operation"], str(entry["status"]), entry["body"]
        file, doc, op = ops[name]
        responses = op["responses"]
        response = resolve(doc, responses.get(status) or responses.get(status[0] + "XX"))
        content = response.get("content")
        if content is None:
            if body is not None:
                problems.append(f"{file} {name} {status}: a body where none is declared")
            continue
        schema = dict(content["application/json"]["schema"])
        schema["components"] = doc["components"]
        validator = OAS30Validator(schema, format_checker=oas30_format_checker)
        for error in validator.iter_errors(body):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{file} {name} {status} body #{i} at /{where}: {error.message}")
    if problems:
        print(f"{len(problems)} error(s):")
        print("\n".join(problems))
        return 1
    print(f"OK: {len(bodies)} bodies validate with OAS30Validator")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
