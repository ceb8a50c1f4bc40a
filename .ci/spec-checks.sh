#!/usr/bin/env bash
# Spec checks: the schema and message vectors are what their generators write, every valid
# vector passes the JSON Schema and canonicalises (rfc8785) to its `canonical` text; the signature
# vectors are what Python's rfc8785 and cryptography (OpenSSL) compute.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check jsonschema rfc8785 cryptography
python3 Spec/checks/make_schema.py --check
python3 Spec/checks/make_message_vectors.py --check
python3 Spec/checks/make_signature_vectors.py --check
python3 Spec/checks/check_vectors.py
echo "== spec checks: all passed"
