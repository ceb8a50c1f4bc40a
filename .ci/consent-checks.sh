#!/usr/bin/env bash
# Consent checks that need Python: hash cross-check against hashlib/hmac, consent vectors
# reproduced by pymacaroons, and token interop with pymacaroons in both directions.
# Called by .ci/run as `bash .ci/consent-checks.sh`; runs from any directory on a fresh machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== consent checks: installing pymacaroons"
"$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore pymacaroons 2>/dev/null \
    || "$PYTHON" -m pip install --quiet --disable-pip-version-check pymacaroons
"$PYTHON" -c 'import pymacaroons' 

echo "== consent checks: building parley"
swift build --product parley 2>&1 | tail -n 1
parley="$(swift build --product parley --show-bin-path)/parley"

echo "== consent checks: SHA-256 / HMAC-SHA256 against Python hashlib/hmac (seeded random inputs)"
seed="${PARLEY_CROSSCHECK_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
"$PYTHON" Tests/interop/hash_crosscheck.py "$work/hash-cases.json" "$seed"
if ! PARLEY_HASH_CROSSCHECK="$work/hash-cases.json" swift test --filter CrossCheckTests >"$work/crosscheck.log" 2>&1; then
    cat "$work/crosscheck.log"
    echo "hash cross-check FAILED (seed $seed; rerun with PARLEY_CROSSCHECK_SEED=$seed)"
    exit 1
fi
grep -E "passed|skipped" "$work/crosscheck.log" | tail -n 1
if grep -q "skipped" "$work/crosscheck.log"; then
    echo "hash cross-check did not run"
    exit 1
fi

echo "== consent checks: Spec/vectors/consent.json reproduced by pymacaroons"
"$PYTHON" Tests/interop/make_consent_vectors.py --check

echo "== consent checks: pymacaroons interop, both directions"
"$PYTHON" Tests/interop/pymacaroons_interop.py "$parley"

echo "== consent checks: all passed"
