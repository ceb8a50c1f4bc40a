#!/usr/bin/env python3
"""A Parley customer over HTTP, written from Spec/HTTP.md (and PROTOCOL.md / CONSENT.md for the
messages), with the Python standard library only. It plays S1 (scenarios.md): a women's haircut
on 3 May 2026, ideally 12:00 Berlin, 10:00-12:00 also fine, at most 60 EUR, disclosing only the
given name; it expects the booking at 10:00 Berlin (08:00Z).

    python3 Tests/interop/http_client.py http://127.0.0.1:8080

Exit status 0 when booked as expected, 1 otherwise.
"""
import base64
import hashlib
import hmac
import json
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ME = "assistant.example/lisa-py"
ENVELOPE_TYPE = "application/parley+json"
BATCH_TYPE = "application/parley-batch+jsonl"
DISCOVERY_LIMIT = 65536


def fail(message):
    print("http_client: FAIL: " + message)
    sys.exit(1)


def request(method, url, body=None, headers=None, attempts=4):
    """One HTTP exchange with retries on connection errors, 429 and 503 (HTTP.md §3.3)."""
    delay = 0.2
    for attempt in range(attempts):
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=40) as response:
                return response.status, response.headers, response.read(DISCOVERY_LIMIT * 4 + 1), response.url
        except urllib.error.HTTPError as error:
            if error.code in (429, 503) and attempt + 1 < attempts:
                time.sleep(max(delay, float(error.headers.get("Retry-After", "0") or 0)))
                delay *= 2
                continue
            return error.code, error.headers, error.read(), url
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            if attempt + 1 == attempts:
                fail("company unreachable: %s" % error)
            time.sleep(delay)
            delay *= 2


# --- §2 discovery ---------------------------------------------------------------------------

def discover(origin):
    url = origin.rstrip("/") + "/.well-known/parley"
    status, headers, body, final_url = request("GET", url)
    if status != 200:
        fail("discovery answered %d" % status)
    media = (headers.get("Content-Type") or "").split(";")[0].strip()
    if media not in ("application/parley-discovery+json", "application/json"):
        fail("discovery media type %r" % media)
    if len(body) > DISCOVERY_LIMIT:
        fail("discovery document too large")
    document = json.loads(body)
    if not isinstance(document, dict) or document.get("parleyDiscovery") != 1:
        fail("unsupported discovery format")
    if 1 not in document.get("versions", []) or document.get("role") != "company":
        fail("no common version, or not a company")
    for candidate in document["endpoints"]:
        endpoint = urllib.parse.urljoin(final_url, candidate)
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1", "localhost")):
            return document, endpoint
    fail("no usable endpoint")


# --- CONSENT.md: a macaroon consent token -------------------------------------------------------

def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(kind, data):
    return bytes([kind]) + varint(len(data)) + data


def mint_token(root_key, identifier, location, caveats):
    derived = hmac.new(b"macaroons-key-generator" + b"\0" * 9, root_key, hashlib.sha256).digest()
    signature = hmac.new(derived, identifier.encode(), hashlib.sha256).digest()
    out = b"\x02" + field(1, location.encode()) + field(2, identifier.encode()) + b"\x00"
    for caveat in caveats:
        signature = hmac.new(signature, caveat.encode(), hashlib.sha256).digest()
        out += field(2, caveat.encode()) + b"\x00"
    out += b"\x00" + field(6, signature)
    return base64.urlsafe_b64encode(out).rstrip(b"=").decode()


# --- §3 exchange ----------------------------------------------------------------------------------

