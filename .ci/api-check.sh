#!/usr/bin/env bash
# The public API check: dumps the public API of the library products Parley and
# ParleyConformance with the toolchain's swift-api-digester, flattens each dump into a sorted,
# readable text file (one line per public declaration: its kind, full name, signature,
# conformances and the attributes that matter to callers) and compares it with the baseline
# checked in under Spec/api/. Any difference fails the check and is printed as a diff:
# `-` lines are declarations removed or changed (source-breaking for embedders unless they were
# deprecated first), `+` lines are additions.
#
#   bash .ci/api-check.sh            # check against Spec/api/*.txt
#   bash .ci/api-check.sh --update   # deliberately rewrite the baseline from the current code
#
# After `--update`, review `git diff Spec/api/` and note the change in CHANGELOG.md (under
# "Unreleased"). The dump is deterministic: declarations are sorted, source locations, imports,
# mangled names and compiler-synthesised members are left out, so the same code and toolchain
# always give the same files. It needs no git history or tag, so it runs on a fresh clone.
#
# Why not `swift package diagnose-api-breaking-changes <tag>`: it needs the baseline revision in
# the clone (a shallow CI checkout has none, and there is no tag before 0.1.0), builds the whole
# package a second time at that revision (3 minutes here, against ~10 s for this check once the
# package is built), and reports only breakage, so additions slip in unrecorded.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=check
case "${1:-}" in
    "") ;;
    --update) mode=update ;;
    -h | --help)
        sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bash .ci/api-check.sh [--update]" >&2
        exit 64
        ;;
esac

modules=(Parley ParleyConformance)

echo "== build the modules whose API is checked"
swift build --target ParleyConformance 2>&1 | tail -n 1 # builds Parley (and ParleyCrypto) too
bin=$(swift build --show-bin-path)
search="$bin/Modules"
[ -d "$search" ] || search="$bin"
triple=$(swift -print-target-info | python3 -c 'import json,sys; print(json.load(sys.stdin)["target"]["triple"])')
digester=$(command -v swift-api-digester || true)
if [ -z "$digester" ]; then
    digester="$(dirname "$(readlink -f "$(command -v swift)")")/swift-api-digester"
fi
toolchain=$(swift --version 2>&1 | head -n 1)

work=.build/api
rm -rf "$work"
mkdir -p "$work" Spec/api
status=0
for module in "${modules[@]}"; do
    "$digester" -dump-sdk -module "$module" -I "$search" -target "$triple" \
        -swift-only -avoid-location -avoid-tool-args -o "$work/$module.json"
    python3 - "$work/$module.json" "$module" "$toolchain" > "$work/$module.txt" <<'PY'
import json, re, subprocess, sys

path, module, toolchain = sys.argv[1:4]
root = json.load(open(path))["ABIRoot"]

# The digester's JSON says whether a function throws but not whether it is `async`, nor its
# thrown type; the demangled symbol says both. Demangle every function's name in one run.
def mangled_functions(node):
    if node.get("kind") in ("Function", "Constructor") and node.get("mangledName"):
        yield node["mangledName"]
    for child in node.get("children", []):
        yield from mangled_functions(child)

names = sorted(set(mangled_functions(root)))
demangled = subprocess.run(["swift", "demangle"], input="\n".join(names) + "\n", capture_output=True, text=True,
                           check=True).stdout.splitlines()
DEMANGLED = dict(zip(names, demangled)) if len(demangled) == len(names) else {}
if not DEMANGLED:
    sys.exit("swift demangle did not answer one line per symbol")

def effects(node):
    """`async`, `throws` or `throws(E)` as the function's own declaration has them (not its closures')."""
    text = DEMANGLED.get(node.get("mangledName", ""), "")
    start = text.find("(")
    if start < 0:
        return []
    depth = 0
    for index in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            break
    suffix = text[index + 1:].split(" -> ")[0]
    found = []
    if re.search(r"\basync\b", suffix):
        found.append("async")
    thrown = re.search(r"\bthrows(\([^)]*\))?", suffix)
    if thrown:
        found.append(short(thrown.group(0)))
    return found

# Marker protocols every type has, or that depend on the compiler version rather than the code.
IGNORED_CONFORMANCES = {"Copyable", "Escapable", "SendableMetatype", "BitwiseCopyable"}
# Attributes that say something to a caller (the others are storage and optimiser details).
KEPT_ATTRIBUTES = {"Final", "Nonisolated", "DiscardableResult", "Frozen", "Indirect", "Available",
                   "Preconcurrency", "MainActor", "Inlinable", "UsableFromInline", "Actor", "DistributedActor"}

def short(type_name):
    """A type as printed, without the module prefixes of the standard library, Foundation and Parley."""
    # Foundation's types print as FoundationEssentials.X on Linux and Foundation.X on Apple platforms.
    return re.sub(r"\b(Swift|_Concurrency|FoundationEssentials|Foundation|Parley|%s)\." % re.escape(module), "", type_name)

def type_of(node):
    return short(node.get("printedName", node.get("name", "?")))

def attributes(node):
    kept = [a for a in node.get("declAttributes", []) if a in KEPT_ATTRIBUTES]
    if node.get("deprecated"):
        kept.append("deprecated")
    if node.get("static"):
        kept.append("static")
    if node.get("kind") in ("Function", "Constructor"):
        kept += effects(node)
    elif node.get("throwing"):
        kept.append("throws")
    if node.get("funcSelfKind") == "Mutating":
        kept.append("mutating")
    if node.get("protocolReq"):
        kept.append("requirement")
    if node.get("isEnumExhaustive") is False and node.get("declKind") == "Enum":
        kept.append("non-exhaustive")
    return " [" + ", ".join(sorted(set(kept))) + "]" if kept else ""

