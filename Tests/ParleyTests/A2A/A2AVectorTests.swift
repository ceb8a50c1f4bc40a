import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// `Spec/vectors/a2a.json`: example A2A exchanges of `Spec/A2A.md`, request and response byte for
/// byte, replayed in order against one fresh S1 salon whose clock stands at 2026-04-30T09:00:00Z.
/// `PARLEY_WRITE_A2A_VECTORS=1 swift test --filter A2AVectorTests` rewrites the file from the binding.
@Suite struct A2AVectorTests {
    static let path = "Spec/vectors/a2a.json"
    static let uri = ParleyA2A.extensionURI

    static let hello =
        #"{"ack":0,"body":{"role":"customer","versions":[1]},"from":"assistant.example/lisa","id":"c1","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":1,"session":"s-vector-0001","to":"salon.example/bot","type":"hello"}"#
    static let badRequest =
        #"{"ack":1,"body":{"service":7,"windows":[]},"from":"assistant.example/lisa","id":"c2","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":2,"session":"s-vector-0001","to":"salon.example/bot","type":"request"}"#
    static let intruderHello =
        #"{"ack":0,"body":{"role":"customer","versions":[1]},"from":"intruder.example/eve","id":"e1","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":1,"session":"s-vector-0001","to":"salon.example/bot","type":"hello"}"#
    static let ownHello =
        #"{"ack":0,"body":{"role":"customer","versions":[1]},"from":"intruder.example/eve","id":"e2","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":1,"session":"s-vector-eve","to":"salon.example/bot","type":"hello"}"#

    /// A SendMessage request whose message carries `envelope` (JSON text) as a data part.
    static func send(_ envelope: String, messageID: String, context: String? = nil, mediaType: String = ParleyA2A.partMediaType) -> String {
        let contextMember = context.map { #""contextId":"\#($0)","# } ?? ""
        return
            #"{"jsonrpc":"2.0","id":"r-\#(messageID)","method":"SendMessage","params":{"message":{\#(contextMember)"messageId":"\#(messageID)","role":"ROLE_USER","parts":[{"data":\#(envelope),"mediaType":"\#(mediaType)"}]}}}"#
    }

    static func post(_ body: String, extensions: String? = "A2A-Extensions") -> ParleyHTTPRequest {
        var headers = [("Content-Type", "application/json"), ("A2A-Version", "1.0")]
        if let extensions { headers.append((extensions, uri)) }
        return ParleyHTTPRequest(method: "POST", target: "/a2a", headers: headers, body: Array(body.utf8), client: "192.0.2.1")
    }

    /// The requests, in order: name and request.
    static let requests: [(String, ParleyHTTPRequest)] = [
        ("the agent card", ParleyHTTPRequest(method: "GET", target: "/.well-known/agent-card.json", headers: [("Host", "salon.example")])),
        (
            "hello as a data part: a task waiting for input, the company's hello in its history",
            post(send(hello, messageID: "c1", context: "s-vector-0001"))
        ),
        ("the same message again: the same task, the hello not processed twice", post(send(hello, messageID: "c1"))),
        ("a protocol error: an error envelope in the task's history", post(send(badRequest, messageID: "c2"))),
        (
            "GetTask with historyLength 1, the X-A2A-Extensions spelling",
            post(
                #"{"jsonrpc":"2.0","id":7,"method":"GetTask","params":{"id":"s-vector-0001","historyLength":1}}"#,
                extensions: "X-A2A-Extensions")
        ),
        (
            "no Parley part: ContentTypeNotSupportedError",
            post(
                #"{"jsonrpc":"2.0","id":8,"method":"SendMessage","params":{"message":{"messageId":"t1","role":"ROLE_USER","parts":[{"text":"a haircut, please"}]}}}"#
            )
        ),
        (
            "an envelope with the wrong media type: ContentTypeNotSupportedError",
            post(send(hello, messageID: "c1", mediaType: "application/json"))
        ),
        ("the extension not activated: ExtensionSupportRequiredError", post(send(hello, messageID: "c1"), extensions: nil)),
        (
            "a Parley part with an invalid envelope: InvalidParams",
            post(send(#"{"id":"x1","type":"hello"}"#, messageID: "x1"))
        ),
        (
            "another customer's contextId for its own session: InvalidParams",
            post(send(ownHello, messageID: "e2", context: "s-vector-0001"))
        ),
        ("another customer's envelope in the session: TaskNotFound, nothing of the session", post(send(intruderHello, messageID: "e1"))),
        ("an unknown task: TaskNotFound", post(#"{"jsonrpc":"2.0","id":9,"method":"GetTask","params":{"id":"s-nobody"}}"#)),
        (
            "CancelTask: a session ends by its close envelope",
            post(#"{"jsonrpc":"2.0","id":10,"method":"CancelTask","params":{"id":"s-vector-0001"}}"#)
        ),
        ("a method A2A 1.0 does not have: MethodNotFound", post(#"{"jsonrpc":"2.0","id":11,"method":"message/send","params":{}}"#)),
        ("not JSON: parse error", post("{\"jsonrpc\":")),
    ]

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
        let binding = CompanyA2ABinding(http: CompanyHTTPBinding(agent: Salons.salon().0, clock: ManualClock(now: World.now)))
        var cases: [JSONValue] = []
        for (name, request) in requests {
            cases.append(json(request, await binding.respond(to: request), name: name))
        }
        return CanonicalJSON.canonicalBytes(.array(cases)) + [0x0A]
    }

    @Test func exchangesMatchTheBinding() async throws {
        let produced = await Self.produce()
        if getenvString("PARLEY_WRITE_A2A_VECTORS") == "1" {
            try Data(produced).write(to: Repository.root.appendingPathComponent(Self.path))
        }
        let committed = try Array(Repository.data(Self.path))
        #expect(committed == produced, "Spec/vectors/a2a.json differs from what the binding answers; see its README entry")
    }

    /// The vectors say what Spec/A2A.md says: checked on the committed file, independently of the binding.
    @Test func vectorsShowTheSpecifiedOutcomes() throws {
        guard
            case .array(let cases) = try JSONParser.parse(
                Array(Repository.data(Self.path)), limits: WireLimits(maximumBytes: 1 << 22, maximumDepth: 64))
        else { Issue.record("not an array"); return }
        #expect(cases.count == Self.requests.count)
        let expected: [Int?] = [nil, nil, nil, nil, nil, -32005, -32005, -32008, -32602, -32602, -32001, -32001, -32002, -32601, -32700]
        for (index, item) in cases.enumerated() {
            guard case .object(let response)? = CompanyA2ABinding.objectMember(item, "response"),
                case .string(let body)? = response["body"], let parsed = try? JSONParser.parse(Array(body.utf8))
            else { Issue.record("case \(index) has no JSON body"); continue }
            var code: Int?
            if case .object(let error)? = CompanyA2ABinding.objectMember(parsed, "error"), case .number(let value)? = error["code"] {
                code = Int(value)
            }
            #expect(code == expected[index], "case \(index)")
            #expect(!body.contains("intruder") || index >= 9, "case \(index) leaks another customer's data")
        }
    }
}
