import Foundation
import ParleyScenarios
import ParleyTestSupport
import Testing

@testable import Parley

/// Staff notified of hand-offs, for the tests.
actor StaffInbox {
    private(set) var sessions: [SessionID] = []
    private(set) var transcripts: [[Envelope]] = []

    func notify(_ session: SessionID, _ transcript: [Envelope]) {
        sessions.append(session)
        transcripts.append(transcript)
    }
}

@Suite("The articles' code runs and does what the articles say")
struct ArticleTests {
    static let berlin = LocalTime(timeZone: "Europe/Berlin")!

    @Test("A company's service bot and a person's assistant: book, read consented data, reschedule, cancel, revoke")
    func companyAndAssistant() async throws {
        let clock = ManualClock(now: World.now)
        let (customerEnd, companyEnd) = InProcessTransport.pair(codec: WireCodec())
        let salon = CompanyBotArticle.start(on: companyEnd, clock: clock) { _, _ in }
        let assistant = AssistantArticle.assistant(clock: clock) { _ in true }

        let (outcome, sentence) = await AssistantArticle.book(with: assistant, over: customerEnd)
        let booking = try #require(outcome.booking, "\(outcome)")
        #expect(booking.confirmation.slot.start == Self.berlin.instant(year: 2026, month: 5, day: 5, hour: 11))
        #expect(sentence.hasPrefix("Booked \(booking.reference) on "), "\(sentence)")
        #expect(isBookingReference(booking.reference, prefix: "KR"))

        #expect(try await CompanyBotArticle.greeting(for: booking.reference, salon: salon, clock: clock) == "Dear Lisa, see you soon.")
        let refusal = await #expect(throws: ParleyError.self) {
            try await salon.personalData(.givenName, of: booking.reference, for: .marketing, at: clock.now)
        }
        #expect(refusal?.code == .tokenPurposeNotAllowed)

        await AssistantArticle.revoke(booking, with: assistant, clock: clock)
        for receipt in await assistant.receipts {
            #expect(receipt.status(at: clock.now) == .revoked)
        }
        for grant in booking.grants {
            #expect(await salon.ledger.isRevoked(grant.tokenID))
        }

