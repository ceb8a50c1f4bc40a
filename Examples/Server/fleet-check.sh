#!/usr/bin/env bash
# Fleet check for Examples/Server: several `parley-server` instances on one PostgreSQL database
# serve one company, any instance takes any request, one of them is killed in the middle of the
# run, and still no slot is booked twice and no customer is lost. Self-contained: it installs
# PostgreSQL from Debian's packages if missing and starts a throwaway cluster on loopback
# (pg-cluster.sh, shared with postgres-check.sh); whatever happens, it stops every process it
# started and removes the cluster (trap).
#
#   1. builds parley-server (debug; --release for figures) and starts --instances instances
#      (default 3) on loopback ports, all with `--scenario fleet --database URL`: the barber of
#      Examples/Scenarios/Fleet.swift, one chair and one 15-minute service, open 08:00–18:00 on
#      3 May 2026 only, i.e. exactly 40 bookable slots (clock pinned with --now, per-client
#      limits off);
#   2. runs --customers customers (default 300; fleet-customers.py, a separate process, seeded:
#      --seed N is printed and replays the same choices), each asking for the whole day,
#      accepting the first proposal, granting consent for the given name, confirming; every
#      request goes to a random instance, and one that fails with a connection error is sent
#      again, same bytes, to another instance. Its doc says why B = min(40, C) is the expected
#      outcome and how a second ask keeps "no room" answers honest;
#   3. once 20 customers have booked (or half have finished), kills instance 1 (the second) with
#      SIGKILL and restarts it 3 seconds later on the same port and database (--no-kill: not);
#   4. counts in the database, with SQL, the double bookings D (pairs of active bookings that
#      overlap on one resource) and the active bookings (must be B, with the same references the
#      customers were told), and prints
#        fleet: C customers, B booked, N no-availability, F failed, D double bookings, R sessions resumed on another instance
#      R: customers that had a request fail with a connection error against the killed instance,
#      whose retry of that request another instance answered, and that then reached their outcome.
#      It exits non-zero unless D = 0, F = 0, B = min(40, C), the database holds exactly those B
#      bookings and (with the kill, and more than one instance) R > 0.
#   It also prints the customers' throughput and latency, and the database round trips per
#   negotiation (pg_stat_statements: statements executed, BEGIN/COMMIT included; postgres-nio sends
#   each statement in one round trip) and explicit transactions (BEGINs) per negotiation.
#
# Usage: bash Examples/Server/fleet-check.sh [--instances N] [--customers C] [--concurrency K]
#            [--seed N] [--pause S] [--no-kill] [--in-memory] [--release]
#   --pause: a customer's pause before asking again after "no room" (default 0.2 s; 0 for figures,
#   where the pause and not the server would bound the throughput).
#   --in-memory: one instance without --database (InMemoryBookingStore), for comparison figures:
#   no PostgreSQL, no kill, D from the customers' confirms. CI: .ci/fleet-checks.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
server_package="$(pwd)"

instances=3
customers=300
concurrency=24
pause=0.2
seed=""
kill_instance=1
do_kill=1
in_memory=0
configuration=debug
usage="usage: bash Examples/Server/fleet-check.sh [--instances N] [--customers C] [--concurrency K] [--seed N] [--pause S] [--no-kill] [--in-memory] [--release]"
number() { [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "fleet-check: $1 needs a number" >&2; echo "$usage" >&2; exit 64; }; }
while [ $# -gt 0 ]; do
    case "$1" in
        --instances) number "$1" "${2:-}"; instances="$2"; shift 2 ;;
        --customers) number "$1" "${2:-}"; customers="$2"; shift 2 ;;
        --concurrency) number "$1" "${2:-}"; concurrency="$2"; shift 2 ;;
        --seed) number "$1" "${2:-}"; seed="$2"; shift 2 ;;
        --pause) [[ "${2:-}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "fleet-check: --pause needs seconds" >&2; exit 64; }; pause="$2"; shift 2 ;;
        --no-kill) do_kill=0; shift ;;
        --in-memory) in_memory=1; do_kill=0; instances=1; shift ;;
        --release) configuration=release; shift ;;
        -h | --help) sed -n '2,39p' "$server_package/fleet-check.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fleet-check: unknown argument '$1'" >&2; echo "$usage" >&2; exit 64 ;;
    esac
