#!/usr/bin/env python3
"""Writes seeded random RFC 8785 cases, canonicalised by the `rfc8785` package, as JSON Lines.

Each line is either {"bits": "<16 hex digits>", "canonical": "<text>"} (one finite double) or
{"input": "<JSON text>", "canonical": "<text>"} (one random JSON document). The Swift test
`CanonicalCrossCheck` reads the file named by PARLEY_CANONICAL_CROSSCHECK and fails on any
difference from `CanonicalJSON`.

    python3 Tests/interop/canonical_crosscheck.py OUT.jsonl [SEED]
"""
import json
import math
import random
import struct
import sys

import rfc8785

ALPHABET = ["a", "b", "Z", "1", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f",
            "\x80", "\u00e9", "\u00f6", "\u20ac", "\u2028", "\u2029", "\ud7ff", "\ue000", "\ufb33", "\uffff",
            "\U00010000", "\U0001f600", "\U0010ffff"]


def random_double(rng):
    while True:
        kind = rng.randrange(4)
        if kind == 0:
            value = struct.unpack(">d", rng.getrandbits(64).to_bytes(8, "big"))[0]
        elif kind == 1:
            value = float(rng.randrange(-2**62, 2**62) >> rng.randrange(64))
        elif kind == 2:
            value = (rng.random() - 0.5) * 10.0 ** rng.randrange(-30, 30)
        else:
            value = round(rng.uniform(-1000, 1000), rng.randrange(0, 8))
        if math.isfinite(value):
            return value


def random_string(rng):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 6)))


def random_value(rng, depth):
    kind = rng.randrange(8 if depth < 6 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randrange(-2**53 + 1, 2**53)
    if kind == 3:
        return random_double(rng)
    if kind in (4, 5):
        return random_string(rng)
    if kind == 6:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    return {random_string(rng): random_value(rng, depth + 1) for _ in range(rng.randrange(0, 6))}


def main():
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    with open(out, "w", encoding="utf-8") as handle:
        for _ in range(20000):
            value = random_double(rng)
            bits = struct.pack(">d", value).hex()
            handle.write(json.dumps({"bits": bits, "canonical": rfc8785.dumps(value).decode("utf-8")}) + "\n")
        for _ in range(3000):
            document = {random_string(rng): random_value(rng, 1) for _ in range(rng.randrange(1, 8))}
            text = json.dumps(document, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1]))
            handle.write(json.dumps({"input": text, "canonical": rfc8785.dumps(document).decode("utf-8")}) + "\n")
    print(f"canonical_crosscheck: seed {seed}, 23000 cases written to {out}")


if __name__ == "__main__":
    main()
