#!/usr/bin/env bash
# Reads the x86-64 code the release build makes of Ed25519's secret-scalar multiplication and
# fails if it branches on anything but its loop counters. Guards the optimisation barrier in
# `CachedPoint.select` (Sources/ParleyCrypto/Ed25519Point.swift): without it, LLVM compiled the
# masked table selection into a search that branched on the secret nibble.
#
#   bash Tests/constant-time-check.sh        # x86-64 Linux with objdump; builds parley-bench -c release
#
# Rule: every conditional jump in the function must follow a comparison with a constant (loop
# counters, the scalar's length). The search LLVM made compared two registers (the candidate's
# offset with the one computed from the nibble) before its jump; that fails here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(uname -m)" = "x86_64" ] || { echo "x86-64 only; skipped"; exit 0; }
swift build -c release --product parley-bench 2>&1 | tail -n 1
binary="$(swift build -c release --product parley-bench --show-bin-path)/parley-bench"
code="$(objdump -d --no-show-raw-insn "$binary" | awk '/baseMultiplied14bySecretScalar.*>:$/ { p = 1 } p && /^$/ { p = 0 } p')"
if [ -z "$code" ]; then echo "baseMultiplied(bySecretScalar:) not found in $binary"; exit 1; fi
functions="$(grep -c '>:$' <<<"$code")"
jumps="$(grep -cE '^[[:space:]]+[0-9a-f]+:[[:space:]]+j[a-z]+ ' <<<"$code" || true)"
suspect="$(awk '
    /^[[:space:]]+[0-9a-f]+:[[:space:]]+j(n?e|n?z|a|ae|b|be|g|ge|l|le|s|ns|o|no|p|np) / { if (previous !~ /(cmp|test)[bwlq]?[[:space:]]+\$/) print previous " / " $0 }
    { previous = $0 }' <<<"$code")"
echo "baseMultiplied(bySecretScalar:): $functions copies, $jumps jumps"
if [ -n "$suspect" ]; then
    echo "$suspect"
    echo "FAILED: a conditional jump that does not follow a comparison with a constant; read the code for a branch on secret data"
    exit 1
fi
echo "constant-time check: passed"
