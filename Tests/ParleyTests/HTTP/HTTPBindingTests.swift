import Foundation
import ParleyScenarios
import ParleyTestSupport
import Testing

@testable import Parley

/// The HTTP binding (`Spec/HTTP.md`) as request values in, response values out.
@Suite struct HTTPBindingTests {
    static func binding(_ configure: (inout CompanyHTTPBinding.Configuration) -> Void = { _ in }) -> CompanyHTTPBinding {
        var configuration = CompanyHTTPBinding.Configuration()
        configure(&configuration)
        return CompanyHTTPBinding(agent: Salons.salon().0, clock: ManualClock(now: World.now), configuration: configuration)
    }

    static func post(_ body: [UInt8], type: String = ParleyHTTP.envelopeMediaType, client: String = "c1") -> ParleyHTTPRequest {
        ParleyHTTPRequest(method: "POST", target: "/parley", headers: [("content-type", type)], body: body, client: client)
    }

    /// A poll of `session` for the envelopes after `after`, parked up to `wait` seconds, naming `agent`.
    static func poll(
        _ session: SessionID = "s-http-1", after: Int, wait: Int, agent: String? = World.lisa.rawValue
    ) -> ParleyHTTPRequest {
        ParleyHTTPRequest(
            method: "GET", target: "/parley/sessions/\(session)/messages?after=\(after)&wait=\(wait)",
            headers: agent.map { [(ParleyHTTP.agentHeader, $0)] } ?? [])
    }

    static func hello(session: SessionID = "s-http-1", from: AgentID = World.lisa, id: MessageID = "m-1") -> Envelope {
        Envelope(
            id: id, session: session, from: from, to: "salon.example/bot", sequence: 1, sentAt: World.now,
            message: .hello(.init(role: .customer)))
    }

    static func lines(_ response: ParleyHTTPResponse) throws -> [Envelope] {
        try response.body.split(separator: 0x0A).map { try WireCodec().decode(Array($0)) }
    }

