#!/usr/bin/env python3
"""Writes seeded random SHA-256 / HMAC-SHA256 cases, computed with hashlib and hmac, to a JSON file.

The Swift test `ParleyCryptoTests/CrossCheckTests` reads the file named by the environment
variable PARLEY_HASH_CROSSCHECK and fails on any mismatch.

    python3 Tests/interop/hash_crosscheck.py OUT.json [SEED]
"""
import hashlib
import hmac
import json
import random
import sys


def main():
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    key_lengths = [0, 1, 20, 31, 32, 33, 55, 56, 63, 64, 65, 100, 128, 131, 200]
    lengths = list(range(0, 301)) + [447, 448, 511, 512, 513, 1000, 4095, 4096, 4097, 10000]
    cases = []
    for index, length in enumerate(lengths):
        message = bytes(rng.getrandbits(8) for _ in range(length))
        key = bytes(rng.getrandbits(8) for _ in range(key_lengths[index % len(key_lengths)]))
        cases.append({
            "message": message.hex(),
            "key": key.hex(),
            "sha256": hashlib.sha256(message).hexdigest(),
            "hmac": hmac.new(key, message, hashlib.sha256).hexdigest(),
        })
    with open(out, "w") as f:
        json.dump({"seed": seed, "cases": cases}, f)
    print("hash cross-check: seed %d, %d cases (message lengths 0..10000, key lengths 0..200)" % (seed, len(cases)))


if __name__ == "__main__":
    main()
