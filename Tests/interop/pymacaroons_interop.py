#!/usr/bin/env python3
"""Consent token interop between Parley's Swift CLI and pymacaroons, in both directions.

    python3 Tests/interop/pymacaroons_interop.py PATH/TO/parley

1. Swift mints and narrows a token; pymacaroons verifies it with the same root key and caveats.
2. pymacaroons mints and narrows a token in Parley's caveat language; `parley token verify` accepts it.
3. One flipped byte (in a caveat and in the signature) makes both sides reject.
Exits non-zero on the first disagreement.
"""
import base64
import subprocess
import sys

from pymacaroons import Macaroon, MACAROON_V2, Verifier
from pymacaroons.exceptions import MacaroonException
from pymacaroons.serializers import BinarySerializer

PARLEY = sys.argv[1]
KEY = "5f0e8a1d2c3b4a5968778695a4b3c2d1e0f1e2d3c4b5a69788796a5b4c3d2e1f"
SALON = "salon.example/bot"
AT = "2026-05-03T10:00:00Z"
passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("  ok   " + what)
    else:
        failed += 1
        print("  FAIL " + what)


def parley(*args):
    result = subprocess.run([PARLEY, "token", *args], capture_output=True, text=True)
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def flip(token, index_from_end):
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[len(raw) - index_from_end] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def py_verifies(token, caveats):
    m = Macaroon.deserialize(token)
    v = Verifier()
    for c in caveats:
        v.satisfy_exact(c)
    try:
        return v.verify(m, bytes.fromhex(KEY))
    except MacaroonException:
        return False


def swift_verify(token, purpose, fields):
    return parley("verify", token, "--root-key", KEY, "--audience", SALON, "--purpose", purpose, "--field", fields, "--at", AT)


print("parley CLI: mint -> attenuate -> verify")
code, minted, err = parley("mint", "--root-key", KEY, "--id", "tok-interop-1", "--location", "lisa.example/assistant",
                           "--audience", SALON, "--purpose", "booking,reminder", "--field", "givenName,phone",
                           "--expires", "2026-05-03T12:00:00Z", "--retention", "P30D")
check(code == 0, "parley token mint " + err)
code, narrowed, err = parley("attenuate", minted, "--purpose", "reminder", "--field", "phone")
check(code == 0, "parley token attenuate " + err)
code, out, err = swift_verify(narrowed, "reminder", "phone")
check(code == 0, "parley verifies the narrowed token for the narrow use: " + out + err)
code, out, err = swift_verify(narrowed, "booking", "phone")
check(code == 1 and "token-purpose-not-allowed" in err, "parley refuses a wider purpose: " + err)
code, out, err = swift_verify(narrowed, "reminder", "givenName")
check(code == 1 and "token-field-not-covered" in err, "parley refuses a wider field: " + err)
code, out, err = swift_verify(minted, "booking", "givenName")
check(code == 0, "parley verifies the parent token for the parent's use: " + out + err)
code, out, err = parley("verify", narrowed, "--root-key", KEY, "--audience", SALON, "--purpose", "reminder", "--field", "phone",
                        "--at", AT, "--revoked", "tok-interop-1")
check(code == 1 and "token-revoked" in err, "revoking the parent id refuses the narrowed token: " + err)

print("Swift -> pymacaroons")
caveats = ["aud = " + SALON, "purpose in booking,reminder", "fields in givenName,phone", "time < 2026-05-03T12:00:00Z",
           "retention <= P30D", "purpose in reminder", "fields in phone"]
m = Macaroon.deserialize(narrowed)
check(m.identifier_bytes == b"tok-interop-1" and m.location == "lisa.example/assistant", "pymacaroons reads id and location")
check([c.caveat_id_bytes for c in m.caveats] == [c.encode() for c in caveats], "pymacaroons reads the caveats in order")
check(py_verifies(narrowed, caveats) is True, "pymacaroons verifies the Swift-narrowed token")
check(not py_verifies(narrowed, caveats[:-1]), "pymacaroons refuses it without the narrowing caveat satisfied")
check(not py_verifies(flip(narrowed, 40), caveats), "pymacaroons rejects a flipped caveat byte")
check(not py_verifies(flip(narrowed, 1), caveats), "pymacaroons rejects a flipped signature byte")

print("pymacaroons -> Swift")
pm = Macaroon(location="lisa.example/assistant", identifier="tok-interop-2", key=bytes.fromhex(KEY), version=MACAROON_V2)
for c in ["aud = " + SALON, "purpose in booking", "fields in email,givenName", "time < 2026-05-03T12:00:00Z"]:
    pm.add_first_party_caveat(c)
pm.add_first_party_caveat("fields in givenName")
py_token = pm.serialize(BinarySerializer())
code, out, err = swift_verify(py_token, "booking", "givenName")
check(code == 0, "parley verifies the pymacaroons token (padded base64url) " + out + err)
code, out, err = swift_verify(py_token.rstrip("="), "booking", "givenName")
check(code == 0, "parley verifies it unpadded " + err)
code, out, err = swift_verify(py_token, "booking", "email")
check(code == 1 and "token-field-not-covered" in err, "parley refuses the wider field: " + err)
code, out, err = swift_verify(flip(py_token.rstrip("="), 5), "booking", "givenName")
check(code == 1 and "token-bad-signature" in err, "parley rejects a flipped caveat byte: " + err)
code, out, err = swift_verify(flip(py_token.rstrip("="), 1), "booking", "givenName")
check(code == 1 and "token-bad-signature" in err, "parley rejects a flipped signature byte: " + err)
code, out, err = parley("inspect", py_token)
check(code == 0 and "id: tok-interop-2" in out and "fields in givenName" in out, "parley inspects the pymacaroons token")

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
