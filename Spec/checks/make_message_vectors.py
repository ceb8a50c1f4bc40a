#!/usr/bin/env python3
"""Writes Spec/vectors/messages.json: decoding test vectors for every message type and error code.

Valid cases carry the exact input text, its RFC 8785 canonical form (computed with the `rfc8785`
package) and the SHA-256 of the canonical bytes; invalid cases carry the error code a decoder must
report (Spec/PROTOCOL.md §4.5). `--check` regenerates in memory and fails if the committed file
differs. Every valid input must pass the JSON Schema; every invalid input that is well-formed JSON
within the limits must fail it, unless marked "schemaCatches": false.
"""
import hashlib
import json
import pathlib
import sys

import rfc8785

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Envelopes recorded from the reference scenarios (parley demo … --json), one per type.
RECORDED = {
    'accept': '{"ack":2,"body":{"addOns":["newsletter-10"],"proposal":"p1"},"from":"assistant.example/lisa","id":"c3","inReplyTo":"k2","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":3,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"salon.example/bot","type":"accept"}',
    'answer': '{"ack":3,"body":{"question":"q1","value":"haircut-women"},"from":"assistant.example/lisa","id":"c4","inReplyTo":"k3","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":4,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"salon.example/bot","type":"answer"}',
    'close': '{"ack":6,"body":{"outcome":"booked"},"from":"assistant.example/lisa","id":"c8","inReplyTo":"k6","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":8,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"salon.example/bot","type":"close"}',
    'confirm': '{"ack":7,"body":{"agreementDigest":"23f3b5439f9d264974361c2b33c3d10f10a49bc94224397a861b909e83f0a83b","booking":"B-1","cancellation":{"freeUntilMinutesBefore":1440},"heldFor":"Lisa","location":"Hauptstraße 1, 10827 Berlin","price":{"amount":4500,"currency":"EUR"},"proposal":"p3","revision":0,"service":"haircut-women","slot":{"end":"2026-05-03T08:45:00Z","start":"2026-05-03T08:00:00Z"},"status":"booked","timeZone":"Europe/Berlin"},"from":"salon.example/bot","id":"k6","inReplyTo":"c7","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":6,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"assistant.example/lisa","type":"confirm"}',
    'consent-grant': '{"ack":5,"body":{"expiresAt":"2026-06-02T08:45:00Z","fields":["givenName"],"purpose":"booking","request":"cr1","retentionDays":30,"token":"AgEWYXNzaXN0YW50LmV4YW1wbGUvbGlzYQIidC1mODkzYTJlZWZiMzI1NTVlNzFjMTg2OTBlZTQyYzkwYgACF2F1ZCA9IHNhbG9uLmV4YW1wbGUvYm90AAIScHVycG9zZSBpbiBib29raW5nAAITZmllbGRzIGluIGdpdmVuTmFtZQACG3RpbWUgPCAyMDI2LTA2LTAyVDA4OjQ1OjAwWgACEXJldGVudGlvbiA8PSBQMzBEAAAGIBwOwpnFmuTk0S6fVktAUGrokVYRmvFVN0j0f7zD4HtJ","tokenId":"t-f893a2eefb32555e71c18690ee42c90b"},"from":"assistant.example/lisa","id":"c6","inReplyTo":"k5","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":6,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"salon.example/bot","type":"consent-grant"}',
    'consent-request': '{"ack":5,"body":{"fields":["givenName"],"id":"cr1","purpose":"booking","retentionDays":30,"text":"We need givenName for booking."},"from":"salon.example/bot","id":"k5","inReplyTo":"c5","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":5,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"assistant.example/lisa","type":"consent-request"}',
    'counter-offer': '{"ack":2,"body":{"proposals":[{"cancellation":{"freeUntilMinutesBefore":1440},"expiresAt":"2026-04-30T09:15:00Z","id":"p1","location":"Hauptstraße 1, 10827 Berlin","price":{"amount":4500,"currency":"EUR"},"requires":[{"fields":["givenName"],"purpose":"booking","retentionDays":30}],"service":"haircut-women","slot":{"end":"2026-05-03T12:00:00Z","start":"2026-05-03T11:15:00Z"},"timeZone":"Europe/Berlin"},{"cancellation":{"freeUntilMinutesBefore":1440},"expiresAt":"2026-04-30T09:15:00Z","id":"p2","location":"Hauptstraße 1, 10827 Berlin","price":{"amount":6500,"currency":"EUR"},"requires":[{"fields":["givenName"],"purpose":"booking","retentionDays":30}],"service":"haircut-women-long","slot":{"end":"2026-05-03T12:30:00Z","start":"2026-05-03T11:15:00Z"},"timeZone":"Europe/Berlin"}]},"from":"salon.example/bot","id":"k2","inReplyTo":"c2","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":2,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"assistant.example/lisa","type":"counter-offer"}',
    'counter-request': '{"ack":2,"body":{"preferredStart":"2026-05-03T10:00:00Z","priceCeiling":{"amount":6000,"currency":"EUR"},"service":"haircut","windows":[{"end":"2026-05-03T10:00:00Z","start":"2026-05-03T08:00:00Z"}]},"from":"assistant.example/lisa","id":"c3","inReplyTo":"k2","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":3,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"salon.example/bot","type":"counter-request"}',
    'decline': '{"ack":2,"body":{"reason":"no-reservation-needed","text":"We only take reservations for five or more. For four, just come in."},"from":"trattoria.example/bot","id":"k2","inReplyTo":"c2","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":2,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"assistant.example/lisa","type":"decline"}',
    'disclose': '{"ack":5,"body":{"data":{"givenName":"Lisa"},"tokenId":"t-f893a2eefb32555e71c18690ee42c90b"},"from":"assistant.example/lisa","id":"c7","inReplyTo":"k5","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":7,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"salon.example/bot","type":"disclose"}',
    'hello': '{"ack":0,"body":{"role":"customer","versions":[1]},"from":"assistant.example/lisa","id":"c1","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":1,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"salon.example/bot","type":"hello"}',
    'offer': '{"ack":4,"body":{"proposals":[{"cancellation":{"freeUntilMinutesBefore":1440},"expiresAt":"2026-04-30T09:15:00Z","id":"p3","location":"Hauptstraße 1, 10827 Berlin","price":{"amount":4500,"currency":"EUR"},"requires":[{"fields":["givenName"],"purpose":"booking","retentionDays":30}],"service":"haircut-women","slot":{"end":"2026-05-03T08:45:00Z","start":"2026-05-03T08:00:00Z"},"timeZone":"Europe/Berlin"}]},"from":"salon.example/bot","id":"k4","inReplyTo":"c4","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":4,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"assistant.example/lisa","type":"offer"}',
    'question': '{"ack":3,"body":{"id":"q1","options":[{"label":"Women\'s haircut (45 min, 45.00 EUR)","value":"haircut-women"},{"label":"Wash, cut and blow-dry (75 min, 65.00 EUR)","value":"haircut-women-long"}],"text":"Which service exactly?","topic":"service"},"from":"salon.example/bot","id":"k3","inReplyTo":"c3","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":3,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"assistant.example/lisa","type":"question"}',
    'reject': '{"ack":2,"body":{"reason":"chose-another-company","text":"Thank you, we chose another offer."},"from":"assistant.example/lisa","id":"c3","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":3,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"north.example/bot","type":"reject"}',
    'request': '{"ack":1,"body":{"preferredStart":"2026-05-03T10:00:00Z","priceCeiling":{"amount":6000,"currency":"EUR"},"service":"haircut","windows":[{"end":"2026-05-03T10:00:00Z","start":"2026-05-03T10:00:00Z"}]},"from":"assistant.example/lisa","id":"c2","inReplyTo":"k1","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":2,"session":"s-910a2dec89025cc1beeb8da1658eec67","to":"salon.example/bot","type":"request"}',
}

