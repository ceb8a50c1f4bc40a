import Foundation
import ParleyScenarios
import ParleyTestSupport
import Testing

@testable import Parley

/// The A2A binding (`Spec/A2A.md`) as request values in, response values out, and the A2A client
/// transport against it over loopback HTTP.
@Suite struct A2ABindingTests {
    static func binding(clock: any AgentClock = ManualClock(now: World.now)) -> CompanyA2ABinding {
        CompanyA2ABinding(http: CompanyHTTPBinding(agent: Salons.salon().0, clock: clock))
    }

    static func hello(session: SessionID = "s-a2a-1", from: AgentID = World.lisa, id: MessageID = "m-1") -> Envelope {
        Envelope(
            id: id, session: session, from: from, to: "salon.example/bot", sequence: 1, sentAt: World.now,
            message: .hello(.init(role: .customer)))
    }

    /// A JSON-RPC request to the binding; `activate` sends the `A2A-Extensions` header.
    static func rpc(_ method: String, _ params: JSONValue, activate: Bool = true, header: String = ParleyA2A.extensionsHeader)
        -> ParleyHTTPRequest
    {
        let body = JSONValue.object(["jsonrpc": .string("2.0"), "id": .number(1), "method": .string(method), "params": params])
        var headers = [("Content-Type", "application/json"), ("A2A-Version", "1.0")]
        if activate { headers.append((header, ParleyA2A.extensionURI)) }
        return ParleyHTTPRequest(
            method: "POST", target: "/a2a", headers: headers, body: CanonicalJSON.compactCanonicalBytes(body), client: "c1")
    }

    static func send(_ envelope: Envelope, contextID: String? = nil, taskID: String? = nil, mediaType: String = ParleyA2A.partMediaType)
        -> JSONValue
    {
        var message: [String: JSONValue] = [
            "messageId": .string(envelope.id.rawValue), "role": .string("ROLE_USER"),
            "parts": .array([.object(["data": envelope.json, "mediaType": .string(mediaType)])]),
        ]
        message["contextId"] = .string(contextID ?? envelope.session.rawValue)
        if let taskID { message["taskId"] = .string(taskID) }
        return .object(["message": .object(message)])
    }

    static func json(_ response: ParleyHTTPResponse) throws -> [String: JSONValue] {
        guard case .object(let members) = try JSONParser.parse(response.body) else { throw ParleyError(.malformedJSON, "not an object") }
        return members
    }

    /// The JSON-RPC error code and reason of `response`, or `nil` when it holds a result.
    static func error(_ response: ParleyHTTPResponse) throws -> (Int, String)? {
        guard case .object(let error)? = try json(response)["error"], case .number(let code)? = error["code"],
            case .array(let data)? = error["data"], case .string(let reason)? = CompanyA2ABinding.objectMember(data[0], "reason")
        else { return nil }
        return (Int(code), reason)
    }

    static func task(_ response: ParleyHTTPResponse) throws -> [String: JSONValue]? {
        let members = try json(response)
        if case .object(let result)? = members["result"], case .object(let task)? = result["task"] { return task }
        if case .object(let task)? = members["result"], task["status"] != nil { return task }
        return nil
    }

    static func state(_ task: [String: JSONValue]) -> String? {
        guard case .object(let status)? = task["status"], case .string(let state)? = status["state"] else { return nil }
        return state
    }

    static func envelopes(_ task: [String: JSONValue]) -> [Envelope] {
        guard case .array(let history)? = task["history"] else { return [] }
        return history.flatMap { message -> [Envelope] in
            guard case .object(let members) = message else { return [] }
            return A2AClientTransport.envelopes(in: members, codec: WireCodec()).compactMap {
                if case .envelope(let envelope) = $0 { return envelope } else { return nil }
            }
        }
    }

    @Test func theAgentCardDeclaresTheExtension() async throws {
        let binding = Self.binding()
        let response = await binding.respond(
            to: ParleyHTTPRequest(method: "GET", target: ParleyA2A.agentCardPath, headers: [("Host", "127.0.0.1:8080")]))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let card = try A2AClientTransport.parseCard(
            JSONParser.parse(response.body), url: URL(string: "http://127.0.0.1:8080/.well-known/agent-card.json")!,
            allowsInsecureHTTP: false)
        #expect(card.agent == "salon.example/bot")
        #expect(card.endpoint.absoluteString == "http://127.0.0.1:8080/a2a")
        #expect(card.discoveryURL?.absoluteString == "http://127.0.0.1:8080/.well-known/parley")
        #expect(card.versions == [1])
        #expect(card.required)
        let public_ = await binding.respond(
            to: ParleyHTTPRequest(method: "GET", target: ParleyA2A.agentCardPath, headers: [("Host", "salon.example")]))
        #expect(public_.text.contains("\"url\":\"https://salon.example/a2a\""))
        // Every other path is the HTTP binding's.
        #expect(await binding.respond(to: ParleyHTTPRequest(method: "GET", target: "/.well-known/parley")).status == 200)
    }

