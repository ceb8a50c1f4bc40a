#!/usr/bin/env bash
# Measures the peers Parley is compared with, on this machine: NegMAS (SAO mechanism, stock
# time-based negotiators, ≤ 20 rounds, slot × price outcome space) and pymacaroons (mint, verify).
# Creates its own virtual environment; prints one line per figure.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check negmas pymacaroons
fi
.venv/bin/python peers.py "$@"
