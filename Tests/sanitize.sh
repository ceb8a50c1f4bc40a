#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer, in its own build folder.
#
#   bash Tests/sanitize.sh thread     # ThreadSanitizer: data races
#   bash Tests/sanitize.sh address    # AddressSanitizer: out-of-bounds, use-after-free, double free
#
# Any report fails the run (halt_on_error). Extra arguments go to `swift test` (e.g. --filter).
# LeakSanitizer is off for `address`: at exit it reports everything held by tasks that are still
# suspended (timers sleeping on a test's manual clock, agents serving connections a test never
# closed, Foundation's `Process`), which is not a leak of a running process. Turn it on with
# ASAN_OPTIONS=detect_leaks=1 to look; `parley-bench leak` measures real growth instead.
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer=${1:?usage: Tests/sanitize.sh thread|address [swift test arguments]}
shift
case "$sanitizer" in
    thread) export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}" ;;
    address) export ASAN_OPTIONS="halt_on_error=1:detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" ;;
    *) echo "unknown sanitizer '$sanitizer' (thread or address)" >&2; exit 2 ;;
esac
start=$(date +%s)
swift build --build-tests --sanitize="$sanitizer" --scratch-path ".build-$sanitizer" 2>&1 | tail -n 3
swift test --skip-build --sanitize="$sanitizer" --scratch-path ".build-$sanitizer" "$@" 2>&1 | tee ".build-$sanitizer/test.log" | grep -E "Test run|passed after|failed|WARNING|ERROR|SUMMARY" | tail -n 20
status=${PIPESTATUS[0]}
echo "sanitizer $sanitizer: exit $status after $(( $(date +%s) - start )) s (log: .build-$sanitizer/test.log)"
exit "$status"
