#!/usr/bin/env python3
"""Writes Spec/vectors/signatures.json: signed confirms, signed consent grants and receipts.

Everything here is computed independently of Parley's Swift code: the statements with the
`rfc8785` package (RFC 8785 canonical JSON), the Ed25519 keys and signatures with Python's
`cryptography` package (OpenSSL). The statements follow Spec/PROTOCOL.md §5.7 and
Spec/CONSENT.md §10.1; the receipts are the documents of CONSENT.md §10.2. `--check` regenerates
in memory and fails if the committed file differs.
"""
import base64
import copy
import hashlib
import json
import pathlib
import sys

import rfc8785
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Spec" / "vectors" / "signatures.json"

SALON_SEED = b"parley scenario key: salon 00001"   # the S1 salon's published test key
LISA_SEED = b"parley scenario key: lisa sign01"    # Lisa's published test signing key
STRANGER_SEED = b"parley conformance: stranger key"
SESSION, SALON, LISA = "s-910a2dec89025cc1beeb8da1658eec67", "salon.example/bot", "assistant.example/lisa"

# The S1 confirm and consent grant bodies (parley demo haircut --json), without signatures.
CONFIRM = {
    "agreementDigest": "65c1ca2f93e1ca32c4722f52f32df7171fda38ba6c151bd53fa74e2a9afdd828", "booking": "B-1",
    "cancellation": {"freeUntilMinutesBefore": 1440}, "heldFor": "Lisa", "location": "Hauptstraße 1, 10827 Berlin",
    "price": {"amount": 4500, "currency": "EUR"}, "proposal": "p3", "revision": 0, "service": "haircut-women",
    "slot": {"end": "2026-05-03T08:45:00Z", "start": "2026-05-03T08:00:00Z"}, "status": "booked", "timeZone": "Europe/Berlin",
}
GRANT = {
    "expiresAt": "2026-06-02T08:45:00Z", "fields": ["givenName"], "purpose": "booking", "request": "cr1", "retentionDays": 30,
    "token": "AgEWYXNzaXN0YW50LmV4YW1wbGUvbGlzYQIidC1mODkzYTJlZWZiMzI1NTVlNzFjMTg2OTBlZTQyYzkwYgACF2F1ZCA9IHNhbG9uLmV4YW1wbGUvYm90AAIScHVycG9zZSBpbiBib29raW5nAAITZmllbGRzIGluIGdpdmVuTmFtZQACG3RpbWUgPCAyMDI2LTA2LTAyVDA4OjQ1OjAwWgACEXJldGVudGlvbiA8PSBQMzBEAAAGIBwOwpnFmuTk0S6fVktAUGrokVYRmvFVN0j0f7zD4HtJ",
    "tokenId": "t-f893a2eefb32555e71c18690ee42c90b",
}
GRANTED_AT = "2026-04-30T09:00:00Z"
GRANT_DIGEST = "2d1f5ae4b6c3e0a7f1d9c8b7a6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a99887"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Key:
    def __init__(self, seed):
        self.seed = seed
        self.private = Ed25519PrivateKey.from_private_bytes(seed)
        self.public = self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.x = b64url(self.public)
        self.kid = b64url(hashlib.sha256(('{"crv":"Ed25519","kty":"OKP","x":"%s"}' % self.x).encode()).digest())

    def sign(self, statement):
        return b64url(self.private.sign(rfc8785.dumps(statement)))

    def jwk(self):
        return {"kty": "OKP", "crv": "Ed25519", "x": self.x, "kid": self.kid}


SALON_KEY, LISA_KEY, STRANGER = Key(SALON_SEED), Key(LISA_SEED), Key(STRANGER_SEED)


def confirm_statement(body, session=SESSION, company=SALON, customer=LISA):
    body = {k: v for k, v in body.items() if k != "signature"}
    return {"context": "parley-confirm/1", "session": session, "company": company, "customer": customer, "confirm": body}


def consent_statement(grant, granted_at=GRANTED_AT, digest=GRANT_DIGEST, session=SESSION, customer=LISA, company=SALON):
    statement = {
        "context": "parley-consent/1", "session": session, "customer": customer, "company": company, "tokenId": grant["tokenId"],
        "purpose": grant["purpose"], "fields": sorted(grant["fields"]), "expiresAt": grant["expiresAt"],
        "retentionDays": grant["retentionDays"], "grantedAt": granted_at, "transcriptDigest": digest,
    }
    if "request" in grant:
        statement["request"] = grant["request"]
    return statement


def receipt(statement, signature, key):
    return {"statement": statement, "signature": signature, "publicKey": key.jwk()}


