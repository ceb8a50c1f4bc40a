import Foundation
import Logging
import Parley
import ParleyConformance
import ParleyPostgres
import ParleyScenarios
import PostgresNIO
import Testing

@Suite("PostgresSessionStore on a real PostgreSQL", .serialized)
struct PostgresSessionStoreTests {
    @Test("passes every check of the session store contract", .enabled(if: databaseURL != nil, skipReason))
    func passesTheContract() async throws {
        try await withDatabase { client, logger, run in
            let contract = SessionStoreContract(
                racers: 16,
                makeStore: { fixture in PostgresSessionStore(client: client, company: "\(run)-\(fixture.check)", logger: logger) },
                overwriteState: { store, session, bytes in
                    guard let store = store as? PostgresSessionStore else { return }
                    try await client.query(
                        "UPDATE parley_sessions SET state = \(Data(bytes)) WHERE company = \(store.company) AND id = \(session.rawValue)",
                        logger: logger)
                })
            let report = await contract.run()
            print(report.text)
            #expect(report.results.map(\.name) == SessionStoreContract.checkNames)
            #expect(report.failed == 0, "\(report.text)")
        }
    }

    @Test(
        "S1 survives a restart between accept and consent-grant: a new instance confirms, answers the duplicate accept byte for byte, books once",
        .enabled(if: databaseURL != nil, skipReason))
    func restartBetweenAcceptAndGrant() async throws {
        try await withDatabase { client, logger, run in
            let company = "\(run)-restart"
            let clock = ManualClock(now: World.now)
            try await PostgresBookingStore(client: client, company: company, openingHours: Salons.openingHours, logger: logger)
                .seed(Salons.s1Bookings())
            func instance() -> CompanyHTTPBinding {
                let bookings = PostgresBookingStore(client: client, company: company, openingHours: Salons.openingHours, logger: logger)
                let sessions = PostgresSessionStore(client: client, company: company, logger: logger)
                return CompanyHTTPBinding(agent: Salons.salon(store: bookings, sessionStore: sessions), clock: clock)
            }
            var customer = S1Customer(session: SessionID(stringLiteral: "\(run)-s1"))
            let first = instance()
            #expect(try await customer.post(.hello(.init(role: .customer)), to: first).replies.map(\.kind) == [.hello])
            #expect(try await customer.post(customer.requestTen, to: first).replies.map(\.kind) == [.offer])
            let accept = try await customer.post(customer.acceptFirst(), to: first)
            #expect(accept.replies.map(\.kind) == [.consentRequest])
            await first.shutdown()  // the instance is gone; only the database remembers the session

            let second = instance()
            let grant = try customer.grant(for: accept.replies)
            let granted = try await customer.post(.consentGrant(grant), to: second)
            #expect(granted.response.status == 200 && granted.replies.isEmpty, "\(granted.response.text)")
            let disclose = customer.session.envelope(.disclose(.init(tokenID: grant.tokenID, data: [.givenName: "Lisa"])))
            let agreed = customer.session.agreementDigest
            let disclosed = try await customer.post(disclose, to: second)
            guard case .confirm(let confirm)? = disclosed.replies.first?.message else {
                Issue.record("the disclosure got \(disclosed.replies.map(\.kind)), not a confirm")
                return
            }
            #expect(confirm.agreementDigest == agreed)
            let again = await customer.resend(accept.sent, to: second)
            #expect(again.status == 200)
            #expect(again.body == accept.response.body, "the duplicate accept was answered differently after the restart")

            let rows = try await client.query(
                """
                SELECT reference FROM parley_reservations
                WHERE company = \(company) AND kind = 'booking' AND session = \(customer.session.session.rawValue)
                """, logger: logger)
            var references: [String] = []
            for try await reference in rows.decode(String.self) { references.append(reference) }
            #expect(references == [confirm.booking.rawValue])
            let kinds = await second.agent.transcript(of: customer.session.session).map(\.kind)
            #expect(kinds == [.hello, .hello, .request, .offer, .accept, .consentRequest, .consentGrant, .disclose, .confirm])
            await second.shutdown()
        }
    }