done
[ "$instances" -ge 1 ] && [ "$customers" -ge 1 ] && [ "$concurrency" -ge 1 ] || { echo "$usage" >&2; exit 64; }
[ -n "$seed" ] || seed=$((RANDOM * 32768 + RANDOM))
slots=40
now=2026-05-02T09:00:00Z
window=2026-05-03T06:00:00Z/2026-05-03T15:45:00Z   # 08:00–17:45 Berlin: every start of the day
expected=$((customers < slots ? customers : slots))

check_name=fleet-check
# shellcheck source=pg-cluster.sh
source ./pg-cluster.sh

echo "== fleet: building parley-server ($configuration)"
swift build --package-path "$server_package" -c "$configuration" --product parley-server 2>&1 | tail -n 1
server="$(swift build --package-path "$server_package" -c "$configuration" --show-bin-path)/parley-server"

database_args=()
if [ "$in_memory" -eq 0 ]; then
    pg_cluster_start -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all
    psql_ -d postgres -c "CREATE DATABASE parley_fleet" >/dev/null
    psql_ -d parley_fleet -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 ||
        echo "fleet-check: pg_stat_statements is not available: no round-trip count"
    database_args=(--database "$(pg_url parley_fleet)")
fi

read -r -a ports <<<"$(python3 - "$instances" <<'EOF'
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
EOF
)"
instance_pids=()
urls=()
start_instance() { # start_instance I: parley-server instance I on its port; waits until it listens
    local index=$1 log="$work/instance-$1.log" pid
    touch "$log"
    "$server" --host 127.0.0.1 --port "${ports[$index]}" --scenario fleet --now "$now" \
        --requests-per-second 0 --sessions-per-client 100000 "${database_args[@]}" >>"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    instance_pids[index]=$pid
    for _ in $(seq 1 300); do
        if grep -q "on http://127.0.0.1:${ports[$index]}" "$log"; then
            urls[index]="http://127.0.0.1:${ports[$index]}"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "fleet-check: instance $index exited" >&2; exit 1; fi
        sleep 0.1
    done
    cat "$log"
    echo "fleet-check: instance $index did not start listening" >&2
    exit 1
}
for index in $(seq 0 $((instances - 1))); do start_instance "$index"; done
echo "== fleet: $instances instance(s) of parley-server --scenario fleet ${database_args[*]:+on one database}: ${urls[*]}"

stat_counters() { # statements executed, and BEGINs among them, on parley_fleet (pg_stat_statements)
    psql_ -d parley_fleet -F ' ' -c "SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE upper(query) LIKE 'BEGIN%'), 0)
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'parley_fleet') AND query NOT LIKE '%pg_stat%'" 2>/dev/null ||
        echo "0 0"
}
if [ "$in_memory" -eq 0 ]; then
    psql_ -d parley_fleet -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1 || true
    read -r statements_before transactions_before <<<"$(stat_counters)"
fi

kill_args=()
[ "$do_kill" -eq 1 ] && [ "$instances" -ge 1 ] && kill_args=(--kill-file "$work/kill" --killed-instance "$((kill_instance < instances ? kill_instance : 0))")
echo "== fleet: $customers customers, $concurrency at a time, seed $seed$([ "$do_kill" -eq 1 ] && echo ", one instance killed mid-run")"
python3 ./fleet-customers.py "${urls[@]}" --customers "$customers" --concurrency "$concurrency" --seed "$seed" \
    --reask-pause "$pause" --window "$window" --result "$work/result.json" "${kill_args[@]}" &
