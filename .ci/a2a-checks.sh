#!/usr/bin/env bash
# A2A extension checks (Spec/A2A.md): builds Examples/Server, starts parley-server on loopback
# ports with the clock pinned to 2026-05-02T09:00:00Z, then
#   - the official A2A Python SDK (a2a-sdk 1.3.0, A2A protocol 1.0, in a throw-away venv) as an
#     independent client: Tests/interop/a2a_sdk_client.py resolves the agent card, checks the
#     Parley extension, sends garbage (A2A errors expected) and plays S1 through the SDK's client,
#     booked at 10:00 with only the given name disclosed;
#   - `parley book --a2a` (the Swift CustomerAgent over A2AClientTransport): S1 booked at 10:00
#     against a second server. (S2 over A2A, and the garbage cases, run in `swift test`:
#     Tests/ParleyTests/A2A.)
# The servers are stopped whatever happens. Called by .ci/run as `bash .ci/a2a-checks.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

echo "== a2a: installing the A2A Python SDK (a2a-sdk==1.3.0) in a venv"
python3 -m venv "$work/venv" >/dev/null 2>&1 || { apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$work/venv"; }
"$work/venv/bin/pip" install -q --disable-pip-version-check a2a-sdk==1.3.0 httpx
"$work/venv/bin/python" -c 'import a2a.utils.constants as c; print("a2a-sdk speaks A2A", c.PROTOCOL_VERSION_CURRENT)'

echo "== a2a: building parley and Examples/Server"
swift build --product parley 2>&1 | tail -n 1
swift build --package-path Examples/Server --product parley-server 2>&1 | tail -n 1
parley="$(swift build --show-bin-path)/parley"
server="$(swift build --package-path Examples/Server --show-bin-path)/parley-server"

now=2026-05-02T09:00:00Z
start_server() { # start_server NAME SCENARIO: starts parley-server on a free loopback port, sets $url
    local log="$work/$1.log"
    "$server" --host 127.0.0.1 --port 0 --scenario "$2" --now "$now" >"$log" 2>&1 &
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
    echo "$1: parley-server ($2) at $url"
}

echo "== a2a: the A2A Python SDK plays S1 (Tests/interop/a2a_sdk_client.py)"
start_server sdk salon
"$work/venv/bin/python" Tests/interop/a2a_sdk_client.py "$url"

echo "== a2a: parley book --a2a (S1, against a second parley-server: the first one's 10:00 is booked)"
start_server swift salon
"$parley" book "$url" --a2a --service haircut --window 2026-05-03T12:00/12:00 --window 2026-05-03T10:00/12:00 \
    --prefer 2026-05-03T12:00 --max-price 60 --share givenName=Lisa --answer service=haircut-women \
    --as assistant.example/lisa --now "$now" | tee "$work/book.txt" | tail -n 2
grep -q '^Outcome: booked haircut-women at salon.example/bot, .*10:00' "$work/book.txt"
grep -q '^Data salon.example/bot received: givenName$' "$work/book.txt"

echo "== a2a checks passed"
