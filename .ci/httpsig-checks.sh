#!/usr/bin/env bash
# HTTP message signature checks (Spec/HTTP.md §2.5, §7) against an independent implementation,
# Python's `http-message-signatures` (with `cryptography`, `requests`, `rfc8785`):
#   1. Python verifies Parley's committed request and response signatures (Spec/vectors/httpsig.json)
#      and refuses its invalid ones;
#   2. parley-server runs with a fresh company key (`parley key new`), --require-signatures and a
#      fresh Python customer key registered for its agent id: Python verifies the signed discovery
#      document, its signed requests are served, each bad one is refused with its problem code,
#      and it verifies every response Parley signed;
#   3. the same with a self-certifying agent id (`ed25519:…`) that is not registered;
#   4. `parley book --signing-key` books S1 with signed requests and verified responses;
#   5. `parley discover` prints the verified signature.
# Stops what it starts. Called by .ci/run as `bash .ci/httpsig-checks.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

echo "== httpsig: installing http-message-signatures, requests, rfc8785"
if ! "$PYTHON" -c 'import http_message_signatures, requests, rfc8785, jsonschema' 2>/dev/null; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore http-message-signatures requests rfc8785 jsonschema 2>/dev/null \
        || "$PYTHON" -m pip install --quiet --disable-pip-version-check http-message-signatures requests rfc8785 jsonschema
fi
"$PYTHON" -c 'import importlib.metadata as m; print("http-message-signatures", m.version("http-message-signatures"), "/ cryptography", m.version("cryptography"))'

echo "== httpsig: Python verifies Parley's vectors"
"$PYTHON" Tests/interop/httpsig_interop.py vectors Spec/vectors/httpsig.json

echo "== httpsig: building parley and Examples/Server"
swift build --product parley 2>&1 | tail -n 1
swift build --package-path Examples/Server --product parley-server 2>&1 | tail -n 1
parley="$(swift build --show-bin-path)/parley"
server="$(swift build --package-path Examples/Server --show-bin-path)/parley-server"

company_seed="$("$parley" key new)"
company_public="$("$parley" key public --seed "$company_seed")"
read -r customer_seed customer_public < <("$PYTHON" Tests/interop/httpsig_interop.py keygen)
agent="assistant.example/lisa-py"

start_server() { # start_server NAME ARGS…: parley-server on a free loopback port, real clock; sets $url
    local name="$1"
    shift
    local log="$work/$name.log"
    "$server" --host 127.0.0.1 --port 0 --scenario salon --signing-key "$company_seed" --require-signatures "$@" >"$log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    url=""
    for _ in $(seq 1 100); do
        url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -n 1 || true)"
        [ -n "$url" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "parley-server exited"; exit 1; fi
        sleep 0.2
    done
    [ -n "$url" ] || { cat "$log"; echo "parley-server did not report its port"; exit 1; }
    echo "$name: parley-server at $url"
}

echo "== httpsig: a registered customer key"
start_server registered --customer-key "$agent=$customer_public"
"$PYTHON" Tests/interop/httpsig_interop.py live "$url" "$customer_seed" "$agent" "$company_public"

echo "== httpsig: a self-certifying agent id, not registered"
self_id="$("$PYTHON" -c 'import base64,sys; print("ed25519:" + base64.urlsafe_b64encode(bytes.fromhex(sys.argv[1])).rstrip(b"=").decode())' "$customer_public")"
"$PYTHON" Tests/interop/httpsig_interop.py live "$url" "$customer_seed" "$self_id" "$company_public"

echo "== httpsig: parley book (S1) signs every request and verifies every response"
day="$(TZ=Europe/Berlin date -d tomorrow +%F)"
book_seed="$("$parley" key new)"
"$parley" book "$url" --service haircut --window "${day}T12:00/12:00" --window "${day}T10:00/12:00" --prefer "${day}T12:00" \
    --max-price 60 --share givenName=Lisa --answer service=haircut-women --signing-key "$book_seed" >"$work/book.txt"
tail -n 2 "$work/book.txt"
grep -q '^Outcome: booked haircut-women at salon.example/bot, .*10:00' "$work/book.txt"

echo "== httpsig: parley discover shows the signature"
"$parley" discover "$url" >"$work/discover.txt"
grep '^signature:' "$work/discover.txt"
grep -q '^signature: verified, by ' "$work/discover.txt"
echo "== httpsig checks passed"