def parameter(node):
    """A parameter's type, with ` = default` when it has a default argument."""
    return type_of(node) + (" = default" if node.get("hasDefaultArg") else "")

def generic(node):
    return " " + short(node["genericSig"]) if node.get("genericSig") else ""

lines = []

def visit(node, owner):
    kind = node.get("kind")
    declkind = node.get("declKind")
    if kind in ("Import", "Root") or node.get("implicit") or node.get("name", "").startswith("__derived"):
        return
    name = node.get("printedName", node.get("name"))
    full = f"{owner}.{name}" if owner else name
    children = node.get("children", [])
    if kind == "TypeDecl":
        if node.get("isExternal"):
            # Another module's type that this module extends: only its public members count
            # (its conformances come from elsewhere and vary by platform).
            for child in children:
                visit(child, full)
            return
        conformances = sorted(c["printedName"] for c in node.get("conformances", [])
                              if c["printedName"] not in IGNORED_CONFORMANCES)
        raw = f" raw={node['enumRawTypeName']}" if node.get("enumRawTypeName") else ""
        conform = ": " + ", ".join(conformances) if conformances else ""
        lines.append(f"{declkind.lower()} {full}{generic(node)}{raw}{conform}{attributes(node)}")
        for child in children:
            visit(child, full)
    elif kind in ("Function", "Constructor"):
        result, params = (children[0], children[1:]) if children else (None, [])
        label = "init" if kind == "Constructor" else "func"
        signature = "(" + ", ".join(parameter(p) for p in params) + ")"
        returns = f" -> {type_of(result)}" if result is not None and kind == "Function" else ""
        failable = "?" if kind == "Constructor" and result is not None and result.get("kind") == "TypeNominal" \
            and result.get("name") == "Optional" else ""
        lines.append(f"{label}{failable} {full}{generic(node)} {signature}{returns}{attributes(node)}")
    elif kind == "Var" and declkind == "EnumElement":
        # The case's type is `(Owner.Type) -> (Payload) -> Owner`; the payload's own node keeps
        # the associated values' labels, which the printed function type drops.
        payload = ""
        outer = children[0] if children else {}
        inner = outer.get("children", [{}])[0] if outer.get("kind") == "TypeFunc" else {}
        if inner.get("kind") == "TypeFunc" and len(inner.get("children", [])) > 1:
            payload = " " + type_of(inner["children"][1])
            if not payload.startswith(" ("):
                payload = f" ({payload.strip()})"
        lines.append(f"case {full}{payload}{attributes(node)}")
    elif kind == "Var":
        accessors = [a.get("accessorKind", a.get("name", "").lower()) for a in node.get("accessors", [])]
        setter = "set" in accessors or "modify" in accessors or "_modify" in accessors
        mutability = " { get set }" if setter else (" { get }" if not node.get("isLet") else " (let)")
        var_type = type_of(children[0]) if children else "?"
        lines.append(f"var {full}: {var_type}{mutability}{attributes(node)}")
    elif kind == "TypeAlias":
        lines.append(f"typealias {full} = {type_of(children[0]) if children else '?'}{attributes(node)}")
    elif kind == "AssociatedType":
        lines.append(f"associatedtype {full}{attributes(node)}")
    elif kind in ("Subscript",):
        result, params = (children[0], children[1:]) if children else (None, [])
        lines.append(f"subscript {full} ({', '.join(parameter(p) for p in params)}) -> {type_of(result) if result else '?'}{attributes(node)}")
    else:
        lines.append(f"{(declkind or kind).lower()} {full}{attributes(node)}")

for child in root.get("children", []):
    visit(child, "")

print(f"# The public API of {module}: one line per public declaration, sorted.")
print("# Generated by `bash .ci/api-check.sh --update`; checked by `bash .ci/api-check.sh` (lines starting")
print(f"# with '#' are not compared). Toolchain: {toolchain}")
for line in sorted(set(lines)):
    print(line)
PY
    baseline="Spec/api/$module.txt"
    if [ "$mode" = update ]; then
        cp "$work/$module.txt" "$baseline"
        echo "== $module: wrote $baseline ($(grep -vc '^#' "$baseline") declarations)"
    elif [ ! -f "$baseline" ]; then
        echo "== $module: no baseline $baseline; create it with: bash .ci/api-check.sh --update" >&2
        status=1
    elif diff -u <(grep -v '^#' "$baseline") <(grep -v '^#' "$work/$module.txt") > "$work/$module.diff"; then
        echo "== $module: public API matches $baseline ($(grep -vc '^#' "$baseline") declarations)"
    else
        echo "== $module: the public API differs from $baseline" >&2
        echo "   (- removed or changed: breaks embedders unless deprecated first; + added)" >&2
        tail -n +3 "$work/$module.diff" >&2
        status=1
    fi
done

if [ "$status" -ne 0 ]; then
    cat >&2 <<'EOF'
If the change is deliberate: run `bash .ci/api-check.sh --update`, commit Spec/api/, and record
the change in CHANGELOG.md under "Unreleased" (deprecate before removing anything public).
EOF
fi
exit "$status"