SESSION = "s-0b5c3f2d7e6a41908c2b1d4e5f6a7b8c"
LISA, SALON = "assistant.example/lisa", "salon.example/bot"


def envelope(kind, body, sender=LISA, seq=5, **extra):
    env = {"parley": 1, "id": f"m{seq}", "session": SESSION, "from": sender, "to": SALON if sender == LISA else LISA,
           "seq": seq, "ack": seq - 1, "sentAt": "2026-04-30T09:00:00Z", "type": kind, "body": body}
    env.update(extra)
    return json.dumps(env, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


HANDMADE = {
    "cancel": envelope("cancel", {"booking": "B-1", "text": "Sorry, I cannot come."}),
    "reschedule": envelope("reschedule", {"booking": "B-1", "windows": [{"start": "2026-05-03T09:00:00Z", "end": "2026-05-03T09:00:00Z"}],
                                          "preferredStart": "2026-05-03T09:00:00Z"}),
    "consent-deny": envelope("consent-deny", {"request": "cr2", "text": "The person does not share that."}),
    "consent-revoke": envelope("consent-revoke", {"tokenId": "t-f893a2eefb32555e71c18690ee42c90b", "text": "The person withdrew this consent."}),
    "handoff": envelope("handoff", {"reason": "needs-consultation", "channel": "phone",
                                    "text": "This needs a consultation with a stylist; a person will contact you.",
                                    "summary": "Customer asks for Colour treatment around 3 May 14:00."}, sender=SALON),
    "error": envelope("error", {"code": "offer-outside-window", "text": "body.proposals[0]: starts at 2026-05-03T13:00:00Z, outside every asked window",
                                "offending": "k4", "retryable": False}),
}


def valid_cases():
    cases = []
    for kind in sorted(set(RECORDED) | set(HANDMADE)):
        cases.append((f"valid {kind}", RECORDED.get(kind) or HANDMADE[kind]))
    base = json.loads(RECORDED["offer"])
    # Non-canonical spellings of valid envelopes.
    cases.append(("valid offer, pretty-printed with members in another order", json.dumps(base, indent=3, sort_keys=False)))
    hello = json.loads(RECORDED["hello"])
    cases.append(("valid hello, escaped characters", json.dumps(hello, ensure_ascii=True).replace('"hello"', '"\\u0068ello"')))
    named = json.loads(RECORDED["hello"])
    named["body"]["name"] = "Café Zoë ☕"
    cases.append(("valid hello, non-ASCII name with \\u escapes", json.dumps(named, ensure_ascii=True)))
    unknown = json.loads(RECORDED["request"])
    unknown["x-trace"] = {"hops": [1.0e3, 0.5, -0.0, 1e21, 1.5e-7], "note": "line\nbreak"}
    unknown["body"]["x-mood"] = "relaxed"
    cases.append(("valid request with unknown members (kept for digests)", json.dumps(unknown)))
    version_float = RECORDED["close"].replace('"parley":1', '"parley":1.0')
    cases.append(("valid close, version written 1.0", version_float))
    no_ack = json.loads(RECORDED["hello"])
    del no_ack["ack"]
    cases.append(("valid hello without ack", json.dumps(no_ack)))
    return cases


def invalid_cases():
    offer = RECORDED["offer"]
    request = json.loads(RECORDED["request"])

    def mutate(change):
        env = json.loads(RECORDED["request"])
        change(env)
        return json.dumps(env)

    deep = json.loads(RECORDED["close"])
    nested = "x"
    for _ in range(16):
        nested = [nested]
    deep["x-deep"] = nested  # envelope (1) + 16 arrays = 17 levels
    not_deep = json.loads(RECORDED["close"])
    nested = "x"
    for _ in range(15):
        nested = [nested]
    not_deep["x-deep"] = nested
    big = json.loads(RECORDED["close"])
    big["x-padding"] = "a" * 65_536
    cases = [
        ("truncated", offer[:-7], "malformed-json", None),
        ("trailing comma", offer[:-1] + ",}", "malformed-json", None),
        ("byte-order mark", "\ufeff" + offer, "malformed-json", None),
        ("top level is an array", "[" + offer + "]", "malformed-json", None),
        ("lone surrogate escape", RECORDED["close"].replace('"booked"', '"\\ud800"'), "malformed-json", None),
        ("leading zero", RECORDED["close"].replace('"seq":', '"seq":0'), "malformed-json", None),
        ("NaN", RECORDED["close"].replace('"seq":', '"x":NaN,"seq":'), "malformed-json", None),
        ("trailing data", offer + " {}", "malformed-json", None),
        ("duplicate member", RECORDED["close"].replace('"parley":1', '"parley":1,"parley":1'), "duplicate-key", None),
        ("duplicate member equal after unescaping", RECORDED["close"].replace('"id":', '"\\u0069d":"x","id":'), "duplicate-key", None),
        ("over 65 536 bytes", json.dumps(big), "too-large", None),
        ("17 levels deep", json.dumps(deep), "too-deep", None),
        ("unsupported version", RECORDED["close"].replace('"parley":1', '"parley":2'), "unsupported-version", True),
        ("version 0", RECORDED["close"].replace('"parley":1', '"parley":0'), "unsupported-version", True),
        ("negative version", RECORDED["close"].replace('"parley":1', '"parley":-1'), "unsupported-version", True),
        ("fractional version", RECORDED["close"].replace('"parley":1', '"parley":1.5'), "invalid-field", True),
        ("unknown message type", RECORDED["close"].replace('"type":"close"', '"type":"haggle"'), "unknown-message-type", True),
        ("no id", mutate(lambda e: e.pop("id")), "missing-field", True),
        ("no version", mutate(lambda e: e.pop("parley")), "missing-field", True),
        ("body without service", mutate(lambda e: e["body"].pop("service")), "missing-field", True),
        ("no body", mutate(lambda e: e.pop("body")), "missing-field", True),
        ("seq as a string", mutate(lambda e: e.update(seq="5")), "invalid-field", True),
        ("seq 0", mutate(lambda e: e.update(seq=0)), "invalid-field", True),
        ("fractional amount", mutate(lambda e: e["body"]["priceCeiling"].update(amount=45.5)), "invalid-field", True),
        ("lowercase currency", mutate(lambda e: e["body"]["priceCeiling"].update(currency="eur")), "invalid-field", True),
        ("instant with an offset", mutate(lambda e: e.update(sentAt="2026-04-30T11:00:00+02:00")), "invalid-field", True),
        ("impossible date", mutate(lambda e: e.update(sentAt="2026-02-30T10:00:00Z")), "invalid-field", False),
        ("null value", mutate(lambda e: e["body"].update(location=None)), "invalid-field", True),
        ("empty windows", mutate(lambda e: e["body"].update(windows=[])), "invalid-field", True),
        ("window ends before it starts", mutate(lambda e: e["body"].update(
            windows=[{"start": "2026-05-03T12:00:00Z", "end": "2026-05-03T10:00:00Z"}])), "invalid-field", False),
        ("21 proposals", json.dumps({**json.loads(offer), "body": {"proposals": [
            {**json.loads(offer)["body"]["proposals"][0], "id": f"p{i}"} for i in range(21)]}}), "invalid-field", True),
        ("version as a string", RECORDED["close"].replace('"parley":1', '"parley":"1"'), "invalid-field", True),
        ("add-on priced in another currency than its proposal", json.dumps({**json.loads(offer), "body": {"proposals": [
            {**json.loads(offer)["body"]["proposals"][0], "addOns": [
                {"id": "wine", "text": "A glass of wine", "price": {"amount": 500, "currency": "USD"}, "promotional": False}]}]}}),
         "invalid-field", False),
        ("token longer than MAX_TOKEN_BYTES (22 001 characters)", json.dumps({**json.loads(RECORDED["consent-grant"]), "body": {
            **json.loads(RECORDED["consent-grant"])["body"], "token": "A" * 22_001}}), "invalid-field", True),
    ]
    return cases


def build():
    schema = json.loads((ROOT / "Spec/schema/parley.schema.json").read_text())
    import jsonschema
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    out = []
    for name, text in valid_cases():
        canonical = rfc8785.dumps(json.loads(text)).decode()
        if list(validator.iter_errors(json.loads(text))):
            problems.append(f"valid case fails the schema: {name}")
        out.append({"name": name, "input": text, "valid": True, "canonical": canonical,
                    "sha256": hashlib.sha256(canonical.encode()).hexdigest()})
    for name, text, code, catches in invalid_cases():
        case = {"name": name, "input": text, "valid": False, "error": code}
        if catches is not None:
            fails = bool(list(validator.iter_errors(json.loads(text))))
            if catches and not fails:
                problems.append(f"the schema does not catch: {name}")
            if not catches:
                case["schemaCatches"] = False
        out.append(case)
    out.append({"name": "invalid UTF-8 in a string", "inputHex": RECORDED["close"].encode().replace(b"booked", b"b\xc3\x28oked").hex(),
                "valid": False, "error": "malformed-json"})
    return out, problems


if __name__ == "__main__":
    vectors, problems = build()
    for problem in problems:
        print(problem)
    text_out = json.dumps(vectors, indent=2, ensure_ascii=False) + "\n"
    target = ROOT / "Spec/vectors/messages.json"
    if "--check" in sys.argv:
        if target.read_text() != text_out:
            problems.append("Spec/vectors/messages.json is not what make_message_vectors.py writes")
            print(problems[-1])
    else:
        target.write_text(text_out)
        print(f"wrote {target.relative_to(ROOT)}: {len(vectors)} cases")
    sys.exit(1 if problems else 0)
