#!/usr/bin/env bash
# Conformance checks through real processes: `parley conformance` against `parley serve` for both
# roles (every case must pass, exit 0), and against each deliberately broken peer (exactly its
# expected cases fail, exit non-zero), and the independent Python peers of Tests/interop/stdio_peers.py
# booking with `parley serve` in both roles on the real clock. Called by .ci/run as `bash .ci/conformance-checks.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== conformance: building parley and the broken peers"
swift build --product parley 2>&1 | tail -n 1
swift build --product parley-broken-peer 2>&1 | tail -n 1
bin="$(swift build --show-bin-path)"
parley="$bin/parley"
broken="$bin/parley-broken-peer"

run() { # run EXPECTED_EXIT NAME ROLE COMMAND
    local expected="$1" name="$2" role="$3" command="$4" status=0
    "$parley" conformance --peer "$command" --role "$role" --json "$work/$name.json" >"$work/$name.txt" 2>&1 || status=$?
    tail -n 1 "$work/$name.txt"
    if [ "$expected" = 0 ] && [ "$status" != 0 ]; then cat "$work/$name.txt"; echo "$name: expected exit 0, got $status"; exit 1; fi
    if [ "$expected" != 0 ] && [ "$status" = 0 ]; then cat "$work/$name.txt"; echo "$name: expected a non-zero exit"; exit 1; fi
}

failing() { # the failing case ids of a report, sorted, space-separated
    grep '^FAIL ' "$work/$1.txt" | awk '{print $2}' | sort | tr '\n' ' ' | sed 's/ $//'
}

expect_failing() { # expect_failing NAME "ID ID …"
    local got; got="$(failing "$1")"
    local want; want="$(echo "$2" | tr ' ' '\n' | grep -v '^$' | sort | tr '\n' ' ' | sed 's/ $//')"
    if [ "$got" != "$want" ]; then cat "$work/$1.txt"; echo "$1: failing cases [$got], expected [$want]"; exit 1; fi
    echo "$1: exactly the expected cases fail"
}

echo "== conformance: parley serve --role company --scenario salon"
run 0 serve-company company "$parley serve --role company --scenario salon"
echo "== conformance: parley serve --role customer --scenario haircut"
run 0 serve-customer customer "$parley serve --role customer --scenario haircut"

echo "== conformance: independent Python peers over stdio, on the real clock (Tests/interop/stdio_peers.py)"
python3 -c 'import rfc8785, cryptography' 2>/dev/null || python3 -m pip install --quiet rfc8785 cryptography
python3 Tests/interop/stdio_peers.py customer -- "$parley" serve --role company --scenario salon 2>"$work/py-customer.err" | tail -n 1 \
    || { cat "$work/py-customer.err"; exit 1; }
python3 Tests/interop/stdio_peers.py company -- "$parley" serve --role customer --scenario haircut 2>"$work/py-company.err" | tail -n 1 \
    || { cat "$work/py-company.err"; exit 1; }

echo "== conformance: broken peers"
run 1 accepts-expired-offer customer "$broken --defect accepts-expired-offer"
expect_failing accepts-expired-offer "expiry.customer.expired-offer"
run 1 discloses-ungranted-field customer "$broken --defect discloses-ungranted-field"
expect_failing discloses-ungranted-field "flow.customer.booking privacy.customer.disclose-only-granted"
run 1 accepts-tampered-confirm customer "$broken --defect accepts-tampered-confirm"
terms="$(for t in price cancellation add-ons location time-zone revision fee; do printf 'content.customer.confirm-terms.%s ' "$t"; done)"
expect_failing accepts-tampered-confirm "$terms"
run 1 ignores-transition-table company "$broken --defect ignores-transition-table"
tables="$(for p in start ready questioned offered consentRequested disclosing booked declined handedOff; do printf 'table.company.%s ' "$p"; done)"
expect_failing ignores-transition-table "errors.unexpected-message errors.limit-exceeded errors.rejected-opening-keeps-no-state idempotency.same-error $tables"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["failed"]==0 and d["passed"]>0 and all("spec" in c for c in d["cases"])' "$work/serve-company.json"
echo "== conformance checks: all passed"