    @Test func discoveryDocumentIsServedAndValidates() async throws {
        let response = await Self.binding().respond(to: ParleyHTTPRequest(method: "GET", target: "/.well-known/parley"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == ParleyHTTP.discoveryMediaType)
        #expect(response.headers["Cache-Control"] == "public, max-age=3600")
        let document = try DiscoveryDocument.decode(response.body)
        #expect(document.agent == "salon.example/bot")
        #expect(document.versions == [1])
        #expect(document.services.map(\.id).contains("haircut-women"))
        let post = await Self.binding().respond(to: ParleyHTTPRequest(method: "POST", target: "/.well-known/parley"))
        #expect(post.status == 405)
        #expect(post.headers["Allow"] == "GET, HEAD")
    }

    @Test func discoveryDocumentsThatAreRefused() throws {
        func problem(_ text: String) -> String? {
            do {
                _ = try DiscoveryDocument.decode(Array(text.utf8))
                return nil
            } catch { return error.code }
        }
        #expect(problem("[1]") == "malformed")
        #expect(problem("{\"parleyDiscovery\":2}") == "unsupported-format")
        #expect(
            problem(
                #"{"parleyDiscovery":1,"versions":[7],"agent":"a.example/b","name":"A","role":"company","endpoints":["/p"],"timeZone":"UTC"}"#
            )
                == "no-common-version")
        #expect(
            problem(
                #"{"parleyDiscovery":1,"versions":[1],"agent":"a.example/b","name":"A","role":"customer","endpoints":["/p"],"timeZone":"UTC"}"#
            )
                == "invalid-member")
        #expect(problem(String(repeating: " ", count: 70_000) + "{}") == "too-large")
        #expect(
            problem(
                #"{"parleyDiscovery":1,"versions":[1],"agent":"a.example/b","name":"A","role":"company","endpoints":["/p"],"timeZone":"UTC","future":true}"#
            )
                == nil)
    }

    @Test func helloIsAnsweredInTheResponse() async throws {
        let binding = Self.binding()
        let response = await binding.respond(to: Self.post(WireCodec().encode(Self.hello())))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == ParleyHTTP.batchMediaType)
        let replies = try Self.lines(response)
        #expect(replies.map(\.kind) == [.hello])
        #expect(replies.first?.to == World.lisa)
        // A retransmission gets the same reply, byte for byte (PROTOCOL §5.5).
        let again = await binding.respond(to: Self.post(WireCodec().encode(Self.hello())))
        #expect(again.body == response.body)
    }

    @Test("media types and header names compare without case; parameters and optional whitespace are allowed")
    func mediaTypesAndHeaderNames() {
        for accepted in [
            "application/parley+json", "Application/PARLEY+JSON", "application/parley+json; charset=utf-8",
            " \tapplication/parley+json \t;charset=utf-8", "application/json",
        ] {
            #expect(CompanyHTTPBinding.isEnvelopeMediaType(accepted), "\(accepted)")
        }
        for refused in [
            "application/parley+jsonx", "application/parley", ";application/json", "", "text/plain", "application/parley+json\u{0}",
            "applicatioN/parley+jsoñ",
        ] {
            #expect(!CompanyHTTPBinding.isEnvelopeMediaType(refused), "\(refused)")
        }
        #expect(!CompanyHTTPBinding.isEnvelopeMediaType(nil))
        let request = ParleyHTTPRequest(
            method: "POST", target: "/parley", headers: [("CONTENT-type", "application/json"), ("Parley-Agent", "  a.example/x \t")])
        #expect(request.header("content-type") == "application/json")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Content-Typ") == nil && request.header("Content-Types") == nil)
        #expect(request.header("parley-agent")?.trimmingSpaces == "a.example/x")
        #expect(
            "  \t ".trimmingSpaces == "" && "a".trimmingSpaces == "a" && " ä b ".trimmingSpaces == "ä b"
                && "\t xä😀 ".trimmingSpaces == "xä😀")
        // Only ASCII letters fold: "[" and "{" differ by the same bit as "K" and "k".
        #expect(!"[".equalsIgnoringASCIICase("{") && "K".equalsIgnoringASCIICase("k") && !"é".equalsIgnoringASCIICase("É"))
    }

    @Test func httpTierErrors() async throws {
        let binding = Self.binding()
        let hello = WireCodec().encode(Self.hello())
        #expect(await binding.respond(to: Self.post(hello, type: "text/plain")).status == 415)
        #expect(await binding.respond(to: Self.post([UInt8](repeating: 0x20, count: 65_539))).status == 413)
        #expect(await binding.respond(to: Self.post([])).status == 400)
        #expect(await binding.respond(to: Self.post(Array("{not json".utf8))).status == 400)
        #expect(await binding.respond(to: Self.post(hello + [0x0A] + hello)).status == 400)
        #expect(await binding.respond(to: ParleyHTTPRequest(method: "GET", target: "/elsewhere")).status == 404)
        #expect(await binding.respond(to: ParleyHTTPRequest(method: "GET", target: "/parley")).status == 405)
        let problem = await binding.respond(to: Self.post(Array("{not json".utf8)))
        #expect(problem.headers["Content-Type"] == ParleyHTTP.problemMediaType)
        #expect(problem.text.contains("\"problem\":\"malformed-json\""))
        // A charset parameter is fine.
        #expect(await binding.respond(to: Self.post(hello, type: "application/parley+json; charset=utf-8")).status == 200)
    }

    @Test func protocolErrorsTravelAsErrorEnvelopesInside200() async throws {
        let binding = Self.binding()
        _ = await binding.respond(to: Self.post(WireCodec().encode(Self.hello())))
        // An envelope of a known session that breaks a body rule: a Parley `error`, in a 200.
        var text = WireCodec().encodeText(
            Envelope(
                id: "m-2", session: "s-http-1", from: World.lisa, to: "salon.example/bot", sequence: 2, sentAt: World.now,
                message: .request(.init(service: "haircut", windows: [World.window(may: 3, from: (10, 0), to: (12, 0))]))))
        text = text.replacingOccurrences(of: "\"service\":\"haircut\"", with: "\"service\":7")
        let response = await binding.respond(to: Self.post(Array(text.utf8)))
        #expect(response.status == 200)
        let replies = try Self.lines(response)
        #expect(replies.map(\.kind) == [.error])
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let binding = Self.binding {
            // One request per 100 s refills the bucket: a slow, busy machine cannot refill it
            // between the burst and the limited request (the bucket runs on the real clock).
            $0.requestsPerSecondPerClient = 0.01
            $0.burstPerClient = 3
        }
        let hello = WireCodec().encode(Self.hello())
        for _ in 0..<3 { #expect(await binding.respond(to: Self.post(hello)).status == 200) }
        let limited = await binding.respond(to: Self.post(hello))
        #expect(limited.status == 429)
        let retryAfter = try #require(limited.headers["Retry-After"].flatMap { Int($0) })
        // At most 100 s (one request's worth at 0.01/s); less by however long the burst took on a busy machine.
        #expect((1...100).contains(retryAfter), "Retry-After \(retryAfter): the seconds until one request's worth refills")
        // Another client is not affected.
        #expect(await binding.respond(to: Self.post(hello, client: "c2")).status == 200)
    }

    @Test func sessionsPerClientAreBounded() async throws {
        let binding = Self.binding()
        let limit = binding.agent.limits.openSessionsPerPeer
        // Each session claims another agent id: only the HTTP client's address ties them together.
        for index in 0..<limit {
            let hello = Self.hello(session: SessionID(rawValue: "s-client-\(index)")!, from: AgentID(rawValue: "a\(index).example/bot")!)
            let replies = try Self.lines(await binding.respond(to: Self.post(WireCodec().encode(hello))))
            #expect(replies.map(\.kind) == [.hello])
        }
        let over = Self.hello(session: "s-client-over", from: "over.example/bot")
        let refused = try Self.lines(await binding.respond(to: Self.post(WireCodec().encode(over))))
        guard case .error(let report)? = refused.first?.message else {
            Issue.record("expected an error, got \(refused.map(\.kind))")
            return
        }
        #expect(report.code == "limit-exceeded")
        // Another client is admitted.
        let other = try Self.lines(await binding.respond(to: Self.post(WireCodec().encode(over), client: "c2")))
        #expect(other.map(\.kind) == [.hello])
    }

    @Test func pollsAreBoundToTheSessionsCustomer() async throws {
        let binding = Self.binding()
        _ = await binding.respond(to: Self.post(WireCodec().encode(Self.hello())))
        func poll(_ agent: String?, after: Int = 0) async -> ParleyHTTPResponse {
            await binding.respond(to: Self.poll(after: after, wait: 0, agent: agent))
        }
        let own = await poll(World.lisa.rawValue)
        #expect(own.status == 200)
        #expect(try Self.lines(own).map(\.kind) == [.hello])
        #expect(await poll(World.lisa.rawValue, after: 1).status == 204)
        #expect(await poll("intruder.example/x").status == 404)
        #expect(await poll(nil).status == 400)
        let unknown = await binding.respond(
            to: ParleyHTTPRequest(
                method: "GET", target: "/parley/sessions/nope/messages", headers: [(ParleyHTTP.agentHeader, "a.example/b")]))
        #expect(unknown.status == 404)
    }

    @Test func aParkedPollWakesWhenTheCompanySendsLater() async throws {
        let clock = ManualClock(now: World.now)
        let binding = CompanyHTTPBinding(agent: Salons.salon().0, clock: clock)
        _ = await binding.respond(to: Self.post(WireCodec().encode(Self.hello())))
        let parked = Task {
            await binding.respond(to: Self.poll(after: 1, wait: 30))
        }
        // The customer says nothing more; the company's idle timer ends the session later.
        try await Task.sleep(nanoseconds: 100_000_000)
        clock.advance(bySeconds: 3600)
        let response = await parked.value
        #expect(response.status == 200)
        #expect(try Self.lines(response).contains { $0.kind == .close || $0.kind == .error || $0.kind == .hello })
    }

    @Test func concurrentCopiesOfOneEnvelopeEachGetTheReply() async throws {
        let binding = Self.binding()
        _ = await binding.respond(to: Self.post(WireCodec().encode(Self.hello())))
        let request = Envelope(
            id: "m-2", session: "s-http-1", from: World.lisa, to: "salon.example/bot", sequence: 2, acknowledged: 1, sentAt: World.now,
            message: .request(.init(service: "haircut-women", windows: [World.window(may: 3, from: (9, 0), to: (17, 0))])))
        let body = WireCodec().encode(request)
        let responses = await withTaskGroup(of: ParleyHTTPResponse.self) { group in
            for _ in 0..<8 { group.addTask { await binding.respond(to: Self.post(body)) } }
            var all: [ParleyHTTPResponse] = []
            for await response in group { all.append(response) }
            return all
        }
        // Each copy is answered with the reply to it (the first processed, the rest as duplicates, §5.5).
        let bodies = Set(responses.map(\.body))
        #expect(responses.allSatisfy { $0.status == 200 && !$0.body.isEmpty })
        #expect(bodies.count == 1)
    }

    @Test func shutdownAnswersParkedPollsAtOnce() async throws {
        let binding = Self.binding()
        _ = await binding.respond(to: Self.post(WireCodec().encode(Self.hello())))
        let parked = Task {
            await binding.respond(to: Self.poll(after: 1, wait: 30))
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        await binding.shutdown()
        // Answered by the shutdown, not by the 30 s wait: race it against 5 s.
        let status = await withTaskGroup(of: Int?.self) { group in
            group.addTask { await parked.value.status }
            group.addTask {
                try? await Task.sleep(nanoseconds: 5_000_000_000)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(status == 204, "the parked poll was still waiting 5 s after shutdown")
    }

    @Test func s1BooksThroughTheBindingInProcess() async throws {
        let binding = Self.binding()
        let transport = BindingTransport(binding: binding)
        let lisa = CustomerAgent(
            id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
            consentKey: World.lisasKey, clock: ManualClock(now: World.now), seed: 11)
        await lisa.connect(to: "salon.example/bot", over: transport)
        let outcome = await lisa.book(at: "salon.example/bot")
        await lisa.disconnect()
        let booking = try #require(outcome.booking)
        #expect(booking.confirmation.slot.start == World.may(3, 10))
        #expect(await transport.responses.allSatisfy { $0.status == 200 })
        let data = await binding.agent.consentedData(for: booking.reference)
        #expect(data.map(\.disclosedFields) == [[.givenName]])
    }
}

/// The URLSession client transport against a loopback HTTP server made of plain sockets.
@Suite(.serialized) struct HTTPClientTransportTests {
    static func customer(seed: UInt64 = 5) -> CustomerAgent {
        CustomerAgent(
            id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
            consentKey: World.lisasKey, clock: ShiftedClock(start: World.now), seed: seed)
    }

    @Test func discoversAndBooksS1OverLoopbackHTTP() async throws {
        let binding = CompanyHTTPBinding(agent: Salons.salon().0, clock: ShiftedClock(start: World.now))
        let server = try LoopbackHTTPServer(binding: binding)
        defer { server.stop() }
        let company = try await HTTPClientTransport.discover(server.baseURL)
        #expect(company.document.agent == "salon.example/bot")
        #expect(company.endpoint.absoluteString == server.baseURL + "/parley")
        let transport = HTTPClientTransport(endpoint: company.endpoint, agent: World.lisa)
        let lisa = Self.customer()
        await lisa.connect(to: company.document.agent, over: transport)
        let outcome = await lisa.book(at: company.document.agent)
        await lisa.disconnect()
        await transport.close()
        let booking = try #require(outcome.booking)
        #expect(booking.confirmation.slot.start == World.may(3, 10))
    }

    @Test func unreachableCompanyIsATypedError() async throws {
        let server = try LoopbackHTTPServer { _ in nil }
        let port = server.port
        server.stop()
        var configuration = HTTPClientTransport.Configuration()
        configuration.maximumAttempts = 2
        configuration.initialBackoff = 0.01
        await #expect(throws: HTTPTransportError.self) {
            _ = try await HTTPClientTransport.discover("http://127.0.0.1:\(port)", configuration: configuration)
        }
        do {
            _ = try await HTTPClientTransport.discover("http://127.0.0.1:\(port)", configuration: configuration)
        } catch {
            guard case .unreachable = error else { Issue.record("expected .unreachable, got \(error)"); return }
        }
    }

    @Test func garbageAndWrongMediaTypesAreTypedErrors() async throws {
        let server = try LoopbackHTTPServer { request in
            if request.path == ParleyHTTP.discoveryPath {
                return ParleyHTTPResponse(status: 200, headers: ["Content-Type": "text/html"], body: Array("<html>".utf8))
            }
            return ParleyHTTPResponse(status: 200, headers: ["Content-Type": ParleyHTTP.discoveryMediaType], body: Array("{{{".utf8))
        }
        defer { server.stop() }
        do {
            _ = try await HTTPClientTransport.discover(server.baseURL)
            Issue.record("discovery of an HTML page succeeded")
        } catch {
            guard case .malformedResponse = error else { Issue.record("expected .malformedResponse, got \(error)"); return }
        }
        let transport = HTTPClientTransport(endpoint: URL(string: server.baseURL + "/parley")!, agent: World.lisa)
        do {
            _ = try await transport.post(HTTPBindingTests.hello())
            Issue.record("a garbage batch was accepted")
        } catch {
            guard case .malformedResponse = error else { Issue.record("expected .malformedResponse, got \(error)"); return }
        }
        await transport.close()
    }

    @Test func slowCompanyTimesOutAndBusyCompanyIsRetried() async throws {
        let attempts = Counter()
        let server = try LoopbackHTTPServer { request in
            let attempt = await attempts.increment()
            if request.target.contains("slow") {
                try? await Task.sleep(nanoseconds: 3_000_000_000)
                return ParleyHTTPResponse(status: 204)
            }
            if attempt < 3 { return ParleyHTTPResponse(status: 503, headers: ["Retry-After": "0"]) }
            return ParleyHTTPResponse(status: 200, headers: ["Content-Type": ParleyHTTP.batchMediaType])
        }
        defer { server.stop() }
        var configuration = HTTPClientTransport.Configuration()
        configuration.initialBackoff = 0.01
        configuration.requestTimeout = 1
        let busy = HTTPClientTransport(endpoint: URL(string: server.baseURL + "/parley")!, agent: World.lisa, configuration: configuration)
        let replies = try await busy.post(HTTPBindingTests.hello())
        #expect(replies.isEmpty)
        #expect(await attempts.value == 3)
        await busy.close()
        configuration.maximumAttempts = 1
        let slow = HTTPClientTransport(endpoint: URL(string: server.baseURL + "/slow")!, agent: World.lisa, configuration: configuration)
        do {
            _ = try await slow.post(HTTPBindingTests.hello())
            Issue.record("a slow company did not time out")
        } catch {
            #expect(error == .timedOut)
        }
        await slow.close()
    }

    @Test func plainHTTPIsRefusedOutsideLoopback() throws {
        #expect(throws: HTTPTransportError.self) { try HTTPClientTransport.discoveryURL(for: "http://salon.example") }
        #expect(try HTTPClientTransport.discoveryURL(for: "salon.example").absoluteString == "https://salon.example/.well-known/parley")
        #expect(
            try HTTPClientTransport.discoveryURL(for: "http://127.0.0.1:8080").absoluteString == "http://127.0.0.1:8080/.well-known/parley")
    }
}

private actor Counter {
    private(set) var value = 0
    func increment() -> Int {
        value += 1
        return value
    }
}
