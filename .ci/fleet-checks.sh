#!/usr/bin/env bash
# Fleet checks: runs Examples/Server/fleet-check.sh, which installs PostgreSQL if missing, starts a
# throwaway cluster on loopback, runs 3 parley-server instances on one database (debug build,
# shared with postgres-check.sh), 300 customers sending each request to a random instance while
# one instance is killed with SIGKILL and restarted, and checks in the database that nothing was
# booked twice and exactly min(40, 300) bookings were made; it removes everything it started,
# whatever happens. Called by .ci/run as `bash .ci/fleet-checks.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Examples/Server/fleet-check.sh