        let (moved, cancelled) = await AssistantArticle.reschedule(booking, with: assistant)
        let newSlot = try #require(moved.booking, "\(moved)").confirmation.slot
        #expect(newSlot.start >= Self.berlin.instant(year: 2026, month: 5, day: 6, hour: 14))
        #expect(moved.booking?.reference == booking.reference)
        guard case .cancelled(let cancellation) = cancelled else {
            Issue.record("cancel(_:) answered \(cancelled), not .cancelled")
            return
        }
        #expect(cancellation.confirmation.status == .cancelled)
        #expect(cancellation.reference == booking.reference)
    }

    @Test("Survive a restart: an assistant started again with the same store completes the booking the first one began")
    func assistantRestart() async throws {
        let store = InMemorySessionStore()
        var generator = SplitMix64(seed: 7)
        let consentKey = ConsentRootKey(using: &generator)
        // The first process opens a session and is gone before the salon hears of it: its clock
        // never moves again, and nobody reads what it sent.
        let gone = ManualClock(now: World.now)
        let first = CustomerAgent(
            id: "assistant.example/lisa", wishes: AssistantArticle.wishes(), policy: AssistantArticle.policy(),
            personalData: [.givenName: "Lisa"], consentKey: consentKey, clock: gone, sessionStore: store)
        let (unread, _) = InProcessTransport.pair()
        await first.connect(to: "salon.example/bot", over: unread)
        let abandoned = Task { await first.book(at: "salon.example/bot") }
        for _ in 0..<200 where await store.count == 0 { try await Task.sleep(nanoseconds: 5_000_000) }
        let session = try #require(await first.sessionIDs.first)

        let clock = ManualClock(now: World.now)
        let (customerEnd, companyEnd) = InProcessTransport.pair(codec: WireCodec())
        let salon = CompanyBotArticle.start(on: companyEnd, clock: clock) { _, _ in }
        let restarted = Task { await AssistantArticle.restart(store: store, consentKey: consentKey, clock: clock, over: customerEnd) }
        for _ in 0..<400 where await salon.phase(of: session)?.isTerminal != true {
            try await Task.sleep(nanoseconds: 10_000_000)
            clock.advance(bySeconds: 1)  // the saved retransmission timer brings the hello to the salon
        }
        let (assistant, outcomes) = await restarted.value
        let booking = try #require(outcomes.first?.booking, "\(outcomes)")
        #expect(outcomes.count == 1 && booking.session == session)
        #expect(await assistant.bookings[booking.reference] == booking)
        #expect(await assistant.receipts.map(\.tokenID) == booking.grants.map(\.tokenID))
        await first.disconnect()
        _ = await abandoned.value
    }

    @Test("A consultation is handed to a person, and the staff hear of it with the transcript")
    func handoff() async throws {
        let clock = ManualClock(now: World.now)
        let (customerEnd, companyEnd) = InProcessTransport.pair(codec: WireCodec())
        let staff = StaffInbox()
        _ = CompanyBotArticle.start(on: companyEnd, clock: clock) { await staff.notify($0, $1) }
        let window = TimeWindow(
            start: Self.berlin.instant(year: 2026, month: 5, day: 5, hour: 10),
            end: Self.berlin.instant(year: 2026, month: 5, day: 5, hour: 12))
        let assistant = CustomerAgent(
            id: World.lisa, wishes: Wishes(service: "colour-consultation", windows: [window]), policy: World.bookingOnlyPolicy,
            personalData: World.lisasData, consentKey: World.lisasKey, clock: clock)
        let (outcome, sentence) = await AssistantArticle.book(with: assistant, over: customerEnd)
        guard case .handedOff(let handoff) = outcome else {
            Issue.record("expected a hand-off, got \(outcome)")
            return
        }
        #expect(handoff.channel == "phone")
        #expect(sentence == "A person will contact you by phone.")
        for _ in 0..<1000 where await staff.sessions.isEmpty { try await Task.sleep(nanoseconds: 1_000_000) }
        #expect(await staff.sessions.count == 1)
        #expect(await staff.transcripts.first?.contains { if case .handoff = $0.message { true } else { false } } == true)
    }

    @Test("Consent tokens: mint, narrow, verify, revoke, receipt")
    func consent() throws {
        var generator = SystemRandomNumberGenerator()
        let walk = try ConsentArticle.walk(rootKey: ConsentRootKey(using: &generator))
        #expect(walk.refusals == [.tokenPurposeNotAllowed, .tokenRevoked])
        #expect(walk.statusAfterRevocation == .revoked)
        #expect(walk.receipt.fields == [.givenName, .phone])
        #expect(walk.smsToken.id == walk.token.id)
    }

    @Test("Deploying: three instances share a session store and a booking store; requests go round-robin and the booking holds")
    func deployingAFleet() async throws {
        let template = DeployingArticle.companyBinding().agent
        let bookings = InMemoryBookingStore(
            hours: {
                var hours = OpeningHours(timeZone: "Europe/Berlin")
                hours.open(Set(Weekday.allCases), from: "09:00", to: "18:00")
                return hours
            }())
        let fleet = DeployingArticle.fleet(of: template, instances: 3, sessions: InMemorySessionStore(), bookings: bookings)
        let counter = Counter()
        let server = try LoopbackHTTPServer { request in
            // No affinity: each request goes to the next instance.
            let binding = fleet[await counter.next() % fleet.count]
            return await DeployingArticle.handle(
                method: request.method, target: request.target, headers: request.headers, body: request.body,
                peerAddress: request.client ?? "unknown", binding: binding)
        }
        defer { server.stop() }
        let outcome = try await DeployingArticle.book(at: server.baseURL)
        let booking = try #require(outcome.booking, "\(outcome)")
        #expect(await bookings.activeBookings().map(\.id) == [booking.reference])
        let requests = await counter.value
        #expect(requests >= 6, "the negotiation took \(requests) requests")
        for binding in fleet {
            #expect(await binding.agent.consentedData(for: booking.reference).map(\.disclosedFields) == [[.givenName]])
        }
    }

    /// Counts requests, to spread them over the instances.
    actor Counter {
        private(set) var value = 0
        func next() -> Int {
            value += 1
            return value - 1
        }
    }

    @Test("Deploying: a salon on the real clock behind an HTTP server; an assistant discovers it over HTTP and books tomorrow")
    func deployingOverHTTP() async throws {
        let binding = DeployingArticle.companyBinding()
        let server = try LoopbackHTTPServer { request in
            await DeployingArticle.handle(
                method: request.method, target: request.target, headers: request.headers, body: request.body,
                peerAddress: request.client ?? "unknown", binding: binding)
        }
        defer { server.stop() }
        let before = SystemClock().now
        let outcome = try await DeployingArticle.book(at: server.baseURL)
        let booking = try #require(outcome.booking, "\(outcome)")
        let start = booking.confirmation.slot.start
        #expect(start > before && start.seconds(to: before.adding(minutes: 3 * 24 * 60)) > 0, "\(start) is not tomorrow")
        #expect((10..<12).contains(Self.berlin.components(of: start).hour), "\(start) is outside 10:00-12:00 in Berlin")
        #expect(await binding.agent.consentedData(for: booking.reference).map(\.disclosedFields) == [[.givenName]])

        // The host's own body limit: one byte over the binding's maximum is refused before the binding.
        let tooLarge = await DeployingArticle.handle(
            method: "POST", target: "/parley", headers: [("Content-Type", ParleyHTTP.envelopeMediaType)],
            body: Array(repeating: 0x20, count: binding.configuration.maximumBodyBytes + 1), peerAddress: "192.0.2.1",
            binding: binding)
        #expect(tooLarge.status == 413)
        // The limits the article sets are the binding's.
        #expect(binding.configuration.openSessionsPerClient == 200)
        #expect(binding.configuration.requestsPerSecondPerClient == 20)

        // After shutdown a poll with nothing to collect is answered at once with 204 instead of being parked.
        await DeployingArticle.stop(binding)
        let poll = await binding.respond(
            to: ParleyHTTPRequest(
                method: "GET", target: "/parley/sessions/\(booking.session)/messages?after=1000&wait=30",
                headers: [(ParleyHTTP.agentHeader, "assistant.example/lisa")], client: "127.0.0.1"))
        #expect(poll.status == 204)
    }

    @Test("A session by hand: two state machines reach `requested`, and an out-of-turn message is refused")
    func sessionByHand() throws {
        let (customer, company, sent) = try SessionArticle.drive()
        #expect(customer.phase == .requested)
        #expect(company.phase == .requested)
        #expect(sent.map(\.message.kind) == [.hello, .hello, .request])
    }

    @Test("The article's sequence diagram is the one Transcript.mermaid() draws for scenario S1")
    func mermaidDiagram() async throws {
        let article = try Repository.text("Sources/Parley/Parley.docc/HowASessionWorks.md")
        let run = await Scenarios.haircut()
        let transcript = try Transcript(envelopes: try #require(run.transcripts.first))
        // The article names the session s-0001: session ids are random.
        // The booking reference is derived from the session id, so it is random too: B-0001 stands for it.
        let reference = try #require(run.outcome.booking?.reference)
        let diagram = transcript.mermaid().replacingOccurrences(of: "session \(transcript.session),", with: "session s-0001,")
            .replacingOccurrences(of: reference.rawValue, with: "B-0001")
        #expect(article.contains("```mermaid\n\(diagram)```"), "HowASessionWorks.md must contain:\n\(diagram)")
    }

    /// The phases as a Mermaid state diagram, drawn from ``TransitionTable/rows``: one arrow per
    /// change of phase, labelled with the messages (and their senders) that make it. `close` and
    /// fatal `error` rows, which lead from every live phase to `closed` and `failed`, are left out.
    static func phaseDiagram() -> String {
        var edges: [(from: SessionPhase, to: SessionPhase, labels: [String])] = []
        for row in TransitionTable.rows where row.kind != .close && row.kind != .error {
            guard case .phase(let next) = row.next, next != row.phase else { continue }
            let condition = row.condition == .always ? "" : " \(row.condition.rawValue)"
            let label = "\(row.kind.rawValue)\(condition) (\(row.sender == .customer ? "C" : "K"))"
            if let index = edges.firstIndex(where: { $0.from == row.phase && $0.to == next }) {
                if !edges[index].labels.contains(label) { edges[index].labels.append(label) }
            } else {
                edges.append((row.phase, next, [label]))
            }
        }
        let lines =
            ["stateDiagram-v2", "    [*] --> start"] + edges.map { "    \($0.from) --> \($0.to): \($0.labels.joined(separator: ", "))" }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("The article's state diagram is the one the transition table draws")
    func phaseDiagramMatchesTheTable() throws {
        let article = try Repository.text("Sources/Parley/Parley.docc/HowASessionWorks.md")
        let diagram = Self.phaseDiagram()
        #expect(article.contains("```mermaid\n\(diagram)```"), "HowASessionWorks.md must contain:\n\(diagram)")
    }
}
