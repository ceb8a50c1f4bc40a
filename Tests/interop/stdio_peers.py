#!/usr/bin/env python3
"""Independent Parley peers over standard I/O, written from Spec/PROTOCOL.md and Spec/CONSENT.md
with the Python standard library (and `rfc8785` for the canonical form), on the real clock.

    python3 Tests/interop/stdio_peers.py customer -- parley serve --role company --scenario salon
    python3 Tests/interop/stdio_peers.py company  -- parley serve --role customer --scenario haircut

`customer` plays the independent peers' scenario against the company COMMAND starts: a women's
haircut tomorrow (Europe/Berlin) between 10:00 and 12:00 local time, at most 60 EUR, granting
only the given name. It checks the confirm's agreement digest (§5.6) and that every term the
confirm states equals the accepted proposal (§7).

`company` plays a salon against the customer COMMAND starts: it offers the first slot of the
customer's first window, asks for the given name, and confirms with its own agreement digest,
signed with a fresh Ed25519 key (PROTOCOL.md §5.7) whose public key it appends to COMMAND as
`--company-key HEX`, the option `parley serve --role customer` takes; the customer must close
with `booked`.

Neither uses a fixed date: both take "now" from the system clock, as peers in the field do.
Exit status 0 when booked as expected, 1 otherwise.
"""
import datetime
import hashlib
import json
import secrets
import select
import subprocess
import sys
import time
import zoneinfo

import rfc8785
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from http_client import mint_token  # noqa: E402  (the CONSENT.md §3 token format, shared)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UNCOUNTED = {"error", "close", "consent-revoke"}


def fail(message):
    print("stdio_peers: FAIL: " + message)
    sys.exit(1)


def rfc3339(instant):
    return instant.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def tomorrow_at(hour, minute=0):
    today = datetime.datetime.now(BERLIN).date()
    day = today + datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


class Peer:
    """One session with the program COMMAND starts, on its standard input and output."""

    def __init__(self, command, me, other):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.me, self.other = me, other
        self.session = None
        self.seq = 0
        self.ack = 0
        self.digest = bytes(32)
        self.before = self.digest
        self.buffer = b""
        self.log = []

    def count(self, envelope):
        if envelope["type"] not in UNCOUNTED:
            self.digest = hashlib.sha256(self.digest + rfc8785.dumps(envelope)).digest()

    def send(self, kind, body, in_reply_to=None):
        self.seq += 1
        envelope = {"parley": 1, "id": "py%d" % self.seq, "session": self.session, "from": self.me, "to": self.other,
                    "seq": self.seq, "ack": self.ack, "sentAt": rfc3339(datetime.datetime.now(datetime.timezone.utc)),
                    "type": kind, "body": body}
        if in_reply_to:
            envelope["inReplyTo"] = in_reply_to
        self.count(envelope)
        self.log.append("me -> %s" % kind)
        self.process.stdin.write(rfc8785.dumps(envelope) + b"\n")
        self.process.stdin.flush()

    def next(self, timeout=30):
        """The next envelope of the session, in order; duplicates (retransmissions) are skipped."""
        end = time.time() + timeout
        while True:
            while b"\n" not in self.buffer:
                left = end - time.time()
                if left <= 0:
                    fail("no message within %d s" % timeout)
                ready, _, _ = select.select([self.process.stdout], [], [], left)
                if ready:
                    chunk = self.process.stdout.read1(65536)
                    if not chunk:
                        fail("the peer's output ended")
                    self.buffer += chunk
            line, self.buffer = self.buffer.split(b"\n", 1)
            if not line.strip():
                continue
            envelope = json.loads(line)
            if self.session is None:
                self.session = envelope["session"]
            if envelope["session"] != self.session or envelope["seq"] <= self.ack:
                continue
            if envelope["seq"] != self.ack + 1:
                fail("seq %d after %d: a gap" % (envelope["seq"], self.ack))
            self.ack = envelope["seq"]
            self.before = self.digest  # the digest before this envelope: a confirm's agreementDigest (§5.6)
            self.count(envelope)
            self.log.append("peer -> %s" % envelope["type"])
            return envelope

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def play_customer(command):
    me = "assistant.example/lisa-py"
    company = "salon.example/bot"
    peer = Peer(command, me, company)
    peer.session = "s-" + secrets.token_hex(16)
    start, end = tomorrow_at(10), tomorrow_at(12)
    ceiling = {"amount": 6000, "currency": "EUR"}
    root_key = secrets.token_bytes(32)
    peer.send("hello", {"role": "customer", "versions": [1]})
    hello = peer.next()
    if hello["type"] != "hello":
        fail("expected hello, got %s" % hello["type"])
    peer.send("request", {"service": "haircut-women", "priceCeiling": ceiling,
                          "windows": [{"start": rfc3339(start), "end": rfc3339(end)}]}, hello["id"])
    accepted = None
    while True:
        message = peer.next()
        kind, body = message["type"], message["body"]
        if kind in ("offer", "counter-offer") and accepted is None:
            good = [p for p in body["proposals"]
                    if rfc3339(start) <= p["slot"]["start"] <= rfc3339(end) and p["price"]["amount"] <= 6000
                    and p["price"]["currency"] == "EUR" and p["service"] == "haircut-women"]
            if not good:
                fail("no acceptable proposal in %s" % json.dumps(body))
            accepted = good[0]
            peer.send("accept", {"proposal": accepted["id"]}, message["id"])
        elif kind == "question":
            peer.send("answer", {"question": body["id"], "value": "haircut-women"}, message["id"])
        elif kind == "consent-request":
            if body["fields"] != ["givenName"] or body["purpose"] != "booking":
                fail("the company asks for more than the given name: %s" % body)
            token_id = "t-" + secrets.token_hex(16)
            expires = rfc3339(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30))
            token = mint_token(root_key, token_id, me, [
                "aud = " + company, "purpose in booking", "fields in givenName", "time < " + expires,
                "retention <= P%dD" % body["retentionDays"]])
            peer.send("consent-grant", {"request": body["id"], "tokenId": token_id, "token": token, "fields": ["givenName"],
                                        "purpose": "booking", "retentionDays": body["retentionDays"],
                                        "expiresAt": expires}, message["id"])
            peer.send("disclose", {"tokenId": token_id, "data": {"givenName": "Lisa"}}, message["id"])
        elif kind == "confirm":
            expected = peer.before.hex()
            if body["agreementDigest"] != expected:
                fail("agreement digest %s, mine %s" % (body["agreementDigest"], expected))
            for member in ("service", "slot", "timeZone", "cancellation", "location", "price"):
                if body.get(member) != accepted.get(member):
                    fail("the confirm's %s %r is not the accepted %r" % (member, body.get(member), accepted.get(member)))
            if body["proposal"] != accepted["id"] or body["status"] != "booked":
                fail("confirm %s" % json.dumps(body))
            peer.send("close", {"outcome": "booked"}, message["id"])
            peer.stop()
            print("\n".join(peer.log))
            local = datetime.datetime.fromisoformat(body["slot"]["start"].replace("Z", "+00:00")).astimezone(BERLIN)
            print("stdio_peers customer: booked %s on %s %s Europe/Berlin, %.2f EUR, reference %s, disclosed only givenName"
                  % (body["service"], local.date(), local.strftime("%H:%M"), body["price"]["amount"] / 100, body["booking"]))
            return 0
        else:
            print("\n".join(peer.log))
            fail("the company sent %s: %s" % (kind, json.dumps(body)))