    @Test(
        "two instances advance one session at once: one save loses the compare-and-set, its event is handled again on the newer state",
        .enabled(if: databaseURL != nil, skipReason))
    func compareAndSetConflictBetweenInstances() async throws {
        try await withDatabase { client, logger, run in
            let company = "\(run)-race"
            let session = SessionID(stringLiteral: "\(run)-race")
            let gate = RaceGate(base: PostgresSessionStore(client: client, company: company, logger: logger), session: session)
            func instance() -> CompanyAgent {
                Salons.salon(
                    store: PostgresBookingStore(client: client, company: company, openingHours: Salons.openingHours, logger: logger),
                    sessionStore: gate)
            }
            let (one, two) = (instance(), instance())
            var customer = S1Customer(session: session)
            _ = try await customer.send(.hello(.init(role: .customer)), to: one)
            _ = try await customer.send(customer.requestTen, to: two)
            let asked = try await customer.send(customer.acceptFirst(), to: one)
            let grant = try customer.grant(for: asked)
            // The grant reaches one instance and the disclosure the other, at the same moment: both
            // load version 3; instance one saves version 4 first, instance two's save of version 4 is refused.
            let grantEnvelope = customer.session.envelope(.consentGrant(grant))
            let discloseEnvelope = customer.session.envelope(.disclose(.init(tokenID: grant.tokenID, data: [.givenName: "Lisa"])))
            let agreed = customer.session.agreementDigest
            await gate.arm()
            async let granted = one.handle(.envelope(grantEnvelope), now: World.now)
            await gate.firstSaveArrived()
            let disclosed = await two.handle(.envelope(discloseEnvelope), now: World.now)
            let grantOutput = await granted
            #expect(await gate.conflicts == 1)
            #expect(grantOutput.storeFailure == nil && disclosed.storeFailure == nil)
            #expect(grantOutput.envelopes.isEmpty)
            #expect(disclosed.envelopes.map(\.kind) == [.confirm])
            if case .confirm(let confirm)? = disclosed.envelopes.first?.message {
                #expect(confirm.agreementDigest == agreed)
            }
            let saved = try await gate.load(session)
            #expect(saved?.version == 5)
            let transcript = await one.transcript(of: session)
            #expect(
                transcript.map(\.kind) == [.hello, .hello, .request, .offer, .accept, .consentRequest, .consentGrant, .disclose, .confirm])
            #expect(transcript.filter { $0.from == customer.session.local }.map(\.sequence) == [1, 2, 3, 4, 5])
            let phases = (await one.phase(of: session), await two.phase(of: session))
            #expect(phases.0 == .booked && phases.1 == .booked)
            let bookings = try await client.query(
                "SELECT count(*) FROM parley_reservations WHERE company = \(company) AND kind = 'booking'", logger: logger)
            for try await count in bookings.decode(Int64.self) { #expect(count == 1) }
        }
    }

