import ParleyScenarios
import Testing

@testable import Parley

/// A hostile peer on its own connection: opens sessions as fast as it can and counts the replies.
struct Flooder: Sendable {
    let transport: InProcessTransport
    let company: AgentID

    /// Sends `count` hellos, each opening a new session, from `sender(i)`; returns the replies' kinds and error codes.
    func flood(count: Int, prefix: String, sender: @Sendable (Int) -> AgentID) async -> (hellos: Int, errors: [String: Int], orphans: Int) {
        let transport = self.transport
        let company = self.company
        async let replies: (Int, [String: Int], Int) = {
            var hellos = 0
            var errors: [String: Int] = [:]
            var orphans = 0
            var received = 0
            for await event in transport.inbound {
                guard case .envelope(let envelope) = event else { continue }
                received += 1
                switch envelope.message {
                case .hello: hellos += 1
                case .error(let report): errors[report.code, default: 0] += 1
                default: break
                }
                // Every reply answers the first message of its session.
                if envelope.inReplyTo != MessageID(stringLiteral: "\(envelope.session)-1") { orphans += 1 }
                if received == count { break }
            }
            return (hellos, errors, orphans)
        }()
        for index in 0..<count {
            let session = SessionID(stringLiteral: "\(prefix)-\(index)")
            let hello = Envelope(
                id: MessageID(stringLiteral: "\(session)-1"), session: session, from: sender(index), to: company, sequence: 1,
                sentAt: World.now, message: .hello(.init(role: .customer)))
            do { try await transport.send(hello) } catch { break }
        }
        return await replies
    }
}

@Suite("Flooding: one peer opening sessions as fast as it can does not starve the others")
struct FloodingTests {
    /// Six customers who each want a different hour on 3 May.
    static func honestCustomers(stage: Stage) -> [CustomerAgent] {
        (0..<6).map { index in
            let hour = 9 + index
            let wishes = Wishes(
                service: "haircut", windows: [World.window(may: 3, from: (hour, 0), to: (hour, 30))], preferredStart: World.may(3, hour),
                priceCeiling: Money(amount: 6000, currency: "EUR"), answers: ["service": "haircut-women"])
            return stage.lisa(wishes: wishes, id: AgentID(stringLiteral: "assistant.example/customer-\(index)"), seed: UInt64(index + 1))
        }
    }

    @Test(
        "Flooders on three connections get limit-exceeded beyond MAX_PEER_SESSIONS while six customers complete S1 bookings",
        .timeLimit(.minutes(2)))
    func floodWhileOthersBook() async throws {
        let stage = Stage()
        let (salon, store) = Salons.salon(bookings: [])
        let limit = salon.limits.openSessionsPerPeer
        let flooderID: AgentID = "flood.example/bot"
        func floodConnection() -> Flooder {
            let (flooderEnd, salonEnd) = InProcessTransport.pair(codec: WireCodec())
            Task { await salon.serve(salonEnd, clock: stage.clock) }
            return Flooder(transport: flooderEnd, company: salon.profile.id)
        }
        // One agent id on two connections, and a third connection that makes up a new id for every session.
        let sameIDFirst = floodConnection()
        let sameIDSecond = floodConnection()
        let forged = floodConnection()
        let customers = Self.honestCustomers(stage: stage)
        for customer in customers { await stage.connect(customer, to: salon) }

        async let first = sameIDFirst.flood(count: 400, prefix: "a") { _ in flooderID }
        async let second = sameIDSecond.flood(count: 400, prefix: "b") { _ in flooderID }
        async let third = forged.flood(count: 400, prefix: "f") { AgentID(stringLiteral: "forged.example/bot-\($0)") }
        let outcomes = await withTaskGroup(of: NegotiationOutcome.self) { group in
            for customer in customers { group.addTask { await customer.book(at: salon.profile.id) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let (a, b, f) = await (first, second, third)

        // Every honest customer booked its own hour.
        #expect(outcomes.compactMap(\.booking).count == 6, "outcomes: \(outcomes.map(\.summary))")
        #expect(Set(await store.activeBookings().map(\.slot.start)).count == 6)
        // The flooders got exactly `limit` sessions per agent id and per connection; everything else was refused.
        #expect(a.hellos + b.hellos == limit, "sessions for one agent id over two connections")
        #expect(a.errors["limit-exceeded", default: 0] + b.errors["limit-exceeded", default: 0] == 800 - limit)
        #expect(f.hellos == limit, "sessions on the connection with forged ids")
        #expect(f.errors == ["limit-exceeded": 400 - limit])
        #expect(a.orphans + b.orphans + f.orphans == 0, "every reply answers the hello that opened its session")
        // Refused sessions take no memory: only admitted ones are kept.
        #expect(await salon.storedSessionCount == 2 * limit + 6)
        #expect(await salon.openSessionCount == 2 * limit, "the honest sessions have closed; the flooders' stay open until idle")
    }

    @Test("MAX_OPEN_SESSIONS: beyond it new sessions are refused (limit-exceeded, retryable); a session that ends makes room")
    func refusedWhenFull() async throws {
        var limits = ServiceLimits()
        limits.openSessionsPerPeer = 2
        limits.openSessions = 6
        let (profile, catalogue) = (Salons.salon().0.profile, Salons.catalogue())
        let salon = CompanyAgent(
            profile: profile, catalogue: catalogue, store: InMemoryBookingStore(openingHours: Salons.openingHours), limits: limits)
        func hello(_ peer: Int, _ index: Int) -> TransportEvent {
            let session = SessionID(stringLiteral: "p\(peer)-s\(index)")
            return .envelope(
                Envelope(
                    id: "h", session: session, from: AgentID(stringLiteral: "peer.example/\(peer)"), to: profile.id, sequence: 1,
                    sentAt: World.now, message: .hello(.init(role: .customer))))
        }
        func reply(_ event: TransportEvent) async -> Message? { await salon.handle(event, now: World.now).envelopes.first?.message }

        for peer in 0..<3 {
            for index in 0..<2 {
                guard case .hello = await reply(hello(peer, index)) else {
                    Issue.record("peer \(peer) session \(index) was not admitted")
                    return
                }
            }
        }
        // Peer 0 is at its own limit; peer 3 is within its own, but the agent is full.
        guard case .error(let perPeer) = await reply(hello(0, 2)), case .error(let full) = await reply(hello(3, 0)) else {
            Issue.record("expected two refusals")
            return
        }
        #expect(perPeer.code == "limit-exceeded" && perPeer.offending == "h")
        #expect(full.code == "limit-exceeded" && full.retryable && full.text.contains("MAX_OPEN_SESSIONS"))
        let (held, open) = (await salon.storedSessionCount, await salon.openSessionCount)
        #expect(held == 6 && open == 6)

        // Peer 1 closes one session: peer 3 gets in.
        let close = Envelope(
            id: "bye", session: "p1-s0", from: "peer.example/1", to: profile.id, sequence: 2, sentAt: World.now,
            message: .close(.init(outcome: "no-agreement")))
        _ = await salon.handle(.envelope(close), now: World.now)
        #expect(await salon.openSessionCount == 5)
        guard case .hello = await reply(hello(3, 1)) else {
            Issue.record("a session that ended must make room")
            return
        }
        // The refused sessions were never kept: a retransmitted refused hello is refused again the same way.
        guard case .error(let again) = await reply(hello(0, 2)) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(again.code == "limit-exceeded")
    }
}