    @Test func helloIsAnsweredAsATaskWaitingForInput() async throws {
        let binding = Self.binding()
        let response = await binding.respond(to: Self.rpc("SendMessage", Self.send(Self.hello())))
        #expect(response.headers[ParleyA2A.extensionsHeader] == ParleyA2A.extensionURI)
        let task = try #require(try Self.task(response))
        #expect(task["id"] == .string("s-a2a-1") && task["contextId"] == .string("s-a2a-1"))
        #expect(Self.state(task) == "TASK_STATE_INPUT_REQUIRED")
        #expect(Self.envelopes(task).map(\.kind) == [.hello])
        // The same message again (same messageId): the same task, the hello not processed twice.
        let again = try #require(try Self.task(await binding.respond(to: Self.rpc("SendMessage", Self.send(Self.hello())))))
        #expect(Self.envelopes(again).map(\.id) == Self.envelopes(task).map(\.id))
        // GetTask shows it too; the older X-A2A-Extensions header activates as well.
        let got = try #require(
            try Self.task(await binding.respond(to: Self.rpc("GetTask", .object(["id": .string("s-a2a-1")]), header: "X-A2A-Extensions"))))
        #expect(Self.envelopes(got).map(\.kind) == [.hello])
        let none = try #require(
            try Self.task(await binding.respond(to: Self.rpc("GetTask", .object(["id": .string("s-a2a-1"), "historyLength": .number(0)])))))
        #expect(none["history"] == .array([]))
    }

    @Test func garbageGetsA2AShapedErrors() async throws {
        let binding = Self.binding()
        _ = await binding.respond(to: Self.rpc("SendMessage", Self.send(Self.hello())))
        let text = JSONValue.object([
            "message": .object([
                "messageId": .string("t1"), "role": .string("ROLE_USER"),
                "parts": .array([.object(["text": .string("book me a haircut")])]),
            ])
        ])
        let cases: [(String, ParleyHTTPRequest, Int, String)] = [
            ("no Parley part", Self.rpc("SendMessage", text), -32005, "PARLEY_PART_MISSING"),
            (
                "wrong media type", Self.rpc("SendMessage", Self.send(Self.hello(), mediaType: "application/json")), -32005,
                "PARLEY_MEDIA_TYPE_REQUIRED"
            ),
            ("extension not activated", Self.rpc("SendMessage", Self.send(Self.hello()), activate: false), -32008, "EXTENSION_REQUIRED"),
            ("unknown task", Self.rpc("GetTask", .object(["id": .string("s-nobody")])), -32001, "TASK_NOT_FOUND"),
            ("cancel an unknown task", Self.rpc("CancelTask", .object(["id": .string("s-nobody")])), -32001, "TASK_NOT_FOUND"),
            ("cancel: sessions end by close", Self.rpc("CancelTask", .object(["id": .string("s-a2a-1")])), -32002, "CLOSE_BY_ENVELOPE"),
            ("unknown method", Self.rpc("tasks/send", .object([:])), -32601, "METHOD_NOT_FOUND"),
            ("streaming is not offered", Self.rpc("SendStreamingMessage", Self.send(Self.hello())), -32004, "UNSUPPORTED_OPERATION"),
            (
                "a messageId other than the envelope id",
                Self.rpc("SendMessage", Self.send(Self.hello(id: "m-9")).replacingMessageID("other")),
                -32602, "MESSAGE_ID_MISMATCH"
            ),
            (
                "invalid envelope, no session to answer in",
                Self.rpc(
                    "SendMessage",
                    .object([
                        "message": .object([
                            "messageId": .string("x"), "role": .string("ROLE_USER"),
                            "parts": .array([
                                .object([
                                    "data": .object(["id": .string("x"), "type": .string("hello")]),
                                    "mediaType": .string(ParleyA2A.partMediaType),
                                ])
                            ]),
                        ])
                    ])), -32602, "INVALID_ENVELOPE"
            ),
            (
                "data that is not an object",
                Self.rpc(
                    "SendMessage",
                    .object([
                        "message": .object([
                            "messageId": .string("x"), "role": .string("ROLE_USER"),
                            "parts": .array([.object(["data": .string("hello"), "mediaType": .string(ParleyA2A.partMediaType)])]),
                        ])
                    ])), -32602, "INVALID_ENVELOPE"
            ),
        ]
        for (name, request, code, reason) in cases {
            let answer = try Self.error(await binding.respond(to: request))
            #expect(answer?.0 == code && answer?.1 == reason, "\(name): \(String(describing: answer))")
        }
        let notJSON = ParleyHTTPRequest(
            method: "POST", target: "/a2a", headers: [("A2A-Extensions", ParleyA2A.extensionURI)], body: Array("{".utf8))
        #expect(try Self.error(await binding.respond(to: notJSON))?.0 == -32700)
        let version = Self.rpc("GetTask", .object(["id": .string("s-a2a-1")]))
        var old = version
        old.headers = old.headers.map { $0.name == "A2A-Version" ? ($0.name, "0.3") : $0 }
        #expect(try Self.error(await binding.respond(to: old))?.0 == -32009)
    }

    @Test func anotherCustomersContextLeaksNothing() async throws {
        let binding = Self.binding()
        let lisas = try #require(try Self.task(await binding.respond(to: Self.rpc("SendMessage", Self.send(Self.hello())))))
        #expect(Self.envelopes(lisas).count == 1)
        let intruder: AgentID = "intruder.example/eve"
        // Eve names Lisa's context for her own session: refused, nothing of Lisa's session in the answer.
        let own = Self.hello(session: "s-eve-1", from: intruder, id: "e-1")
        let mismatch = await binding.respond(to: Self.rpc("SendMessage", Self.send(own, contextID: "s-a2a-1")))
        #expect(try Self.error(mismatch)?.1 == "CONTEXT_MISMATCH")
        // Eve sends into Lisa's session itself: the task is not found for her, and the agent never sees it.
        let into = Self.hello(session: "s-a2a-1", from: intruder, id: "e-2")
        let refused = await binding.respond(to: Self.rpc("SendMessage", Self.send(into)))
        #expect(try Self.error(refused)?.0 == -32001)
        #expect(!refused.text.contains("salon.example/bot"))
        // Eve reads Lisa's task naming herself: not found.
        var read = Self.rpc("GetTask", .object(["id": .string("s-a2a-1")]))
        read.headers.append((ParleyHTTP.agentHeader, intruder.rawValue))
        #expect(try Self.error(await binding.respond(to: read))?.0 == -32001)
        // Lisa's session is untouched.
        let after = try #require(try Self.task(await binding.respond(to: Self.rpc("GetTask", .object(["id": .string("s-a2a-1")])))))
        #expect(Self.envelopes(after).map(\.id) == Self.envelopes(lisas).map(\.id))
        #expect(Self.state(after) == "TASK_STATE_INPUT_REQUIRED")
    }

    @Test func endedSessionsLeaveTheContextTableWithTheOutbox() async throws {
        let clock = ManualClock(now: World.now)
        let binding = Self.binding(clock: clock)
        _ = await binding.respond(to: Self.rpc("SendMessage", Self.send(Self.hello())))
        let close = Envelope(
            id: "m-2", session: "s-a2a-1", from: World.lisa, to: "salon.example/bot", sequence: 2, acknowledged: 1, sentAt: World.now,
            message: .close(.init(outcome: "done")))
        let closed = try #require(try Self.task(await binding.respond(to: Self.rpc("SendMessage", Self.send(close)))))
        #expect(Self.state(closed) == "TASK_STATE_CANCELED")
        // Past the outbox's retention, the next session's traffic purges it, and a sweep drops the context.
        clock.advance(to: World.now.adding(seconds: SessionStateMachine.Configuration().idempotencyWindow + 1))
        _ = await binding.respond(to: Self.rpc("SendMessage", Self.send(Self.hello(session: "s-a2a-2", id: "n-1"))))
        await binding.forgetEndedContexts()
        #expect(await binding.contexts.record("s-a2a-1") == nil)
        #expect(await binding.contexts.record("s-a2a-2") != nil)
        let gone = await binding.respond(to: Self.rpc("GetTask", .object(["id": .string("s-a2a-1")])))
        #expect(try Self.error(gone)?.0 == -32001)
    }

    @Test func phasesMapToTaskStates() {
        #expect(A2ATaskState(phase: .questioned) == .inputRequired)
        #expect(A2ATaskState(phase: .offered) == .inputRequired)
        #expect(A2ATaskState(phase: .requested) == .working)
        #expect(A2ATaskState(phase: .booked) == .completed)
        #expect(A2ATaskState(phase: .failed) == .failed)
        #expect(A2ATaskState(phase: .closed) == .canceled)
        #expect(A2ATaskState(phase: .handedOff) == .rejected)
        #expect(SessionPhase.allCases.filter { A2ATaskState(phase: $0).isTerminal } == [.booked, .handedOff, .closed, .failed])
    }
}

