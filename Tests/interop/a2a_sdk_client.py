#!/usr/bin/env python3
"""A Parley customer over A2A, written from Spec/A2A.md with the official A2A Python SDK
(a2a-sdk 1.3.0, A2A protocol 1.0) as an independent client. It resolves the company's agent card
with the SDK, checks that the Parley extension is declared, then plays S1 (scenarios.md): a
women's haircut on 3 May 2026, ideally 12:00 Berlin, 10:00-12:00 also fine, at most 60 EUR,
disclosing only the given name, by sending Parley envelopes as A2A data parts through the SDK's
client. It expects the booking at 10:00 Berlin (08:00Z) and a task in TASK_STATE_COMPLETED.
It also sends the SDK's own kind of garbage and expects A2A errors.

    python3 Tests/interop/a2a_sdk_client.py http://127.0.0.1:8080

Exit status 0 when booked as expected, 1 otherwise.
"""
import asyncio
import os
import secrets
import sys

import httpx
from google.protobuf import json_format, struct_pb2

from a2a.client import A2ACardResolver, ClientCallContext, ClientConfig, ClientFactory
from a2a.extensions.common import find_extension_by_uri
from a2a.types.a2a_pb2 import GetTaskRequest, Message, Part, Role, SendMessageRequest, TaskState
from a2a.utils import errors as a2a_errors

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_client import acceptable, mint_token  # noqa: E402  (the S1 rules and macaroon minting of Spec/HTTP.md's client)

EXTENSION = "urn:parley:a2a:v1"          # Spec/A2A.md §1
PART_TYPE = "application/parley+json"    # Spec/A2A.md §3
ME = "assistant.example/lisa-a2a"


def fail(message):
    print("a2a_sdk_client: FAIL: " + message)
    sys.exit(1)