class Session:
    def __init__(self, endpoint, company, me=ME):
        self.me = me
        self.endpoint = endpoint
        self.company = company
        self.id = "s-" + secrets.token_hex(16)
        self.seq = 0
        self.ack = 0          # highest company seq received without gaps
        self.pending = {}     # company envelopes received ahead of a gap, by seq
        self.inbox = []
        self.log = []

    def envelope(self, kind, body, in_reply_to=None):
        self.seq += 1
        envelope = {"parley": 1, "id": "py%d" % self.seq, "session": self.id, "from": self.me, "to": self.company,
                    "seq": self.seq, "ack": self.ack, "sentAt": "2026-04-30T09:00:00Z", "type": kind, "body": body}
        if in_reply_to:
            envelope["inReplyTo"] = in_reply_to
        return envelope

    def take(self, body):
        for line in body.split(b"\n"):
            if not line.strip():
                continue
            envelope = json.loads(line)
            if envelope["seq"] > self.ack:
                self.pending[envelope["seq"]] = envelope
        while self.ack + 1 in self.pending:
            envelope = self.pending.pop(self.ack + 1)
            self.ack += 1
            self.inbox.append(envelope)
            self.log.append("company -> %s" % envelope["type"])

    def send(self, kind, body, in_reply_to=None):
        envelope = self.envelope(kind, body, in_reply_to)
        data = json.dumps(envelope, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
        self.log.append("me -> %s" % kind)
        status, headers, reply, _ = request("POST", self.endpoint, data, {"Content-Type": ENVELOPE_TYPE})
        if status != 200:
            fail("POST %s answered HTTP %d: %s" % (kind, status, reply[:200]))
        if reply and not (headers.get("Content-Type") or "").startswith(BATCH_TYPE):
            fail("reply media type %r" % headers.get("Content-Type"))
        self.take(reply)

    def next(self, deadline=30):
        """The next company envelope: from the replies, else by long poll (§3.4)."""
        end = time.time() + deadline
        while not self.inbox:
            if time.time() > end:
                fail("no message from the company within %d s" % deadline)
            url = "%s/sessions/%s/messages?after=%d&wait=10" % (self.endpoint, self.id, self.ack)
            status, headers, body, _ = request("GET", url, headers={"Parley-Agent": self.me})
            if status == 200:
                self.take(body)
            elif status != 204:
                fail("poll answered HTTP %d" % status)
        return self.inbox.pop(0)


def acceptable(proposal):
    start = proposal["slot"]["start"]
    return ("2026-05-03T08:00:00Z" <= start <= "2026-05-03T10:00:00Z" and proposal["price"]["amount"] <= 6000
            and proposal["service"] == "haircut-women")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    document, endpoint = discover(sys.argv[1])
    print("discovered %s (%s) at %s" % (document["name"], document["agent"], endpoint))
    session = Session(endpoint, document["agent"])
    root_key = secrets.token_bytes(32)
    ceiling = {"amount": 6000, "currency": "EUR"}
    session.send("hello", {"role": "customer", "versions": [1]})
    hello = session.next()
    if hello["type"] != "hello":
        fail("expected hello, got %s" % hello["type"])
    session.send("request", {"service": "haircut", "preferredStart": "2026-05-03T10:00:00Z", "priceCeiling": ceiling,
                             "windows": [{"start": "2026-05-03T10:00:00Z", "end": "2026-05-03T10:00:00Z"}]},
                 hello["id"])
    asked_wider = False
    token_id = None
    while True:
        message = session.next()
        kind, body = message["type"], message["body"]
        if kind in ("offer", "counter-offer"):
            good = [p for p in body["proposals"] if acceptable(p)]
            if good:
                session.send("accept", {"proposal": good[0]["id"]}, message["id"])
            elif not asked_wider:
                asked_wider = True
                session.send("counter-request", {"service": "haircut", "preferredStart": "2026-05-03T10:00:00Z",
                                                 "priceCeiling": ceiling,
                                                 "windows": [{"start": "2026-05-03T08:00:00Z", "end": "2026-05-03T10:00:00Z"}]},
                             message["id"])
            else:
                fail("no acceptable proposal")
        elif kind == "question":
            session.send("answer", {"question": body["id"], "value": "haircut-women"}, message["id"])
        elif kind == "consent-request":
            if body["fields"] != ["givenName"] or body["purpose"] != "booking":
                fail("the company asks for more than the given name: %s" % body)
            token_id = "t-" + secrets.token_hex(16)
            expires = "2026-06-02T08:45:00Z"
            token = mint_token(root_key, token_id, ME, [
                "aud = " + document["agent"], "purpose in booking", "fields in givenName", "time < " + expires,
                "retention <= P%dD" % body["retentionDays"]])
            session.send("consent-grant", {"request": body["id"], "tokenId": token_id, "token": token, "fields": ["givenName"],
                                           "purpose": "booking", "retentionDays": body["retentionDays"],
                                           "expiresAt": expires}, message["id"])
            session.send("disclose", {"tokenId": token_id, "data": {"givenName": "Lisa"}}, message["id"])
        elif kind == "confirm":
            session.send("close", {"outcome": "booked"}, message["id"])
            print("\n".join(session.log))
            if body["slot"]["start"] != "2026-05-03T08:00:00Z" or body["status"] != "booked":
                fail("booked %s, not 10:00 Berlin" % body["slot"]["start"])
            if body.get("heldFor") != "Lisa":
                fail("held for %r" % body.get("heldFor"))
            print("http_client: booked %s at %s (10:00 Europe/Berlin), reference %s, disclosed only givenName"
                  % (body["service"], body["slot"]["start"], body["booking"]))
            return 0
        elif kind in ("error", "decline", "close", "handoff"):
            print("\n".join(session.log))
            fail("the company sent %s: %s" % (kind, json.dumps(body)))
        else:
            fail("unexpected %s" % kind)


if __name__ == "__main__":
    sys.exit(main())