extension JSONValue {
    /// This SendMessage params with `message.messageId` replaced.
    func replacingMessageID(_ id: String) -> JSONValue {
        guard case .object(var params) = self, case .object(var message)? = params["message"] else { return self }
        message["messageId"] = .string(id)
        params["message"] = .object(message)
        return .object(params)
    }
}

/// The A2A client transport against the binding behind a loopback HTTP server.
@Suite(.serialized) struct A2AClientTransportTests {
    @Test func resolvesTheCardAndBooksS1() async throws {
        let a2a = CompanyA2ABinding(http: CompanyHTTPBinding(agent: Salons.salon().0, clock: ShiftedClock(start: World.now)))
        let server = try LoopbackHTTPServer { await a2a.respond(to: $0) }
        defer { server.stop() }
        let card = try await A2AClientTransport.resolve(server.baseURL)
        #expect(card.agent == "salon.example/bot")
        let transport = A2AClientTransport(endpoint: card.endpoint, agent: World.lisa)
        let lisa = CustomerAgent(
            id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
            consentKey: World.lisasKey, clock: ShiftedClock(start: World.now), seed: 5)
        await lisa.connect(to: card.agent, over: transport)
        let outcome = await lisa.book(at: card.agent)
        await lisa.disconnect()
        await transport.close()
        let booking = try #require(outcome.booking, "outcome: \(outcome)")
        #expect(booking.confirmation.slot.start == World.may(3, 10))
        #expect(await a2a.http.agent.consentedData(for: booking.reference).map(\.disclosedFields) == [[.givenName]])
        #expect(await a2a.contexts.record(booking.session)?.customer == World.lisa)
        #expect(await a2a.state(of: booking.session) == .completed)
    }

