#!/usr/bin/env python3
"""Ed25519 and SHA-512 cross-check against Python's `cryptography` package (OpenSSL), both ways.

    python3 Tests/interop/ed25519_crosscheck.py generate OUT.json SEED [COUNT]
        Python makes COUNT random seeds and messages (from SEED), derives the public keys and
        signs; also records SHA-512 of every message (hashlib). The Swift test
        `ParleyCryptoTests/Ed25519InteropTests` (PARLEY_ED25519_CROSSCHECK=OUT.json) checks that
        Swift derives the same keys, makes the same signatures, accepts Python's and hashes alike.
    python3 Tests/interop/ed25519_crosscheck.py verify SWIFT.json
        Checks what that Swift test wrote to PARLEY_ED25519_CROSSCHECK_OUT: keys and messages made
        by Swift from its own seeded generator, signed by Swift. Python must derive the same public
        key, accept every signature, and reject each signature with one bit flipped.
"""
import hashlib
import json
import random
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def public_key(seed):
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def generate(out, seed, count):
    rng = random.Random(seed)
    lengths = [0, 1, 2, 31, 32, 33, 63, 64, 65, 111, 112, 127, 128, 129, 239, 240, 255, 256, 1000]
    cases = []
    for index in range(count):
        key_seed = rng.randbytes(32)
        length = lengths[index] if index < len(lengths) else rng.randrange(0, 300)
        message = rng.randbytes(length)
        key = Ed25519PrivateKey.from_private_bytes(key_seed)
        cases.append({
            "seed": key_seed.hex(),
            "message": message.hex(),
            "publicKey": public_key(key_seed).hex(),
            "signature": key.sign(message).hex(),
            "sha512": hashlib.sha512(message).hexdigest(),
        })
    with open(out, "w") as handle:
        json.dump({"seed": seed, "count": count, "cases": cases}, handle)
    print(f"python: {count} keys, messages and signatures written (seed {seed})")


def verify(path):
    with open(path) as handle:
        data = json.load(handle)
    failures = 0
    for index, case in enumerate(data["cases"]):
        seed = bytes.fromhex(case["seed"])
        message = bytes.fromhex(case["message"])
        key = bytes.fromhex(case["publicKey"])
        signature = bytes.fromhex(case["signature"])
        problems = []
        if public_key(seed) != key:
            problems.append("public key differs")
        verifier = Ed25519PublicKey.from_public_bytes(key)
        try:
            verifier.verify(signature, message)
        except InvalidSignature:
            problems.append("signature rejected")
        flipped = bytearray(signature)
        flipped[index % 64] ^= 1 << (index % 8)
        try:
            verifier.verify(bytes(flipped), message)
            problems.append("signature with a flipped bit accepted")
        except InvalidSignature:
            pass
        if problems:
            failures += 1
            if failures <= 10:
                print(f"case {index} (Swift seed {data['seed']}): {', '.join(problems)}")
    if failures or len(data["cases"]) != data["count"]:
        print(f"FAILED: {failures} of {len(data['cases'])} Swift signatures (Swift seed {data['seed']})")
        sys.exit(1)
    print(f"python: accepted all {len(data['cases'])} Swift signatures and rejected every altered one (Swift seed {data['seed']})")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 10_000)
    elif len(sys.argv) == 3 and sys.argv[1] == "verify":
        verify(sys.argv[2])
    else:
        print(__doc__)
        sys.exit(64)


if __name__ == "__main__":
    main()
