#!/usr/bin/env bash
# Reads the x86-64 code the release build makes of Ed25519's secret-scalar multiplication and
# fails if it branches on anything but its loop counters. Guards the optimisation barrier in
# `CachedPoint.select` (Sources/ParleyCrypto/Ed25519Point.swift): without it, LLVM compiled the
# masked table selection into a search that branched on the secret nibble.
#
#   bash Tests/constant-time-check.sh        # x86-64 Linux with objdump; builds parley-bench -c release
#
# The function has three loops (positions, candidates, and one check of the scalar's length);
# a compiled search over the table adds conditional jumps back into the candidate loop. The
# threshold is deliberately tight: a new branch means reading the code again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(uname -m)" = "x86_64" ] || { echo "x86-64 only; skipped"; exit 0; }
swift build -c release --product parley-bench 2>&1 | tail -n 1
binary="$(swift build -c release --product parley-bench --show-bin-path)/parley-bench"
code="$(objdump -d --no-show-raw-insn "$binary" | awk '/baseMultiplied14bySecretScalar.*>:$/ { p = 1 } p && /^$/ { p = 0 } p')"
if [ -z "$code" ]; then echo "baseMultiplied(bySecretScalar:) not found in $binary"; exit 1; fi
functions="$(grep -c '>:$' <<<"$code")"
jumps="$(grep -cE '^\s+[0-9a-f]+:\s+j(n?e|n?z|a|ae|b|be|g|ge|l|le|s|ns|o|no|p|np) ' <<<"$code" || true)"
echo "baseMultiplied(bySecretScalar:): $functions copies, $jumps conditional jumps"
if [ "$jumps" -gt $((3 * functions)) ]; then
    grep -E '^\s+[0-9a-f]+:\s+j' <<<"$code"
    echo "FAILED: more conditional jumps than loops; read the code for a branch on secret data"
    exit 1
fi
echo "constant-time check: passed"
