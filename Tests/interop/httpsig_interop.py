#!/usr/bin/env python3
"""HTTP message signatures (RFC 9421) between Parley and an independent implementation, Python's
`http-message-signatures` package, written from Spec/HTTP.md §2.5 and §7.

    python3 Tests/interop/httpsig_interop.py vectors Spec/vectors/httpsig.json
        Verifies Parley's committed request and response signatures (the valid cases) and checks
        that the invalid ones fail, with the Python library.
    python3 Tests/interop/httpsig_interop.py keygen
        Prints a fresh customer key: SEED-HEX PUBLIC-HEX (cryptography's Ed25519).
    python3 Tests/interop/httpsig_interop.py live URL SEED-HEX AGENT-ID COMPANY-PUBLIC-HEX
        Against a parley-server started with --require-signatures and the company key: verifies
        the signed discovery document (JWS over RFC 8785), sends requests signed by the Python
        library and checks that Parley serves the good ones and refuses each bad one with its
        problem code, and verifies every response signature Parley made with the Python library.

Exit status 0 when everything holds, 1 otherwise.
"""
import base64
import datetime
import hashlib
import json
import sys
import time

import requests
import rfc8785
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPMessageVerifier,
    InvalidSignature,
    MappingKeyResolver,
    algorithms,
)

REQUEST_TAG = "parley-request"
RESPONSE_TAG = "parley-response"
POST_COMPONENTS = ("@method", "@target-uri", "content-type", "content-digest", "parley-agent")
GET_COMPONENTS = ("@method", "@target-uri", "parley-agent")
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def raw_public(key):
    if isinstance(key, ed25519.Ed25519PrivateKey):
        key = key.public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def thumbprint(public_bytes):
    """RFC 7638 for an OKP key: SHA-256 of {"crv","kty","x"} in that order, no white space."""
    text = '{"crv":"Ed25519","kty":"OKP","x":"%s"}' % b64url(public_bytes)
    return b64url(hashlib.sha256(text.encode()).digest())


class TimelessVerifier(HTTPMessageVerifier):
    """For committed vectors, whose `created` lies in the past: time is not what they test."""

    def validate_created_and_expires(self, sig_input, max_age=None):
        return None


def response_components(has_type):
    components = ["@status"] + (["content-type"] if has_type else []) + ["content-digest", '"@method";req', '"@target-uri";req']
    return components


class Message:
    """A request or response view for the library: method, url, headers (and status, request)."""

    def __init__(self, method=None, url=None, headers=(), status=None, request=None):
        from http_message_signatures.structures import CaseInsensitiveDict

        self.method = method
        self.url = url
        self.headers = CaseInsensitiveDict()
        for name, value in headers:
            self.headers[name] = value
        if status is not None:
            self.status_code = status
            self.request = request


def vectors(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    for case in data["cases"]:
        keys = {thumbprint(unb64url(k)): ed25519.Ed25519PublicKey.from_public_bytes(unb64url(k)) for k in case["keys"]}
        verifier = TimelessVerifier(signature_algorithm=algorithms.ED25519, key_resolver=MappingKeyResolver(public_keys=keys, private_keys={}))
        body = case["body"].encode()
        if case["kind"] == "request":
            message = Message(case["method"], case["targetURI"], case["headers"])
            tag, required = REQUEST_TAG, POST_COMPONENTS if case["method"] == "POST" else GET_COMPONENTS
        else:
            req = case["request"]
            message = Message(status=case["status"], headers=case["headers"], request=Message(req["method"], req["targetURI"], req["headers"]))
            tag, required = RESPONSE_TAG, response_components(any(n.lower() == "content-type" for n, _ in case["headers"]))
        try:
            verifier.verify(message, expect_tag=tag, require_components=required, body=body, max_age=None)
            verified = True
        except InvalidSignature as error:
            verified = False
            reason = str(error)
        expected = case["valid"]
        check(verified == expected, "vector '%s': Python %s%s" % (
            case["name"], "verifies" if verified else "refuses", "" if verified else " (%s)" % reason))


# --- live ----------------------------------------------------------------------------------

def verify_response(response, company_keys, what):
    """Verifies Parley's response signature with the library, body included."""
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ED25519, key_resolver=MappingKeyResolver(public_keys=company_keys, private_keys={}))
    verifier.max_clock_skew = datetime.timedelta(seconds=60)
    try:
        results = verifier.verify(
            response, expect_tag=RESPONSE_TAG, body=response.content,
            require_components=response_components("Content-Type" in response.headers), max_age=datetime.timedelta(seconds=300))
        check(len(results) == 1, "%s: Python verifies Parley's response signature (%d, key %s)" % (
            what, response.status_code, results[0].parameters.get("keyid", "?")[:10]))
    except InvalidSignature as error:
        check(False, "%s: Python refuses Parley's response signature: %s" % (what, error))


def signed_request(method, url, agent, key, kid, body=None, components=None, created=None, tamper=None):
    headers = {"Parley-Agent": agent}
    if body is not None:
        headers["Content-Type"] = "application/parley+json"
    prepared = requests.Request(method, url, headers=headers, data=body).prepare()
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=MappingKeyResolver(public_keys={}, private_keys={kid: key}))
    now = created or datetime.datetime.now(datetime.timezone.utc)
    signer.sign(
        prepared, key_id=kid, label="py", tag=REQUEST_TAG, created=now, expires=now + datetime.timedelta(seconds=300),
        covered_component_ids=components or (POST_COMPONENTS if method == "POST" else GET_COMPONENTS), body=body)
    if tamper:
        tamper(prepared)
    return prepared


def problem(response):
    try:
        return response.json().get("problem")
    except ValueError:
        return None