    @Test func s2EndsWithTheWalkInAnswer() async throws {
        let stage = Stage()
        let restaurant = Salons.restaurant(openingHours: [stage.restaurantDay.window(from: (17, 0), to: (23, 0))]).0
        let a2a = CompanyA2ABinding(http: CompanyHTTPBinding(agent: restaurant, clock: ShiftedClock(start: World.now)))
        let server = try LoopbackHTTPServer { await a2a.respond(to: $0) }
        defer { server.stop() }
        let card = try await A2AClientTransport.resolve(server.baseURL)
        let transport = A2AClientTransport(endpoint: card.endpoint, agent: World.lisa)
        let lisa = CustomerAgent(
            id: World.lisa, wishes: Scenarios.restaurantWishes(on: stage.restaurantDay), policy: World.bookingOnlyPolicy,
            personalData: World.lisasData, consentKey: World.lisasKey, clock: ShiftedClock(start: World.now), seed: 6)
        await lisa.connect(to: card.agent, over: transport)
        let outcome = await lisa.book(at: card.agent)
        await lisa.disconnect()
        await transport.close()
        guard case .noReservationNeeded(let text, let answers) = outcome else {
            Issue.record("outcome: \(outcome)")
            return
        }
        #expect(text.contains("just come in"))
        #expect(answers["wait-time"] != nil)
        #expect(await restaurant.receipts.isEmpty)
    }

    @Test func aCardWithoutTheExtensionIsRefused() async throws {
        let server = try LoopbackHTTPServer { _ in
            ParleyHTTPResponse(
                status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"name":"x","capabilities":{}}"#.utf8))
        }
        defer { server.stop() }
        do {
            _ = try await A2AClientTransport.resolve(server.baseURL)
            Issue.record("resolved a card without the Parley extension")
        } catch {
            guard case .notParley = error else { Issue.record("expected .notParley, got \(error)"); return }
        }
    }
}