    @Test("database round trips of one S1 negotiation (hello to confirm), per store", .enabled(if: databaseURL != nil, skipReason))
    func roundTripsPerNegotiation() async throws {
        try await withDatabase { client, logger, run in
            let company = "\(run)-trips"
            let sessionTrips = RoundTripCounter()
            let bookingTrips = RoundTripCounter()
            let bookings = PostgresBookingStore(
                client: client, company: company, openingHours: Salons.openingHours, logger: logger, roundTrips: bookingTrips)
            try await bookings.seed(Salons.s1Bookings())
            let agent = Salons.salon(
                store: bookings,
                sessionStore: PostgresSessionStore(client: client, company: company, logger: logger, roundTrips: sessionTrips))
            bookingTrips.reset()
            var customer = S1Customer(session: SessionID(stringLiteral: "\(run)-trips"))
            var lines: [String] = []
            var totals = (sessions: 0, bookings: 0)
            func step(_ name: String, _ message: Message) async throws {
                _ = try await customer.send(message, to: agent)
                let (s, b) = (sessionTrips.reset(), bookingTrips.reset())
                totals.sessions += s
                totals.bookings += b
                lines.append("\(name): \(s) session + \(b) booking = \(s + b)")
                // Every event: one load and one compare-and-set save (the first also purges: at most once a minute).
                #expect(s == (name == "hello" ? 3 : 2), "\(name): \(s) session store round trips")
            }
            try await step("hello", .hello(.init(role: .customer)))
            try await step("request", customer.requestTen)
            let asked = try await customer.send(customer.acceptFirst(), to: agent)
            let (acceptSessions, acceptBookings) = (sessionTrips.reset(), bookingTrips.reset())
            totals.sessions += acceptSessions
            totals.bookings += acceptBookings
            lines.append("accept: \(acceptSessions) session + \(acceptBookings) booking = \(acceptSessions + acceptBookings)")
            let grant = try customer.grant(for: asked)
            try await step("consent-grant", .consentGrant(grant))
            try await step("disclose", .disclose(.init(tokenID: grant.tokenID, data: [.givenName: "Lisa"])))
            #expect(await agent.phase(of: customer.session.session) == .booked)
            print("database round trips per S1 negotiation (5 customer messages):")
            for line in lines { print("  " + line) }
            print("  total: \(totals.sessions) session + \(totals.bookings) booking = \(totals.sessions + totals.bookings)")
        }
    }
}

/// Lisa's side of S1 against the salon: envelopes from a ``ScriptedSession``, sent to an agent or
/// posted to a binding, and its grant minted with her consent key.
struct S1Customer {
    var session: ScriptedSession
    let codec = WireCodec()

    init(session id: SessionID) {
        session = ScriptedSession(role: .customer, session: id, local: World.lisa, peer: "salon.example/bot", now: World.now)
    }

    /// A request for a women's haircut at exactly 10:00 on 3 May (S1's free slot).
    var requestTen: Message {
        .request(
            .init(service: "haircut-women", windows: [World.window(may: 3, from: (10, 0), to: (10, 0))], preferredStart: World.may(3, 10)))
    }

    /// Accepting the first proposal on the table.
    func acceptFirst() throws -> Message {
        .accept(.init(proposal: try session.firstProposal().id))
    }

    /// The grant answering the consent request among `replies`.
    func grant(for replies: [Envelope]) throws -> Message.ConsentGrant {
        guard case .consentRequest(let request)? = replies.first?.message else { throw S1Failure.noConsentRequest(replies.map(\.kind)) }
        let issuer = ConsentIssuer(agent: World.lisa, rootKey: World.lisasKey)
        let expiry = World.now.adding(minutes: 24 * 60)
        let id = TokenID(stringLiteral: "tok-\(session.session.rawValue)")
        let scope = ConsentScope(
            audience: "salon.example/bot", purposes: [request.purpose], fields: Set(request.fields), expiry: expiry,
            session: session.session, retention: RetentionPeriod(days: request.retentionDays))
        let token = try issuer.mint(id: id, scope: scope)
        return Message.ConsentGrant(
            request: request.id, tokenID: id, token: token.serialized, fields: request.fields, purpose: request.purpose, expiresAt: expiry,
            retentionDays: request.retentionDays)
    }

    /// Sends `message` to `agent` and takes in its replies.
    mutating func send(_ message: Message, to agent: CompanyAgent) async throws -> [Envelope] {
        let output = await agent.handle(.envelope(session.envelope(message)), now: World.now)
        if let failure = output.storeFailure { throw S1Failure.store(failure) }
        for reply in output.envelopes { session.received(reply) }
        return output.envelopes
    }

