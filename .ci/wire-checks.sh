#!/usr/bin/env bash
# Wire checks that need Python: CanonicalJSON (RFC 8785) against the `rfc8785` package on seeded
# random doubles and JSON documents. Runs from any directory; fails if the Swift test is skipped.
# Set PARLEY_CROSSCHECK_SEED to replay a seed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== wire checks: installing rfc8785"
"$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore rfc8785 2>/dev/null \
    || "$PYTHON" -m pip install --quiet --disable-pip-version-check rfc8785
"$PYTHON" -c 'import rfc8785'

echo "== wire checks: CanonicalJSON against Python rfc8785 (seeded random doubles and documents)"
seed="${PARLEY_CROSSCHECK_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
"$PYTHON" Tests/interop/canonical_crosscheck.py "$work/canonical-cases.jsonl" "$seed"
if ! PARLEY_CANONICAL_CROSSCHECK="$work/canonical-cases.jsonl" swift test --filter CanonicalCrossCheck >"$work/crosscheck.log" 2>&1; then
    cat "$work/crosscheck.log"
    echo "canonical cross-check FAILED (seed $seed; rerun with PARLEY_CROSSCHECK_SEED=$seed)"
    exit 1
fi
grep -E "canonical cross-check:|passed|skipped" "$work/crosscheck.log" | tail -n 2
if grep -q "skipped" "$work/crosscheck.log" || ! grep -q "canonical cross-check: [1-9]" "$work/crosscheck.log"; then
    echo "canonical cross-check did not run"
    exit 1
fi

echo "== wire checks: all passed"