def b64url(data):
    return __import__("base64").urlsafe_b64encode(data).rstrip(b"=").decode()


def play_company(command):
    me = "salon.example/bot"
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    kid = b64url(hashlib.sha256(('{"crv":"Ed25519","kty":"OKP","x":"%s"}' % b64url(public)).encode()).digest())
    peer = Peer(command + ["--company-key", public.hex()], me, "assistant.example/lisa")
    hello = peer.next()
    if hello["type"] != "hello" or hello["body"].get("role") != "customer":
        fail("expected the customer's hello, got %s" % json.dumps(hello))
    peer.other = hello["from"]
    peer.send("hello", {"role": "company", "name": "Salon Python", "services": ["haircut", "haircut-women"], "versions": [1]},
              hello["id"])
    proposal = None
    while True:
        message = peer.next()
        kind, body = message["type"], message["body"]
        if kind in ("request", "counter-request"):
            window = body["windows"][0]
            start = datetime.datetime.fromisoformat(window["start"].replace("Z", "+00:00"))
            now = datetime.datetime.now(datetime.timezone.utc)
            proposal = {"id": "p%d" % peer.seq, "service": body["service"],
                        "slot": {"start": rfc3339(start), "end": rfc3339(start + datetime.timedelta(minutes=45))},
                        "timeZone": "Europe/Berlin", "price": {"amount": 4500, "currency": "EUR"},
                        "cancellation": {"freeUntilMinutesBefore": 1440}, "location": "Hauptstraße 1, 10827 Berlin",
                        "expiresAt": rfc3339(now + datetime.timedelta(minutes=15)),
                        "requires": [{"fields": ["givenName"], "purpose": "booking", "retentionDays": 30}]}
            peer.send("offer", {"proposals": [proposal]}, message["id"])
        elif kind == "accept":
            if proposal is None or body["proposal"] != proposal["id"]:
                fail("accepted %s, not the proposal on the table" % json.dumps(body))
            peer.send("consent-request", {"id": "cr1", "fields": ["givenName"], "purpose": "booking", "retentionDays": 30,
                                          "text": "We need your given name for the booking."}, message["id"])
        elif kind == "consent-grant":
            if body["fields"] != ["givenName"] or body["purpose"] != "booking":
                fail("granted %s" % json.dumps(body))
        elif kind == "disclose":
            name = body["data"].get("givenName")
            if set(body["data"]) != {"givenName"}:
                fail("disclosed more than the given name: %s" % sorted(body["data"]))
            confirm = {"agreementDigest": peer.digest.hex(), "booking": "PY-" + secrets.token_hex(4), "revision": 0,
                       "status": "booked", "proposal": proposal["id"], "heldFor": name}
            for member in ("service", "slot", "timeZone", "price", "cancellation", "location"):
                confirm[member] = proposal[member]
            statement = {"context": "parley-confirm/1", "session": peer.session, "company": me, "customer": peer.other,
                         "confirm": confirm}
            confirm = dict(confirm, signature={"kid": kid, "sig": b64url(key.sign(rfc8785.dumps(statement)))})
            peer.send("confirm", confirm, message["id"])
        elif kind == "close":
            peer.stop()
            print("\n".join(peer.log))
            if body.get("outcome") != "booked":
                fail("the customer closed with %s" % json.dumps(body))
            print("stdio_peers company: the customer booked %s at %s and closed with booked" % (
                proposal["service"], proposal["slot"]["start"]))
            return 0
        else:
            print("\n".join(peer.log))
            fail("the customer sent %s: %s" % (kind, json.dumps(body)))


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("customer", "company") or sys.argv[2] != "--":
        print(__doc__)
        return 64
    command = sys.argv[3:]
    return play_customer(command) if sys.argv[1] == "customer" else play_company(command)


if __name__ == "__main__":
    sys.exit(main())
