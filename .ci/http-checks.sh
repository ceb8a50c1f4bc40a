#!/usr/bin/env bash
# HTTP binding checks (Spec/HTTP.md): builds Examples/Server, starts parley-server on a loopback
# port, then runs `parley discover`, `parley book` for the S1 haircut (booked at 10:00, only the
# given name disclosed), `parley conformance --url … --role company` (0 failed) and the Python
# client written from Spec/HTTP.md, which plays S1 over HTTP. The server is stopped whatever
# happens. Called by .ci/run as `bash .ci/http-checks.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

echo "== http: building parley and Examples/Server"
swift build --product parley 2>&1 | tail -n 1
swift build --package-path Examples/Server --product parley-server 2>&1 | tail -n 1
parley="$(swift build --show-bin-path)/parley"
server="$(swift build --package-path Examples/Server --show-bin-path)/parley-server"

start_server() { # start_server NAME [ARGUMENTS…]: starts parley-server (salon) on a free loopback port, sets $url and $server_pid
    local log="$work/$1.log"
    shift
    "$server" --host 127.0.0.1 --port 0 --scenario salon --now "$now" "$@" >"$log" 2>&1 &
    local pid=$!
    server_pid=$pid
    pids+=("$pid")
    url=""
    for _ in $(seq 1 100); do
        url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -n 1 || true)"
        [ -n "$url" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "parley-server exited"; exit 1; fi
        sleep 0.2
    done
    [ -n "$url" ] || { cat "$log"; echo "parley-server did not report its port"; exit 1; }
    echo "$(basename "$log" .log): parley-server at $url"
}

# Every program runs on one pinned clock, the day before the scenarios' 3 May 2026, so that the
# S1 diary (laid out from tomorrow) falls on the dates the Python client of Spec/HTTP.md uses.
now=2026-05-02T09:00:00Z

echo "== http: starting parley-server on a free loopback port"
start_server main
echo "== http: parley discover"
"$parley" discover "$url" | tee "$work/discover.txt" | head -n 8
grep -q '^agent: *salon.example/bot$' "$work/discover.txt"

echo "== http: parley book (S1)"
"$parley" book "$url" --service haircut --window 2026-05-03T12:00/12:00 --window 2026-05-03T10:00/12:00 \
    --prefer 2026-05-03T12:00 --max-price 60 --share givenName=Lisa --answer service=haircut-women \
    --as assistant.example/lisa --now "$now" | tee "$work/book.txt" | tail -n 3
grep -q '^Outcome: booked haircut-women at salon.example/bot, .*10:00' "$work/book.txt"
grep -q '^Data salon.example/bot received: givenName$' "$work/book.txt"

echo "== http: parley conformance --url … --role company (a fresh parley-server per case, as --peer does for stdio)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$parley" conformance --url "http://127.0.0.1:$port" --role company --now "$now" \
    --server "$server --host 127.0.0.1 --port $port --scenario salon --now $now" >"$work/conformance.txt" 2>&1 || { cat "$work/conformance.txt"; exit 1; }
tail -n 1 "$work/conformance.txt"
tail -n 1 "$work/conformance.txt" | grep -q ' 0 failed'

echo "== http: Python client from Spec/HTTP.md (S1, against a second parley-server: the first one's 10:00 is booked)"
main_url="$url"
start_server python
python3 Tests/interop/http_client.py "$url"
url="$main_url"

echo "== http: the benchmark script, briefly (Benchmarks/http/bench.py; figures in BENCHMARKS.md come from release builds)"
start_server bench --scenario bench --now 2026-04-30T09:00:00Z --requests-per-second 0 --sessions-per-client 100000
python3 Benchmarks/http/bench.py "$url" "$server_pid" --shape bench --customers 4 --seconds 2
start_server bench-salon --requests-per-second 0 --sessions-per-client 100000
python3 Benchmarks/http/bench.py "$url" "$server_pid" --shape salon --customers 4 --seconds 2
url="$main_url"

echo "== http: server still serving after all that"
"$parley" discover "$url" >/dev/null
echo "== http checks passed"
