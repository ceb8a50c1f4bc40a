# A throwaway PostgreSQL cluster for the checks of Examples/Server; sourced (not run) by
# postgres-check.sh and fleet-check.sh:
#
#   check_name=fleet-check
#   source "$(dirname "${BASH_SOURCE[0]}")/pg-cluster.sh"   # a temp dir, a trap that cleans up
#   pg_cluster_start [-c NAME=VALUE ...]                     # installs if needed, initdb, start
#   psql_ -d postgres -c "CREATE DATABASE parley_test"
#   "$server" --database "$(pg_url parley_test)" & pids+=($!)
#
# Sourcing creates `$work` (a temporary directory for the caller's files too) and installs an
# EXIT trap that SIGKILLs every process in `pids`, stops the cluster (immediate mode) and removes
# `$work`, whatever happens; INT and TERM exit through it. `pg_cluster_start` installs PostgreSQL
# from Debian's packages when its server binaries are missing (with no default cluster, so that
# nothing keeps running afterwards), then creates a cluster in `$work/data`: loopback only, a
# free port (`$pg_port`), trust auth for the user `parley`, its socket in `$work`, run as the
# `postgres` user when we are root (PostgreSQL refuses to run as root). Durability is off
# (`fsync=off`, `synchronous_commit=off`): the data is thrown away. Extra `-c` settings are passed
# to the server (e.g. `-c shared_preload_libraries=pg_stat_statements`).

: "${check_name:=pg-cluster}"
work="$(mktemp -d "/tmp/parley-$check_name.XXXXXX")"
pids=()
pg_bindir=""
pg_port=""
as_owner=()

pg_cluster_cleanup() {
    local status=$?
    local pid
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    if [ -n "$pg_bindir" ] && [ -f "$work/data/postmaster.pid" ]; then
        "${as_owner[@]}" "$pg_bindir/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    [ "$status" -eq 0 ] || echo "$check_name: FAILED (status $status)" >&2
}
trap pg_cluster_cleanup EXIT
trap "exit 130" INT TERM

pg_find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Installs PostgreSQL from Debian's packages unless its server binaries are there; sets $pg_bindir.
pg_install() {
    pg_bindir="$(pg_find_bindir)"
    if [ -z "$pg_bindir" ] || [ ! -x "$pg_bindir/initdb" ] || [ ! -x "$pg_bindir/postgres" ]; then
        echo "== $check_name: installing PostgreSQL from Debian's packages"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        # No default cluster: nothing may keep running after the check.
        $sudo mkdir -p /etc/postgresql-common
        [ -f /etc/postgresql-common/createcluster.conf ] ||
            echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
        pg_bindir="$(pg_find_bindir)"
    fi
    [ -x "$pg_bindir/initdb" ] || { echo "$check_name: no PostgreSQL server binaries found" >&2; exit 1; }
    echo "== $check_name: $("$pg_bindir/postgres" --version)"
}

# pg_cluster_start [-c NAME=VALUE ...]: installs if needed, then initdb and start on a free port.
pg_cluster_start() {
    pg_install
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        chown postgres "$work"
        chmod a+rx "$work"
        as_owner=(runuser -u postgres --)
    fi
    pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    echo "== $check_name: initdb and start PostgreSQL on 127.0.0.1:$pg_port (data in $work)"
    "${as_owner[@]}" "$pg_bindir/initdb" -D "$work/data" -U parley --auth=trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1 ||
        { cat "$work/initdb.log"; exit 1; }
    "${as_owner[@]}" "$pg_bindir/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $work -c fsync=off -c synchronous_commit=off -c max_connections=200 $*" start >/dev/null ||
        { cat "$work/postgres.log"; exit 1; }
}

# psql_ ARGS...: psql as `parley` on the cluster, quiet, unaligned, tuples only.
psql_() { psql -h 127.0.0.1 -p "$pg_port" -U parley -X -q -t -A "$@"; }

# pg_url DATABASE: the postgres:// URL of a database on the cluster.
pg_url() { echo "postgres://parley@127.0.0.1:$pg_port/$1"; }