    /// Posts `message` to `binding` (`POST /parley`) and takes in the replies of the response.
    mutating func post(_ message: Message, to binding: CompanyHTTPBinding) async throws
        -> (sent: Envelope, response: ParleyHTTPResponse, replies: [Envelope])
    {
        try await post(session.envelope(message), to: binding)
    }

    /// Posts `envelope`, made by ``session``, and takes in the replies of the response.
    mutating func post(_ envelope: Envelope, to binding: CompanyHTTPBinding) async throws
        -> (sent: Envelope, response: ParleyHTTPResponse, replies: [Envelope])
    {
        let response = await resend(envelope, to: binding)
        var replies: [Envelope] = []
        for line in response.body.split(separator: 0x0A) where !line.isEmpty {
            replies.append(try codec.decode(Array(line)))
        }
        for reply in replies { session.received(reply) }
        return (envelope, response, replies)
    }

    /// Posts `envelope` as it is (a new one or a duplicate).
    func resend(_ envelope: Envelope, to binding: CompanyHTTPBinding) async -> ParleyHTTPResponse {
        await binding.respond(
            to: ParleyHTTPRequest(
                method: "POST", target: "/parley", headers: [("Content-Type", ParleyHTTP.envelopeMediaType)],
                body: codec.encodeLine(envelope),
                client: "127.0.0.1"))
    }
}

enum S1Failure: Error {
    case noConsentRequest([Message.Kind])
    case store(SessionStoreError)
}

/// A session store in front of another that makes one race happen on cue: once armed, the first
/// save of `session` waits until a second instance has loaded the session too, and every later
/// save waits until that first save is done, so the second instance's save of the same version
/// is refused. Counts the conflicts it passes on.
actor RaceGate: SessionStore {
    let base: any SessionStore
    let session: SessionID
    private var armed = false
    private var loads = 0
    private var firstArrived = false
    private var firstDone = false
    private var parkedFirst: CheckedContinuation<Void, Never>?
    private var waitingForFirstDone: [CheckedContinuation<Void, Never>] = []
    private var waitingForFirstArrival: [CheckedContinuation<Void, Never>] = []
    /// The saves of `session` refused with a conflict since the gate was armed.
    private(set) var conflicts = 0

    init(base: any SessionStore, session: SessionID) {
        self.base = base
        self.session = session
    }

    func arm() { armed = true }

    /// Returns once the first save after arming has arrived (and is parked).
    func firstSaveArrived() async {
        if firstArrived { return }
        await withCheckedContinuation { waitingForFirstArrival.append($0) }
    }

    func load(_ id: SessionID) async throws(SessionStoreError) -> SavedSession? {
        let value = try await base.load(id)
        if armed, id == session {
            loads += 1
            if loads >= 2, let parked = parkedFirst {
                parkedFirst = nil
                parked.resume()
            }
        }
        return value
    }

    func save(_ value: SavedSession) async throws(SessionStoreError) {
        guard armed, value.id == session else { return try await base.save(value) }
        if !firstArrived {
            firstArrived = true
            for waiter in waitingForFirstArrival { waiter.resume() }
            waitingForFirstArrival = []
            if loads < 2 { await withCheckedContinuation { parkedFirst = $0 } }
            defer {
                firstDone = true
                for waiter in waitingForFirstDone { waiter.resume() }
                waitingForFirstDone = []
            }
            try await pass(value)
        } else {
            if !firstDone { await withCheckedContinuation { waitingForFirstDone.append($0) } }
            try await pass(value)
        }
    }

    private func pass(_ value: SavedSession) async throws(SessionStoreError) {
        do {
            try await base.save(value)
        } catch {
            if error.kind == .conflict { conflicts += 1 }
            throw error
        }
    }

    func sessions(withTimersDueBy instant: Instant, limit: Int) async throws(SessionStoreError) -> [SessionID] {
        try await base.sessions(withTimersDueBy: instant, limit: limit)
    }

    func purge(endedBefore instant: Instant) async throws(SessionStoreError) -> Int { try await base.purge(endedBefore: instant) }
}
