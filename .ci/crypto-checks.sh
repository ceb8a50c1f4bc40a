#!/usr/bin/env bash
# Crypto checks that need Python: Ed25519 and SHA-512 cross-checked with the `cryptography`
# package (OpenSSL) both ways — Python signs and Swift verifies and reproduces, Swift signs and
# Python verifies — over 10,000 seeded random keys and messages, seed printed.
# Called by .ci/run as `bash .ci/crypto-checks.sh`; runs from any directory on a fresh machine.
# PARLEY_CROSSCHECK_SEED replays a run; PARLEY_CROSSCHECK_COUNT changes the number of keys.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== crypto checks: installing cryptography"
if ! "$PYTHON" -c 'import cryptography.hazmat.primitives.asymmetric.ed25519' 2>/dev/null; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore cryptography 2>/dev/null \
        || "$PYTHON" -m pip install --quiet --disable-pip-version-check cryptography
fi
"$PYTHON" -c 'import cryptography; print("cryptography", cryptography.__version__)'

seed="${PARLEY_CROSSCHECK_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
count="${PARLEY_CROSSCHECK_COUNT:-10000}"
echo "== crypto checks: Ed25519 / SHA-512 against Python cryptography, $count keys (seed $seed)"
"$PYTHON" Tests/interop/ed25519_crosscheck.py generate "$work/python.json" "$seed" "$count"
if ! PARLEY_ED25519_CROSSCHECK="$work/python.json" PARLEY_ED25519_CROSSCHECK_OUT="$work/swift.json" \
    swift test --filter Ed25519InteropTests >"$work/crosscheck.log" 2>&1; then
    tail -n 40 "$work/crosscheck.log"
    echo "Ed25519 cross-check FAILED in Swift (seed $seed; rerun with PARLEY_CROSSCHECK_SEED=$seed)"
    exit 1
fi
grep -E "swift:|passed|skipped" "$work/crosscheck.log" | tail -n 2
if grep -q "skipped" "$work/crosscheck.log" || [ ! -s "$work/swift.json" ]; then
    echo "Ed25519 cross-check did not run"
    exit 1
fi
if ! "$PYTHON" Tests/interop/ed25519_crosscheck.py verify "$work/swift.json"; then
    echo "Ed25519 cross-check FAILED in Python (seed $seed; rerun with PARLEY_CROSSCHECK_SEED=$seed)"
    exit 1
fi

echo "== crypto checks: all passed"
