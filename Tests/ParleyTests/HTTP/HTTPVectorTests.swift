import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// `Spec/vectors/http.json`: example HTTP exchanges of `Spec/HTTP.md`, request and response byte
/// for byte, replayed in order against one fresh S1 salon whose clock stands at 2026-04-30T09:00:00Z.
/// `PARLEY_WRITE_HTTP_VECTORS=1 swift test --filter HTTPVectorTests` rewrites the file from the binding.
@Suite struct HTTPVectorTests {
    static let path = "Spec/vectors/http.json"

    static let hello =
        #"{"ack":0,"body":{"role":"customer","versions":[1]},"from":"assistant.example/lisa","id":"c1","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":1,"session":"s-vector-0001","to":"salon.example/bot","type":"hello"}"#
    static let badRequest =
        #"{"ack":1,"body":{"service":7,"windows":[]},"from":"assistant.example/lisa","id":"c2","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":2,"session":"s-vector-0001","to":"salon.example/bot","type":"request"}"#

    /// The requests, in order: name and request.
    static let requests: [(String, ParleyHTTPRequest)] = [
        ("discovery", ParleyHTTPRequest(method: "GET", target: "/.well-known/parley")),
        ("hello, answered in the response", post(hello)),
        ("the same hello again: the same reply, byte for byte (PROTOCOL.md §5.5)", post(hello)),
        ("a protocol error: an error envelope inside 200", post(badRequest)),
        (
            "a poll for messages after seq 1: the error (seq 2)",
            ParleyHTTPRequest(
                method: "GET", target: "/parley/sessions/s-vector-0001/messages?after=1&wait=0",
                headers: [("Parley-Agent", "assistant.example/lisa")])
        ),
        (
            "a poll for messages after seq 2: nothing yet, 204",
            ParleyHTTPRequest(
                method: "GET", target: "/parley/sessions/s-vector-0001/messages?after=2&wait=0",
                headers: [("Parley-Agent", "assistant.example/lisa")])
        ),
        (
            "a poll from everything: the company's envelopes of the session",
            ParleyHTTPRequest(
                method: "GET", target: "/parley/sessions/s-vector-0001/messages?after=0&wait=0",
                headers: [("Parley-Agent", "assistant.example/lisa")])
        ),
        (
            "a poll naming another agent: 404",
            ParleyHTTPRequest(
                method: "GET", target: "/parley/sessions/s-vector-0001/messages?after=0",
                headers: [("Parley-Agent", "intruder.example/x")])
        ),
        ("wrong media type: 415", post(hello, type: "text/plain")),
        ("not JSON and no session: 400", post("hello?")),
        ("wrong method: 405", ParleyHTTPRequest(method: "DELETE", target: "/parley")),
        ("unknown resource: 404", ParleyHTTPRequest(method: "GET", target: "/nothing-here")),
    ]

    static func post(_ body: String, type: String = ParleyHTTP.envelopeMediaType) -> ParleyHTTPRequest {
        ParleyHTTPRequest(method: "POST", target: "/parley", headers: [("Content-Type", type)], body: Array(body.utf8), client: "192.0.2.1")
    }

    static func json(_ request: ParleyHTTPRequest, _ response: ParleyHTTPResponse, name: String) -> JSONValue {
        .object([
            "name": .string(name),
            "request": .object([
                "method": .string(request.method), "target": .string(request.target),
                "headers": .array(request.headers.map { .array([.string($0.name), .string($0.value)]) }),
                "body": .string(String(decoding: request.body, as: UTF8.self)),
            ]),
            "response": .object([
                "status": .number(Double(response.status)),
                "headers": .object(response.headers.mapValues(JSONValue.string)),
                "body": .string(response.text),
            ]),
        ])
    }

    static func produce() async -> [UInt8] {
        let binding = CompanyHTTPBinding(agent: Salons.salon().0, clock: ManualClock(now: World.now))
        var cases: [JSONValue] = []
        for (name, request) in requests {
            cases.append(json(request, await binding.respond(to: request), name: name))
        }
        return CanonicalJSON.canonicalBytes(.array(cases)) + [0x0A]
    }

    @Test func exchangesMatchTheBinding() async throws {
        let produced = await Self.produce()
        if getenvString("PARLEY_WRITE_HTTP_VECTORS") == "1" {
            try Data(produced).write(to: Repository.root.appendingPathComponent(Self.path))
        }
        let committed = try Array(Repository.data(Self.path))
        #expect(committed == produced, "Spec/vectors/http.json differs from what the binding answers; see its README entry")
    }
}