def plain(value):
    """JSON numbers come back from protobuf's Value as floats: whole ones become ints again."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class Session:
    def __init__(self, client, company):
        self.client = client
        self.company = company
        self.id = "s-" + secrets.token_hex(16)
        self.seq = 0
        self.ack = 0
        self.pending = {}
        self.inbox = []
        self.log = []
        self.state = None
        # §2: the extension is activated per request.
        self.context = ClientCallContext(service_parameters={"A2A-Extensions": EXTENSION})

    def take(self, task):
        """§5: the company's envelopes are the agent messages of the task's history."""
        self.state = task.status.state
        for message in task.history:
            if message.role != Role.ROLE_AGENT:
                continue
            for part in message.parts:
                if part.media_type != PART_TYPE or not part.HasField("data"):
                    continue
                envelope = plain(json_format.MessageToDict(part.data))
                if envelope["seq"] > self.ack:
                    self.pending[envelope["seq"]] = envelope
        while self.ack + 1 in self.pending:
            envelope = self.pending.pop(self.ack + 1)
            self.ack += 1
            self.inbox.append(envelope)
            self.log.append("company -> %s" % envelope["type"])

    async def send(self, kind, body, in_reply_to=None):
        self.seq += 1
        envelope = {"parley": 1, "id": "a2a-%d" % self.seq, "session": self.id, "from": ME, "to": self.company,
                    "seq": self.seq, "ack": self.ack, "sentAt": "2026-05-02T09:00:00Z", "type": kind, "body": body}
        if in_reply_to:
            envelope["inReplyTo"] = in_reply_to
        # §3: one envelope per message, as a data part; messageId = envelope id; contextId = session.
        part = Part(media_type=PART_TYPE)
        part.data.CopyFrom(json_format.ParseDict(envelope, struct_pb2.Value()))
        message = Message(message_id=envelope["id"], context_id=self.id, role=Role.ROLE_USER, parts=[part],
                          extensions=[EXTENSION])
        self.log.append("me -> %s" % kind)
        async for event in self.client.send_message(SendMessageRequest(message=message), context=self.context):
            if event.HasField("task"):
                if event.task.id != self.id or event.task.context_id != self.id:
                    fail("task %s / context %s is not the session %s" % (event.task.id, event.task.context_id, self.id))
                self.take(event.task)
            else:
                fail("expected a task, got %s" % event)

    async def next(self, deadline=30):
        """The next company envelope; while the task is WORKING, poll GetTask (§5)."""
        waited = 0.0
        while not self.inbox:
            if waited > deadline:
                fail("no message from the company within %d s" % deadline)
            await asyncio.sleep(0.5)
            waited += 0.5
            self.take(await self.client.get_task(GetTaskRequest(id=self.id), context=self.context))
        return self.inbox.pop(0)


async def expect_error(label, coroutine, error_type):
    try:
        async for _ in coroutine:
            pass
    except error_type as error:
        print("a2a_sdk_client: %s -> %s (%s)" % (label, type(error).__name__, error))
        return
    except Exception as error:  # noqa: BLE001
        fail("%s: expected %s, got %s: %s" % (label, error_type.__name__, type(error).__name__, error))
    fail("%s: expected %s, got a result" % (label, error_type.__name__))


async def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    base = sys.argv[1].rstrip("/")
    async with httpx.AsyncClient(timeout=30) as http:
        card = await A2ACardResolver(http, base).get_agent_card()
        extension = find_extension_by_uri(card, EXTENSION)
        if extension is None:
            fail("the agent card does not declare %s" % EXTENSION)
        params = plain(json_format.MessageToDict(extension.params))
        if 1 not in params.get("versions", []) or not params.get("agent") or not params.get("discovery"):
            fail("the extension's params lack versions, agent or discovery: %s" % params)
        print("agent card: %s, extension %s (required=%s), Parley agent %s, A2A %s"
              % (card.name, extension.uri, extension.required, params["agent"],
                 card.supported_interfaces[0].protocol_version))
        client = ClientFactory(ClientConfig(streaming=False, httpx_client=http)).create(card)

        # Garbage first: an A2A message without a Parley part, and a Parley part of the wrong media type.
        text = Message(message_id="t-" + secrets.token_hex(4), role=Role.ROLE_USER, parts=[Part(text="book me a haircut")])
        context = ClientCallContext(service_parameters={"A2A-Extensions": EXTENSION})
        await expect_error("text only", client.send_message(SendMessageRequest(message=text), context=context),
                           a2a_errors.ContentTypeNotSupportedError)
        await expect_error("no activation", client.send_message(SendMessageRequest(message=text)),
                           a2a_errors.ExtensionSupportRequiredError)
        try:
            await client.get_task(GetTaskRequest(id="s-nobody"), context=context)
            fail("GetTask of an unknown task answered")
        except a2a_errors.TaskNotFoundError as error:
            print("a2a_sdk_client: unknown task -> TaskNotFoundError (%s)" % error)

        session = Session(client, params["agent"])
        root_key = secrets.token_bytes(32)
        ceiling = {"amount": 6000, "currency": "EUR"}
        await session.send("hello", {"role": "customer", "versions": [1]})
        hello = await session.next()
        if hello["type"] != "hello":
            fail("expected hello, got %s" % hello["type"])
        if session.state != TaskState.TASK_STATE_INPUT_REQUIRED:
            fail("after hello the task is %s, not INPUT_REQUIRED" % TaskState.Name(session.state))
        await session.send("request", {"service": "haircut", "preferredStart": "2026-05-03T10:00:00Z",
                                       "priceCeiling": ceiling,
                                       "windows": [{"start": "2026-05-03T10:00:00Z", "end": "2026-05-03T10:00:00Z"}]},
                           hello["id"])
        asked_wider = False
        while True:
            message = await session.next()
            kind, body = message["type"], message["body"]
            if kind in ("offer", "counter-offer"):
                good = [p for p in body["proposals"] if acceptable(p)]
                if good:
                    await session.send("accept", {"proposal": good[0]["id"]}, message["id"])
                elif not asked_wider:
                    asked_wider = True
                    await session.send("counter-request", {"service": "haircut", "preferredStart": "2026-05-03T10:00:00Z",
                                                           "priceCeiling": ceiling,
                                                           "windows": [{"start": "2026-05-03T08:00:00Z",
                                                                        "end": "2026-05-03T10:00:00Z"}]},
                                       message["id"])
                else:
                    fail("no acceptable proposal")
            elif kind == "question":
                if session.state != TaskState.TASK_STATE_INPUT_REQUIRED:
                    fail("a question with the task %s, not INPUT_REQUIRED" % TaskState.Name(session.state))
                await session.send("answer", {"question": body["id"], "value": "haircut-women"}, message["id"])
            elif kind == "consent-request":
                if body["fields"] != ["givenName"] or body["purpose"] != "booking":
                    fail("the company asks for more than the given name: %s" % body)
                token_id = "t-" + secrets.token_hex(16)
                expires = "2026-06-02T08:45:00Z"
                token = mint_token(root_key, token_id, ME, [
                    "aud = " + params["agent"], "purpose in booking", "fields in givenName", "time < " + expires,
                    "retention <= P%dD" % body["retentionDays"]])
                await session.send("consent-grant", {"request": body["id"], "tokenId": token_id, "token": token,
                                                     "fields": ["givenName"], "purpose": "booking",
                                                     "retentionDays": body["retentionDays"], "expiresAt": expires},
                                   message["id"])
                await session.send("disclose", {"tokenId": token_id, "data": {"givenName": "Lisa"}}, message["id"])
            elif kind == "confirm":
                if session.state != TaskState.TASK_STATE_COMPLETED:
                    fail("booked, but the task is %s" % TaskState.Name(session.state))
                task = await client.get_task(GetTaskRequest(id=session.id), context=session.context)
                if not any(a.name == "booking" for a in task.artifacts):
                    fail("the completed task has no booking artifact")
                # §5: the terminal task takes the session's close by contextId only.
                await session.send("close", {"outcome": "booked"}, message["id"])
                print("\n".join(session.log))
                if body["slot"]["start"] != "2026-05-03T08:00:00Z" or body["status"] != "booked":
                    fail("booked %s, not 10:00 Berlin" % body["slot"]["start"])
                if body.get("heldFor") != "Lisa":
                    fail("held for %r" % body.get("heldFor"))
                print("a2a_sdk_client: booked %s at %s (10:00 Europe/Berlin), reference %s, task %s, disclosed only givenName"
                      % (body["service"], body["slot"]["start"], body["booking"], TaskState.Name(session.state)))
                return 0
            elif kind in ("error", "decline", "close", "handoff"):
                print("\n".join(session.log))
                fail("the company sent %s: %s" % (kind, body))
            else:
                fail("unexpected %s" % kind)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
