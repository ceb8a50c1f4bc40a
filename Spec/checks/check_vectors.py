#!/usr/bin/env python3
"""CI check of the spec's machine-readable parts.

- the schema is a valid JSON Schema 2020-12;
- every valid vector of Spec/vectors/messages.json passes the schema, and the `rfc8785` package
  canonicalises its input to exactly `canonical`, whose SHA-256 is `sha256`;
- every invalid vector the schema can catch fails it;
- with --jsonl FILE: every line of a JSON Lines file of envelopes passes the schema.
Ends with "N passed, N failed".
"""
import argparse
import hashlib
import json
import pathlib
import sys

import jsonschema
import rfc8785

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema", default=ROOT / "Spec/schema/parley.schema.json")
    parser.add_argument("--vectors", default=ROOT / "Spec/vectors/messages.json")
    parser.add_argument("--jsonl")
    args = parser.parse_args()
    schema = json.loads(pathlib.Path(args.schema).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    passed, failures = 0, []

    def check(ok, what):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(what)
            print("FAIL", what)

    if args.jsonl:
        for number, line in enumerate(pathlib.Path(args.jsonl).read_text().splitlines(), 1):
            if line.strip():
                errors = [e.message for e in validator.iter_errors(json.loads(line))]
                check(not errors, f"line {number}: {errors[:1]}")
    else:
        vectors = json.loads(pathlib.Path(args.vectors).read_text())
        for case in vectors:
            if case["valid"]:
                value = json.loads(case["input"])
                check(not list(validator.iter_errors(value)), f"{case['name']}: fails the schema")
                canonical = rfc8785.dumps(value).decode()
                check(canonical == case["canonical"], f"{case['name']}: rfc8785 gives {canonical[:80]}…")
                check(hashlib.sha256(case["canonical"].encode()).hexdigest() == case["sha256"], f"{case['name']}: sha256")
            elif "input" in case and case.get("schemaCatches", True) and case["error"] not in (
                    "malformed-json", "duplicate-key", "too-large", "too-deep"):
                check(bool(list(validator.iter_errors(json.loads(case["input"])))), f"{case['name']}: the schema accepts it")
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
