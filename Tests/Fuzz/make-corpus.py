#!/usr/bin/env python3
"""Writes the seed corpus of the libFuzzer targets into OUT/envelope, OUT/token and OUT/session.

    python3 Tests/Fuzz/make-corpus.py OUT

Seeds come from the test vectors and from the committed inputs of this folder:
- envelope: every input of Spec/vectors/messages.json (valid and invalid), every envelope of
  Spec/vectors/transitions.json, every line of Tests/Fuzz/seeds/session/*.jsonl;
- token: every token of Spec/vectors/consent.json, as text and as the binary macaroon it encodes;
- session: one JSON Lines conversation per case of transitions.json (the `given` envelopes, then
  `incoming`), and Tests/Fuzz/seeds/session/*.jsonl;
- every target: Tests/Fuzz/seeds/<target>/* and Tests/Fuzz/regressions/<target>/*.
Files are named by the SHA-1 of their content, as libFuzzer names its own, so nothing is doubled.
The output is scratch: it is not committed (the fuzzer adds to it as it runs).
"""
import base64
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
FUZZ = ROOT / "Tests" / "Fuzz"
TARGETS = ("envelope", "token", "session")


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def seeds():
    out = {target: [] for target in TARGETS}
    vectors = ROOT / "Spec" / "vectors"

    for case in json.loads((vectors / "messages.json").read_text(encoding="utf-8")):
        out["envelope"].append(bytes.fromhex(case["inputHex"]) if "inputHex" in case else case["input"].encode("utf-8"))

    consent = json.loads((vectors / "consent.json").read_text(encoding="utf-8"))
    tokens = set()
    for section in ("macaroons", "macaroonVerify", "mint", "attenuate", "verify"):
        for case in consent[section]:
            for key in ("serialized", "token"):
                if key in case:
                    tokens.add(case[key])
    for token in sorted(tokens):
        out["token"].append(token.encode("ascii"))
        try:
            out["token"].append(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        except ValueError:  # the malformed-token cases
            pass

    for case in json.loads((vectors / "transitions.json").read_text(encoding="utf-8")):
        envelopes = [step["envelope"] for step in case["given"]] + [case["incoming"]]
        out["session"].append(b"\n".join(compact(envelope) for envelope in envelopes) + b"\n")
        out["envelope"].extend(compact(envelope) for envelope in envelopes)

    for path in sorted((FUZZ / "seeds" / "session").glob("*.jsonl")):
        out["envelope"].extend(line for line in path.read_bytes().split(b"\n") if line.strip())

    for target in TARGETS:
        for folder in (FUZZ / "seeds" / target, FUZZ / "regressions" / target):
            if folder.is_dir():
                out[target].extend(path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file())
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = pathlib.Path(sys.argv[1])
    for target, inputs in seeds().items():
        folder = root / target
        folder.mkdir(parents=True, exist_ok=True)
        for data in inputs:
            (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        print(f"{target}: {len({hashlib.sha1(data).hexdigest() for data in inputs})} seeds in {folder}")


if __name__ == "__main__":
    main()
