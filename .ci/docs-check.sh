#!/usr/bin/env bash
# Builds the DocC documentation of Parley and ParleyConformance with the toolchain's own tools —
# symbol graphs extracted from the built modules with swift-symbolgraph-extract, then
# `docc convert` — into a static site under .build/docs/<Module>. Fails on any DocC warning
# (broken symbol and article links included) and on any public symbol without a summary line;
# prints the documentation coverage of public symbols.
#
# Browse the result: python3 -m http.server -d .build/docs/Parley 8000, then open
# http://localhost:8000/documentation/parley (ParleyConformance likewise).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== build the documented modules"
swift build --target ParleyConformance 2>&1 | tail -n 1   # builds Parley (and ParleyCrypto) too
bin=$(swift build --show-bin-path)
modules="$bin/Modules"
[ -d "$modules" ] || modules="$bin"
triple=$(swift -print-target-info | python3 -c 'import json,sys; print(json.load(sys.stdin)["target"]["triple"])')

status=0
for module in Parley ParleyConformance; do
    graphs=".build/symbol-graphs/$module"
    site=".build/docs/$module"
    rm -rf "$graphs" "$site"
    mkdir -p "$graphs" .build/docs
    echo "== $module: symbol graph"
    swift-symbolgraph-extract -module-name "$module" -I "$modules" -target "$triple" \
        -minimum-access-level public -skip-synthesized-members -output-dir "$graphs"
    echo "== $module: docc convert -> $site"
    if ! docc convert "Sources/$module/$module.docc" \
        --additional-symbol-graph-dir "$graphs" \
        --output-path "$site" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.parley.$module" \
        --transform-for-static-hosting \
        --warnings-as-errors 2>&1 | tee ".build/docs-$module.log"; then
        status=1
    fi
    # docc exits non-zero on a warning with --warnings-as-errors; grep as well, in case a
    # diagnostic slips through as a printed warning only.
    if grep -E "(warning|error):" ".build/docs-$module.log" > /dev/null; then
        echo "docc reported problems for $module" >&2
        status=1
    fi
done

echo "== documentation coverage of public symbols (a summary line each)"
python3 - .build/symbol-graphs <<'PY' || status=1
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
undocumented = []
for module in ("Parley", "ParleyConformance"):
    symbols = json.loads((root / module / f"{module}.symbols.json").read_text())["symbols"]
    # Symbols declared in this module's sources (not members inherited from the standard library).
    own = [s for s in symbols if "/Sources/" in s.get("location", {}).get("uri", "")]
    missing = [s for s in own if not any(line.get("text", "").strip() for line in s.get("docComment", {}).get("lines", []))]
    documented = len(own) - len(missing)
    print(f"{module}: {documented} of {len(own)} public symbols documented ({100 * documented / max(len(own), 1):.1f} %)")
    for s in missing:
        location = s["location"]
        path = location["uri"].split("/Sources/", 1)[1]
        undocumented.append(f"Sources/{path}:{location['position']['line'] + 1}: {'.'.join(s['pathComponents'])}")
if undocumented:
    print("public symbols without a summary line:", *undocumented, sep="\n  ", file=sys.stderr)
    sys.exit(1)
PY

[ "$status" -eq 0 ] && echo "== docs check passed: .build/docs/Parley, .build/docs/ParleyConformance"
exit "$status"
