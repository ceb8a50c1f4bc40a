#!/usr/bin/env bash
# Scenario checks: the S1 demo's JSON Lines validate (Swift decoder and JSON Schema), its
# iCalendar file parses with Python's icalendar at 10:00 Europe/Berlin on 3 May 2026, and the
# deterministic simulation has no violations and replays byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check icalendar jsonschema rfc8785
swift build --product parley 2>&1 | tail -n 1
parley=.build/debug/parley
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- parley demo haircut --json | parley validate -"
$parley demo haircut --json > "$work/s1.jsonl"
$parley validate - < "$work/s1.jsonl"
if [ -f Spec/checks/check_vectors.py ]; then
    python3 Spec/checks/check_vectors.py --jsonl "$work/s1.jsonl"
fi

echo "-- parley demo haircut --ics: parsed by icalendar"
$parley demo haircut --ics "$work/s1.ics" > /dev/null
python3 Tests/interop/check_ics.py "$work/s1.ics" --expect-start 2026-05-03T10:00 --tz Europe/Berlin

echo "-- daylight saving: Berlin 2027-03-28 03:15 and both 02:15s of 2027-10-31, parsed by icalendar"
PARLEY_ICS_OUT="$work/dst" swift test --filter "DaylightSavingTests/writeSamples" > "$work/dst.log" 2>&1 || { cat "$work/dst.log"; exit 1; }
python3 Tests/interop/check_ics.py "$work/dst/dst-2027-03-28-0315.ics" --expect-start 2027-03-28T03:15 --tz Europe/Berlin --expect-utc 2027-03-28T01:15
python3 Tests/interop/check_ics.py "$work/dst/dst-2027-10-31-0215-first.ics" --expect-utc 2027-10-31T00:15
python3 Tests/interop/check_ics.py "$work/dst/dst-2027-10-31-0215-second.ics" --expect-utc 2027-10-31T01:15

echo "-- parley validate: 3 valid and 2 broken lines"
head -n 3 "$work/s1.jsonl" > "$work/mixed.jsonl"
printf '{"parley":1,"type":"hello"\n' >> "$work/mixed.jsonl"
printf '{"parley":2,"id":"x","session":"s","from":"a","to":"b","seq":1,"sentAt":"2026-05-03T10:00:00Z","type":"close","body":{"outcome":"done"}}\n' >> "$work/mixed.jsonl"
if $parley validate "$work/mixed.jsonl" > "$work/mixed.out"; then
    echo "parley validate accepted broken lines" >&2
    exit 1
fi
cat "$work/mixed.out"
grep -q "^line 4: malformed-json" "$work/mixed.out"
grep -q "^line 5: unsupported-version" "$work/mixed.out"
head -n 3 "$work/s1.jsonl" | $parley validate - > /dev/null

echo "-- parley simulate: 0 violations, identical summaries for the same seed"
$parley simulate --sessions 1000 --seed 7 --drop 0.1 --duplicate 0.1 --reorder 0.1 > "$work/sim1.txt"
$parley simulate --sessions 1000 --seed 7 --drop 0.1 --duplicate 0.1 --reorder 0.1 > "$work/sim2.txt"
cat "$work/sim1.txt"
cmp "$work/sim1.txt" "$work/sim2.txt"
echo "== scenario checks: all passed"