customers_pid=$!
pids+=("$customers_pid")
killed=0
while kill -0 "$customers_pid" 2>/dev/null; do
    if [ "$do_kill" -eq 1 ] && [ "$killed" -eq 0 ] && [ -f "$work/kill" ]; then
        victim=$((kill_instance < instances ? kill_instance : 0))
        kill -9 "${instance_pids[$victim]}"
        wait "${instance_pids[$victim]}" 2>/dev/null || true
        echo "fleet: instance $victim (${urls[$victim]}) killed with SIGKILL"
        killed=1
        sleep 3
        start_instance "$victim"
        touch "$work/kill.restarted"
        echo "fleet: instance $victim restarted on ${urls[$victim]}"
    fi
    sleep 0.05
done
status=0
wait "$customers_pid" || status=$?
[ "$status" -eq 0 ] && [ -f "$work/result.json" ] || { echo "fleet-check: the customers' process failed (status $status)" >&2; exit 1; }
[ "$do_kill" -eq 0 ] || [ "$killed" -eq 1 ] || { echo "fleet-check: the run ended before the kill" >&2; exit 1; }

result() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(" ".join(map(str, v)) if isinstance(v, list) else v)' "$work/result.json" "$1"; }
booked="$(result booked)"
no_availability="$(result noAvailability)"
failed="$(result failed)"
resumed="$(result resumed)"

ok=1
if [ "$in_memory" -eq 0 ]; then
    read -r statements_after transactions_after <<<"$(stat_counters)"
    company="company = 'barber.example/bot'"
    double="$(psql_ -d parley_fleet -c "SELECT count(*) FROM parley_reservations a JOIN parley_reservations b
        ON a.company = b.company AND a.resource = b.resource AND a.row_id < b.row_id AND a.during && b.during
        WHERE a.$company AND a.kind = 'booking' AND b.kind = 'booking' AND a.status <> 'cancelled' AND b.status <> 'cancelled'")"
    stored="$(psql_ -d parley_fleet -c "SELECT count(*) FROM parley_reservations WHERE $company AND kind = 'booking' AND status <> 'cancelled'")"
    stored_references="$(psql_ -d parley_fleet -c "SELECT reference FROM parley_reservations WHERE $company AND kind = 'booking' AND status <> 'cancelled' ORDER BY reference" | tr '\n' ' ' | sed 's/ $//')"
    told_references="$(result references)"
    echo "database: $stored active booking(s), $double overlapping pair(s) of active bookings on one resource"
    if [ "$stored" != "$booked" ] || [ "$stored_references" != "$told_references" ]; then
        echo "fleet-check: the database holds $stored booking(s), the customers were told of $booked (references differ: $([ "$stored_references" = "$told_references" ] && echo no || echo yes))" >&2
        ok=0
    fi
    negotiations=$customers
    python3 - "$statements_before" "$statements_after" "$transactions_before" "$transactions_after" "$negotiations" <<'EOF'
import sys
s0, s1, t0, t1, n = (int(float(x)) for x in sys.argv[1:])
print("database round trips: %d statements (pg_stat_statements, BEGIN/COMMIT included), %.1f per negotiation; "
      "%d explicit transactions, %.2f per negotiation" % (s1 - s0, (s1 - s0) / n, t1 - t0, (t1 - t0) / n))
EOF
else
    double="$(result toldOverlaps)"
    echo "in memory: no database; D counted from the confirms the customers received"
fi

echo "fleet: $customers customers, $booked booked, $no_availability no-availability, $failed failed, $double double bookings, $resumed sessions resumed on another instance"
[ "$double" = 0 ] || { echo "fleet-check: double bookings" >&2; ok=0; }
[ "$failed" = 0 ] || { echo "fleet-check: $failed customer(s) failed" >&2; ok=0; }
[ "$booked" = "$expected" ] || { echo "fleet-check: $booked booked, expected min($slots, $customers) = $expected" >&2; ok=0; }
if [ "$do_kill" -eq 1 ] && [ "$instances" -gt 1 ] && [ "$resumed" -eq 0 ]; then
    echo "fleet-check: no session was resumed on another instance (R = 0): the kill hit no session in flight" >&2
    ok=0
fi
[ "$ok" -eq 1 ] || { echo "fleet-check: replay with --seed $seed" >&2; exit 1; }
echo "== fleet checks passed"
