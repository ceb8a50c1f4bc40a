#!/usr/bin/env bash
# PostgreSQL checks: runs Examples/Server/postgres-check.sh, which installs PostgreSQL if missing,
# starts a throwaway cluster on loopback, runs the booking store contract against
# PostgresBookingStore and a kill-and-restart booking over HTTP, and removes the cluster whatever
# happens. Called by .ci/run as `bash .ci/postgres-checks.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash Examples/Server/postgres-check.sh