def live(url, seed_hex, agent, company_hex):
    session = requests.Session()
    customer = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))
    kid = thumbprint(raw_public(customer))
    company_public = bytes.fromhex(company_hex)
    company_kid = thumbprint(company_public)

    # Discovery: a JWK Set and a JWS (detached content, RFC 8785) by the company key (Spec/HTTP.md §2.5).
    document = session.get(url + "/.well-known/parley").json()
    import jsonschema  # noqa: PLC0415 - only the live check needs it

    with open("Spec/schema/discovery.schema.json", encoding="utf-8") as handle:
        errors = list(jsonschema.Draft202012Validator(json.load(handle)).iter_errors(document))
    check(not errors, "discovery: the signed document is valid under Spec/schema/discovery.schema.json %s" % [e.message for e in errors][:2])
    jwks = [k for k in document.get("keys", []) if k.get("kty") == "OKP" and k.get("crv") == "Ed25519"]
    check(any(k["x"] == b64url(company_public) and k["kid"] == company_kid and k.get("use") == "sig" and k.get("alg") == "EdDSA" for k in jwks),
          "discovery: the company key is published as a JWK with its RFC 7638 thumbprint as kid")
    content = {k: v for k, v in document.items() if k != "signatures"}
    signing_input_tail = b64url(rfc8785.dumps(content))
    verified = []
    for entry in document.get("signatures", []):
        header = json.loads(unb64url(entry["protected"]))
        key = next((k for k in jwks if k["kid"] == header.get("kid")), None)
        if header.get("alg") != "EdDSA" or key is None:
            continue
        try:
            ed25519.Ed25519PublicKey.from_public_bytes(unb64url(key["x"])).verify(
                unb64url(entry["signature"]), (entry["protected"] + "." + signing_input_tail).encode())
            verified.append(header["kid"])
        except Exception:  # noqa: BLE001 - any failure is a refusal
            pass
    check(company_kid in verified, "discovery: Python verifies the document's JWS signature by the company key")
    company_keys = {k["kid"]: ed25519.Ed25519PublicKey.from_public_bytes(unb64url(k["x"])) for k in jwks}
    endpoint = url + document["endpoints"][0]

    session_id = "s-py-" + hashlib.sha256(str(time.time()).encode()).hexdigest()[:16]
    hello = json.dumps({
        "parley": 1, "id": "py-1", "session": session_id, "from": agent, "to": document["agent"], "seq": 1, "ack": 0,
        "sentAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "type": "hello",
        "body": {"role": "customer", "versions": [1]}}, separators=(",", ":")).encode()

    # A request the Python library signed: served, and the response verifies.
    response = session.send(signed_request("POST", endpoint, agent, customer, kid, body=hello))
    lines = [json.loads(line) for line in response.content.splitlines() if line.strip()]
    check(response.status_code == 200 and [e["type"] for e in lines] == ["hello"], "POST signed by Python: Parley answers hello (%d)" % response.status_code)
    verify_response(response, company_keys, "POST")

    poll = "%s/sessions/%s/messages?after=0&wait=0" % (endpoint, session_id)
    response = session.send(signed_request("GET", poll, agent, customer, kid))
    lines = [json.loads(line) for line in response.content.splitlines() if line.strip()]
    check(response.status_code == 200 and [e["type"] for e in lines] == ["hello"], "poll signed by Python: served (%d)" % response.status_code)
    verify_response(response, company_keys, "poll")

    # Every refusal, with its problem code; the refusals are signed too.
    stranger = ed25519.Ed25519PrivateKey.generate()
    cases = [
        ("unsigned", requests.Request("POST", endpoint, headers={"Parley-Agent": agent, "Content-Type": "application/parley+json"}, data=hello).prepare(), 401, "signature-missing"),
        ("signed by another key", signed_request("POST", endpoint, agent, stranger, thumbprint(raw_public(stranger)), body=hello), 401, "unknown-key"),
        ("body changed after signing", signed_request("POST", endpoint, agent, customer, kid, body=hello,
                                                     tamper=lambda r: setattr(r, "body", hello.replace(b"py-1", b"py-9"))), 400, "digest-mismatch"),
        ("created ten minutes ago", signed_request("POST", endpoint, agent, customer, kid, body=hello,
                                                   created=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=600)), 401, "signature-expired"),
        ("Content-Digest not covered", signed_request("POST", endpoint, agent, customer, kid, body=None,
                                                      components=("@method", "@target-uri", "parley-agent"),
                                                      tamper=lambda r: r.prepare_body(hello, None)), 401, "signature-coverage"),
        ("target changed after signing", signed_request("POST", endpoint, agent, customer, kid, body=hello,
                                                        tamper=lambda r: setattr(r, "url", endpoint + "?x=1")), 401, "signature-invalid"),
    ]
    for name, prepared, status, code in cases:
        if name == "Content-Digest not covered":
            prepared.headers["Content-Type"] = "application/parley+json"
        response = session.send(prepared)
        check(response.status_code == status and problem(response) == code,
              "%s: Parley refuses with %d %s (got %d %s)" % (name, status, code, response.status_code, problem(response)))
        verify_response(response, company_keys, name)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "vectors":
        vectors(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "keygen":
        key = ed25519.Ed25519PrivateKey.generate()
        seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        print(seed.hex(), raw_public(key).hex())
        return
    elif len(sys.argv) == 6 and sys.argv[1] == "live":
        live(sys.argv[2].rstrip("/"), sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        print(__doc__)
        sys.exit(64)
    if failures:
        print("httpsig interop: %d FAILED" % len(failures))
        sys.exit(1)
    print("httpsig interop: all passed")


if __name__ == "__main__":
    main()
