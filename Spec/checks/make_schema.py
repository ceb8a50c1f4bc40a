#!/usr/bin/env python3
"""Writes Spec/schema/parley.schema.json (JSON Schema 2020-12) from the definitions below.

The definitions follow Spec/PROTOCOL.md §3–§5 member by member. Unknown members are allowed
everywhere (forward compatibility, §4.3). Rules a schema cannot express (start <= end, unique ids
inside lists of objects, answer in options) are checked by decoders and noted in $comment.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAFE = 9007199254740991


def ref(name):
    return {"$ref": f"#/$defs/{name}"}


def obj(required, optional=None, comment=None):
    properties = dict(required)
    properties.update(optional or {})
    schema = {"type": "object", "required": sorted(required), "properties": properties}
    if comment:
        schema["$comment"] = comment
    return schema


def integer(minimum, maximum):
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def array(items, minimum=0, maximum=None, unique=False):
    schema = {"type": "array", "items": items, "minItems": minimum}
    if maximum is not None:
        schema["maxItems"] = maximum
    if unique:
        schema["uniqueItems"] = True
    return schema


def text(maximum=2048):
    return {"type": "string", "$comment": f"at most {maximum} UTF-8 bytes", "maxLength": maximum}


defs = {
    "identifier": {"type": "string", "pattern": "^[!-~]{1,256}$"},
    "name": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9._-]{0,63}$"},
    "instant": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                "$comment": "also a valid Gregorian date and time, year 0001-9999 (checked by decoders)"},
    "timeZone": {"type": "string", "pattern": "^[A-Za-z0-9/_+-]{1,64}$"},
    "money": obj({"amount": integer(-SAFE, SAFE), "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}}),
    "timeWindow": obj({"start": ref("instant"), "end": ref("instant")}, comment="start <= end"),
    "slot": obj({"start": ref("instant"), "end": ref("instant")}, comment="start < end"),
    "fields": array(ref("name"), 1, 32, unique=True),
    "retentionDays": integer(0, 3660),
    "dataRequirement": obj({"fields": ref("fields"), "purpose": ref("name"), "retentionDays": ref("retentionDays")}),
    "cancellationPolicy": obj({"freeUntilMinutesBefore": integer(0, 525600)}, {"fee": ref("money")}),
    "addOn": obj({"id": ref("identifier"), "text": text(), "promotional": {"type": "boolean"}},
                 {"price": ref("money"), "discountPercent": integer(0, 100), "requires": array(ref("dataRequirement"), 0, 8)}),
    "proposal": obj(
        {"id": ref("identifier"), "service": ref("name"), "slot": ref("slot"), "timeZone": ref("timeZone"), "price": ref("money"),
         "cancellation": ref("cancellationPolicy"), "expiresAt": ref("instant")},
        {"requires": array(ref("dataRequirement"), 0, 8), "addOns": array(ref("addOn"), 0, 8), "location": text(256)},
        comment="add-on ids unique within the proposal"),
    "proposals": array(ref("proposal"), 1, 20),
    "windows": array(ref("timeWindow"), 1, 8),
    "signature": obj(
        {"kid": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,256}$"}, "sig": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,256}$"}},
        {"key": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,256}$"}},
        comment="PROTOCOL.md §5.7: sig is an Ed25519 signature in base64url (86 characters when well formed; "
                "a wrong length is refused when verified, not when decoded)"),
    "consentGrant": obj(
        {"tokenId": ref("identifier"), "token": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,22000}$"}, "fields": ref("fields"),
         "purpose": ref("name"), "expiresAt": ref("instant"), "retentionDays": ref("retentionDays")},
        {"request": ref("identifier"), "signature": ref("signature")}),
    "disclose": obj({"tokenId": ref("identifier"),
                     "data": {"type": "object", "minProperties": 1, "maxProperties": 32,
                              "propertyNames": ref("name"), "additionalProperties": {"type": "string", "maxLength": 1024}}}),
}

bodies = {
    "hello": obj({"versions": array(integer(1, 2147483647), 1, 16), "role": {"enum": ["customer", "company"]}},
                 {"name": text(256), "services": array(ref("name"), 0, 64)}),
    "request": obj({"service": ref("name"), "windows": ref("windows")},
                   {"preferredStart": ref("instant"), "durationMinutes": integer(1, 10080), "partySize": integer(1, 1000),
                    "priceCeiling": ref("money"), "location": text(256), "concludeBy": ref("instant")}),
    "question": obj({"id": ref("identifier"), "topic": ref("name"), "text": text()},
                    {"options": array(obj({"value": text(256), "label": text(256)}), 0, 16)}, comment="option values unique"),
    "answer": obj({"question": ref("identifier"), "value": text()}, comment="one of the question's option values, if it has options"),
    "offer": obj({"proposals": ref("proposals")}, comment="proposal ids unique"),
    "accept": obj({"proposal": ref("identifier")},
                  {"addOns": array(ref("identifier"), 0, 8), "grants": array(ref("consentGrant"), 0, 8),
                   "disclosures": array(ref("disclose"), 0, 8)}),
    "reject": obj({"reason": ref("name")}, {"proposals": array(ref("identifier"), 0, 20), "text": text()}),
    "confirm": obj(
        {"booking": ref("identifier"), "status": {"enum": ["booked", "rescheduled", "cancelled"]}, "service": ref("name"),
         "slot": ref("slot"), "timeZone": ref("timeZone"), "price": ref("money"), "cancellation": ref("cancellationPolicy"),
         "revision": integer(0, 1000000), "agreementDigest": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
        {"proposal": ref("identifier"), "addOns": array(ref("identifier"), 0, 8), "location": text(256), "heldFor": text(1024),
         "fee": ref("money"), "signature": ref("signature")}),
    "decline": obj({"reason": ref("name")}, {"text": text(), "proposals": array(ref("proposal"), 0, 20)}),
    "cancel": obj({"booking": ref("identifier")}, {"text": text()}),
    "reschedule": obj({"booking": ref("identifier"), "windows": ref("windows")}, {"preferredStart": ref("instant")}),
    "consent-request": obj({"id": ref("identifier"), "fields": ref("fields"), "purpose": ref("name"), "retentionDays": ref("retentionDays")},
                           {"text": text()}),
    "consent-grant": ref("consentGrant"),
    "consent-deny": obj({"request": ref("identifier")}, {"text": text()}),
    "consent-revoke": obj({"tokenId": ref("identifier")}, {"text": text()}),
    "disclose": ref("disclose"),
    "handoff": obj({"reason": ref("name"), "channel": ref("name"), "summary": text()}, {"text": text()}),
    "error": obj({"code": ref("name"), "text": text(), "retryable": {"type": "boolean"}}, {"offending": ref("identifier")}),
    "close": obj({"outcome": ref("name")}, {"text": text()}),
}
aliases = {"counter-request": "request", "counter-offer": "offer"}
types = sorted(list(bodies) + list(aliases))
for kind, body in bodies.items():
    defs["body-" + kind] = body

envelope = obj(
    {"parley": {"const": 1}, "id": ref("identifier"), "session": ref("identifier"), "from": ref("identifier"),
     "to": ref("identifier"), "seq": integer(1, 2147483647), "sentAt": ref("instant"), "type": {"enum": types},
     "body": {"type": "object"}},
    {"ack": integer(0, 2147483647), "inReplyTo": ref("identifier")})
envelope["allOf"] = [
    {"if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
     "then": {"properties": {"body": ref("body-" + aliases.get(kind, kind))}}}
    for kind in types
]
schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://parley.invalid/schema/parley.schema.json",
          "title": "Parley envelope, protocol version 1", "$comment": "Spec/PROTOCOL.md is normative; this schema follows it.",
          **envelope, "$defs": defs}
text_out = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
target = ROOT / "Spec/schema/parley.schema.json"
if "--check" in sys.argv:
    sys.exit(0 if target.read_text() == text_out else "Spec/schema/parley.schema.json is not what make_schema.py writes")
target.write_text(text_out)
print(f"wrote {target.relative_to(ROOT)}: {len(types)} message types")