def build():
    confirm_sig = SALON_KEY.sign(confirm_statement(CONFIRM))
    grant_sig = LISA_KEY.sign(consent_statement(GRANT))
    signed_confirm = dict(CONFIRM, signature={"kid": SALON_KEY.kid, "sig": confirm_sig})
    signed_grant = dict(GRANT, signature={"kid": LISA_KEY.kid, "sig": grant_sig, "key": LISA_KEY.x})
    cancelled = dict(CONFIRM, status="cancelled", revision=1, fee={"amount": 1000, "currency": "EUR"})
    cancelled.pop("proposal")
    unknown_member = dict(CONFIRM, **{"x-loyalty": {"points": 45}})

    signing = []
    for name, body in [("the S1 booking", CONFIRM), ("a cancellation with a fee", cancelled),
                       ("a confirm with an unknown member, which the signature covers", unknown_member)]:
        statement = confirm_statement(body)
        signing.append({
            "name": name, "kind": "confirm", "seed": SALON_KEY.seed.hex(), "publicKey": SALON_KEY.public.hex(), "kid": SALON_KEY.kid,
            "session": SESSION, "company": SALON, "customer": LISA, "body": body,
            "statement": rfc8785.dumps(statement).decode(), "signature": SALON_KEY.sign(statement),
        })
    statement = consent_statement(GRANT)
    signing.append({
        "name": "the S1 consent grant", "kind": "consent", "seed": LISA_KEY.seed.hex(), "publicKey": LISA_KEY.public.hex(),
        "kid": LISA_KEY.kid, "session": SESSION, "company": SALON, "customer": LISA, "grantedAt": GRANTED_AT,
        "transcriptDigest": GRANT_DIGEST, "body": GRANT, "statement": rfc8785.dumps(statement).decode(),
        "signature": LISA_KEY.sign(statement),
    })

    good_booking = receipt(confirm_statement(CONFIRM), {"kid": SALON_KEY.kid, "sig": confirm_sig}, SALON_KEY)
    good_consent = receipt(consent_statement(GRANT), {"kid": LISA_KEY.kid, "sig": grant_sig}, LISA_KEY)
    verify = [{"name": "the S1 booking receipt", "publicKey": SALON_KEY.public.hex(), "receipt": good_booking, "expect": "valid"},
              {"name": "the S1 consent receipt", "publicKey": LISA_KEY.public.hex(), "receipt": good_consent, "expect": "valid"}]

    def tampered(name, base, change, expect, key=SALON_KEY):
        document = copy.deepcopy(base)
        change(document)
        verify.append({"name": name, "publicKey": key.public.hex(), "receipt": document, "expect": expect})

    for member, value in [("price", {"amount": 450, "currency": "EUR"}), ("slot", {"end": "2026-05-03T09:45:00Z", "start": "2026-05-03T09:00:00Z"}),
                          ("cancellation", {"freeUntilMinutesBefore": 0}), ("service", "haircut-men"), ("booking", "B-2"),
                          ("agreementDigest", "0" * 64), ("location", "Elsewhere 9"), ("revision", 1), ("timeZone", "UTC"),
                          ("heldFor", "Mallory")]:
        tampered(f"booking receipt with another {member}", good_booking,
                 lambda d, m=member, v=value: d["statement"]["confirm"].__setitem__(m, v), "confirm-bad-signature")
    tampered("booking receipt with an added fee", good_booking,
             lambda d: d["statement"]["confirm"].__setitem__("fee", {"amount": 1, "currency": "EUR"}), "confirm-bad-signature")
    tampered("booking receipt for another session", good_booking, lambda d: d["statement"].__setitem__("session", "s-other"),
             "confirm-bad-signature")
    tampered("booking receipt for another customer", good_booking, lambda d: d["statement"].__setitem__("customer", "mallory.example/bot"),
             "confirm-bad-signature")
    tampered("booking receipt with a truncated signature", good_booking,
             lambda d: d["signature"].__setitem__("sig", confirm_sig[:80]), "confirm-bad-signature")
    tampered("booking receipt naming another key", good_booking, lambda d: d["signature"].__setitem__("kid", STRANGER.kid),
             "confirm-unknown-key")
    tampered("booking receipt signed by a stranger, checked with the salon's key", good_booking,
             lambda d: d.update(signature={"kid": STRANGER.kid, "sig": STRANGER.sign(d["statement"])}, publicKey=STRANGER.jwk()),
             "confirm-unknown-key")
    tampered("booking receipt signed by a stranger under the salon's kid", good_booking,
             lambda d: d.update(signature={"kid": SALON_KEY.kid, "sig": STRANGER.sign(d["statement"])}), "confirm-bad-signature")
    for member, value in [("fields", ["email", "givenName"]), ("purpose", "marketing"), ("expiresAt", "2027-06-02T08:45:00Z"),
                          ("retentionDays", 3660), ("grantedAt", "2026-04-29T09:00:00Z"), ("transcriptDigest", "1" * 64),
                          ("company", "other.example/bot"), ("tokenId", "t-other")]:
        tampered(f"consent receipt with another {member}", good_consent,
                 lambda d, m=member, v=value: d["statement"].__setitem__(m, v), "consent-bad-signature", key=LISA_KEY)
    tampered("consent receipt checked with the salon's key", good_consent, lambda d: None, "consent-bad-signature", key=SALON_KEY)

    return {
        "description": "Signed confirms (PROTOCOL.md §5.7), signed consent grants (CONSENT.md §10.1) and receipts (§10.2); "
                       "computed with rfc8785 and Python cryptography by Spec/checks/make_signature_vectors.py",
        "signedConfirm": signed_confirm,
        "signedGrant": signed_grant,
        "signing": signing,
        "verify": verify,
    }


def main():
    text = json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT.relative_to(ROOT)} differs from what {pathlib.Path(__file__).name} writes: regenerate it")
        print(f"{OUT.relative_to(ROOT)}: up to date")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
