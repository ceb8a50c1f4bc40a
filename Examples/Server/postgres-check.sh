#!/usr/bin/env bash
# PostgreSQL check for Examples/Server, self-contained: installs PostgreSQL from Debian's packages
# if its server is missing, creates a throwaway cluster in a temporary directory (its own data
# directory, loopback only, a free port, trust auth, run as the `postgres` user when we are root,
# since PostgreSQL refuses to run as root; pg-cluster.sh, shared with fleet-check.sh), then
#   1. runs the PostgreSQL tests: the booking store contract and the session store contract
#      against this database, an S1 session restarted between accept and consent-grant, a
#      compare-and-set race of two instances on one session, and the round trips of one negotiation,
#   2. starts `parley-server --database`, books the S1 haircut at 10:00 with `parley book`,
#      kills the server with SIGKILL, starts a new one on the same database and checks that the
#      booking survived: the new instance refuses 10:00 and the database holds exactly one booking,
# and finally stops the cluster and removes everything, whatever happens (trap).
# Usage: bash Examples/Server/postgres-check.sh   (from anywhere; .ci/postgres-checks.sh calls it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
server_package="$(pwd)"
root="$(cd ../.. && pwd)"

check_name=postgres-check
# shellcheck source=pg-cluster.sh
source ./pg-cluster.sh
pg_cluster_start
psql_ -d postgres -c "CREATE DATABASE parley_test" >/dev/null
export PARLEY_TEST_DATABASE_URL="$(pg_url parley_test)"

echo "== postgres: building Examples/Server and parley"
swift build --package-path "$server_package" --build-tests 2>&1 | tail -n 1
swift build --package-path "$root" --product parley 2>&1 | tail -n 1

echo "== postgres: PostgresBookingStore and PostgresSessionStore tests (both store contracts on PostgreSQL, restart, race)"
swift test --package-path "$server_package" --skip-build --filter ParleyPostgresTests 2>&1 | tee "$work/test.log" |
    grep -E "^(PASS|FAIL) |passed|failed|skipped|round trips|^  [a-z-]+: |^  total: " | tail -n 60
for required in "passes every check of the booking store contract" "passes every check of the session store contract" \
    "S1 survives a restart between accept and consent-grant" "two instances advance one session at once"; do
    grep -q "Test \"$required.*\" passed" "$work/test.log" ||
        { echo "postgres-check: the test \"$required\" did not pass (or did not run)" >&2; exit 1; }
done
if grep -qE "✘|skipped" "$work/test.log"; then echo "postgres-check: a PostgreSQL test failed or was skipped" >&2; exit 1; fi

echo "== postgres: the rest of Examples/Server's tests (real HTTP through Hummingbird, A2A, bad input)"
swift test --package-path "$server_package" --skip-build --skip ParleyPostgresTests >"$work/server-tests.log" 2>&1 ||
    { cat "$work/server-tests.log"; echo "postgres-check: an Examples/Server test failed" >&2; exit 1; }
grep -E "^✔ Test run|Executed .* tests" "$work/server-tests.log" | tail -n 2

server="$(swift build --package-path "$server_package" --show-bin-path)/parley-server"
parley="$(swift build --package-path "$root" --show-bin-path)/parley"
now=2026-05-02T09:00:00Z
url=""
start_server() { # start_server NAME: parley-server --database on a free loopback port; sets $url
    local log="$work/$1.log"
    "$server" --host 127.0.0.1 --port 0 --scenario salon --now "$now" --database "$PARLEY_TEST_DATABASE_URL" >"$log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    url=""
    for _ in $(seq 1 150); do
        url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -n 1 || true)"
        [ -n "$url" ] && break
        if ! kill -0 "$server_pid" 2>/dev/null; then cat "$log"; echo "parley-server exited" >&2; exit 1; fi
        sleep 0.2
    done
    [ -n "$url" ] || { cat "$log"; echo "parley-server did not report its port" >&2; exit 1; }
    echo "$1: parley-server --database at $url"
}
book() {
    "$parley" book "$url" --service haircut --window 2026-05-03T12:00/12:00 --window 2026-05-03T10:00/12:00 \
        --prefer 2026-05-03T12:00 --max-price 60 --share givenName=Lisa --answer service=haircut-women \
        --as "assistant.example/$1" --now "$now" >"$work/book-$1.txt" 2>&1 || true
    grep '^Outcome:' "$work/book-$1.txt" || { cat "$work/book-$1.txt"; echo "no outcome" >&2; exit 1; }
}

echo "== postgres: parley-server --database books S1, is killed, and a new instance still has the booking"
start_server first
book lisa
grep -q '^Outcome: booked haircut-women at salon.example/bot, .*10:00' "$work/book-lisa.txt"
{ kill -9 "$server_pid" && wait "$server_pid"; } 2>/dev/null || true
start_server second
book anna
if grep -q '^Outcome: booked .*10:00' "$work/book-anna.txt"; then
    echo "postgres-check: the restarted server booked 10:00 again" >&2
    exit 1
fi
bookings="$(psql_ -d parley_test -c "SELECT count(*) FROM parley_reservations WHERE kind = 'booking' AND status = 'booked' AND reference LIKE 'B-%'")"
seeded="$(psql_ -d parley_test -c "SELECT count(*) FROM parley_reservations WHERE kind = 'booking' AND reference LIKE 'X-%'")"
overlaps="$(psql_ -d parley_test -c "SELECT count(*) FROM parley_reservations a JOIN parley_reservations b ON a.company = b.company AND a.resource = b.resource AND a.row_id < b.row_id AND a.during && b.during WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'")"
echo "database: $bookings booking(s) made over HTTP, $seeded diary booking(s), $overlaps overlapping pair(s)"
[ "$bookings" = 1 ] && [ "$seeded" = 4 ] && [ "$overlaps" = 0 ] || { echo "postgres-check: unexpected database contents" >&2; exit 1; }
echo "== postgres checks passed"
