#!/usr/bin/env bash
# Runs the libFuzzer targets, each for a fixed time (Tests/Fuzz/README.md).
#
#   bash Tests/Fuzz/run.sh envelope|token|session|all SECONDS [address]
#
# Builds `parley-fuzz` with -sanitize=fuzzer (and AddressSanitizer with `address`) in its own
# build folder, writes the seed corpus (make-corpus.py) into the scratch corpus folder (kept between
# runs, never committed), and runs each target for SECONDS (-max_total_time). Crash inputs go to
# the artifacts folder; the run exits 1 if any target crashed. Extra libFuzzer options can be
# given in PARLEY_FUZZ_OPTIONS (e.g. "-jobs=2 -workers=2").
set -euo pipefail
cd "$(dirname "$0")/../.."
usage="usage: bash Tests/Fuzz/run.sh envelope|token|session|all SECONDS [address]"
which=${1:?$usage}
seconds=${2:?$usage}
sanitizer=${3:-}
case "$which" in
    all) targets=(envelope token session) ;;
    envelope | token | session) targets=("$which") ;;
    *) echo "$usage" >&2; exit 2 ;;
esac

scratch=.build-fuzz
sanitize=fuzzer
if [ "$sanitizer" = address ]; then
    scratch=.build-fuzz-address
    sanitize=fuzzer,address
    export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
elif [ -n "$sanitizer" ]; then
    echo "$usage" >&2
    exit 2
fi

# The fuzzer's own main and Swift's (linked as `main`) both exist: gold fails on that, lld lets
# Swift's win, which then calls LLVMFuzzerRunDriver.
echo "== build parley-fuzz (-sanitize=$sanitize) in $scratch"
swift build -c release --product parley-fuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize="$sanitize" -Xswiftc -DPARLEY_LIBFUZZER -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld 2>&1 | tail -n 1
fuzzer="$scratch/release/parley-fuzz"

corpus="$scratch/corpus"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
artifacts="$scratch/artifacts/$stamp"
mkdir -p "$artifacts"
python3 Tests/Fuzz/make-corpus.py "$corpus"

declare -A maxlen=([envelope]=16384 [token]=4096 [session]=32768)
status=0
summary=()
for target in "${targets[@]}"; do
    log="$artifacts/$target.log"
    echo "== $target: ${seconds} s (log $log)"
    set +e
    # shellcheck disable=SC2086
    "$fuzzer" "$target" "$corpus/$target" -max_total_time="$seconds" -max_len="${maxlen[$target]}" -timeout=20 \
        -dict="Tests/Fuzz/$target.dict" -artifact_prefix="$artifacts/$target-" -print_final_stats=1 \
        ${PARLEY_FUZZ_OPTIONS:-} > "$log" 2>&1
    code=$?
    set -e
    done_line=$(grep -E "^#[0-9]+[[:space:]]+DONE" "$log" | tail -n 1 || true)
    last_line=$(grep -E "^#[0-9]+[[:space:]]" "$log" | tail -n 1 || true)
    units=$(grep -E "^stat::number_of_executed_units:" "$log" | awk '{ print $2 }' | tail -n 1 || true)
    crashes=$(find "$artifacts" -name "$target-*" -type f | wc -l)
    echo "${done_line:-$last_line}"
    echo "executions: ${units:-?}; corpus files: $(find "$corpus/$target" -type f | wc -l); crash/leak/timeout inputs: $crashes; exit $code"
    if [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        status=1
        grep -E "Fatal error|ERROR: |SUMMARY" "$log" | head -n 5 || true
        find "$artifacts" -name "$target-*" -type f
    fi
    summary+=("$target: exit $code, ${units:-?} executions, $crashes crash inputs")
done
echo "== summary ($(git rev-parse --short HEAD), $seconds s each, $sanitize)"
printf '%s\n' "${summary[@]}"
exit "$status"
