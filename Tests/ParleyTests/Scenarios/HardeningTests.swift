import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// A customer bot written by hand, talking to a company agent through its sans-transport API.
struct RawCustomer {
    let id: AgentID
    let session: SessionID
    let company: CompanyAgent
    var sequence = 0

    mutating func say(_ message: Message, at now: Instant) async -> [Envelope] {
        sequence += 1
        let envelope = Envelope(
            id: MessageID(stringLiteral: "\(session)-\(sequence)"), session: session, from: id, to: company.profile.id,
            sequence: sequence, sentAt: now, message: message)
        return await company.handle(.envelope(envelope), now: now).envelopes
    }
}

@Suite("Hardening: slot hoarding, third-party injection, per-session limits, token limits, spec values")
struct HardeningTests {
    static let ten = World.window(may: 3, from: (10, 0), to: (10, 0))

    @Test("HOLD_TIME: a customer that accepts and goes silent holds the slot only until the hold expires", .timeLimit(.minutes(1)))
    func slotHoarding() async throws {
        let stage = Stage()
        let (salon, store) = Salons.salon(bookings: [])
        var hoarder = RawCustomer(id: "hoarder.example/bot", session: "hoard-1", company: salon)
        _ = await hoarder.say(.hello(.init(role: .customer)), at: stage.clock.now)
        let offer = await hoarder.say(
            .request(.init(service: "haircut-women", windows: [Self.ten], preferredStart: World.may(3, 10))), at: stage.clock.now)
        guard case .offer(let offered) = offer.first?.message, let tenOClock = offered.proposals.first else {
            Issue.record("expected an offer, got \(offer.map(\.kind))")
            return
        }
        #expect(tenOClock.slot.start == World.may(3, 10))
        let asked = await hoarder.say(.accept(.init(proposal: tenOClock.id)), at: stage.clock.now)
        #expect(asked.map(\.kind) == [.consentRequest], "the slot is held while the salon asks for the name")

        // Held: another customer cannot have 10:00 now.
        let wishes = Wishes(
            service: "haircut", windows: [Self.ten], preferredStart: World.may(3, 10), priceCeiling: Money(amount: 6000, currency: "EUR"),
            answers: ["service": "haircut-women"])
        let first = stage.lisa(wishes: wishes, id: "assistant.example/first", seed: 11)
        await stage.connect(first, to: salon)
        #expect(await first.book(at: salon.profile.id).booking == nil)
        #expect(await !store.isFree(tenOClock.slot, ignoring: nil, now: stage.clock.now))

        // The hoarder stays silent past the hold time: the slot is free again and the next customer books it.
        stage.clock.advance(bySeconds: Int64(CompanyPolicy().holdMinutes * 60 + 1))
        #expect(await store.isFree(tenOClock.slot, ignoring: nil, now: stage.clock.now))
        let second = stage.lisa(wishes: wishes, id: "assistant.example/second", seed: 12)
        await stage.connect(second, to: salon)
        let booked = try #require(await second.book(at: salon.profile.id).booking)
        #expect(booked.confirmation.slot.start == World.may(3, 10))
    }

    @Test("A silent company cannot hang the assistant: disconnect ends the negotiation with a close", .timeLimit(.minutes(1)))
    func disconnectEndsAPendingNegotiation() async throws {
        let stage = Stage()
        let lisa = stage.lisa(wishes: Scenarios.haircutWishes)
        let (customerEnd, silentEnd) = InProcessTransport.pair()
        await lisa.connect(to: "silent.example/bot", over: customerEnd)
        let booking = Task { await lisa.book(at: "silent.example/bot") }
        var seen = silentEnd.inbound.makeAsyncIterator()
        guard case .envelope(let hello)? = await seen.next() else { throw Unexpected.end }
        #expect(hello.kind == .hello, "the assistant opened a session and now waits for an answer that never comes")

        await lisa.disconnect()
        let outcome = await booking.value
        guard case .noAgreement(.disconnected) = outcome else { throw Unexpected.outcome("\(outcome)") }
        guard case .envelope(let close)? = await seen.next() else { throw Unexpected.end }
        #expect(close.kind == .close && close.session == hello.session, "the company is told the session is over")
        #expect(await lisa.isFinished(hello.session))
    }

    enum Unexpected: Error { case end, outcome(String) }

    @Test("A third party cannot disturb a session: its envelope is dropped without a reply and the session goes on")
    func thirdPartyInjection() throws {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        for message: Message in [
            .close(.init(outcome: "no-agreement")), .error(.init(code: "internal-error", text: "die", retryable: false)),
        ] {
            let forged = Envelope(
                id: "m-1", session: Fixtures.session, from: "mallory.example/bot", to: Fixtures.salon, sequence: pair.customer.nextSequence,
                sentAt: pair.now, message: message)
            let actions = pair.company.messageReceived(forged, now: pair.now)
            #expect(actions.compactMap(\.sentEnvelope).isEmpty, "no reply inside the session")
            #expect(actions.compactMap(\.rejection).map(\.code) == [.misaddressed])
            #expect(pair.company.phase == .ready)
        }
        let replies = try pair.exchange(.request(Fixtures.request), from: .customer)
        #expect(replies.compactMap(\.rejection).isEmpty && pair.company.phase == .requested)
    }

    @Test("MAX_MESSAGES: the message after the limit fails the session with limit-exceeded")
    func messageLimit() throws {
        var configuration = SessionStateMachine.Configuration()
        configuration.maximumMessages = 12
        var pair = Pair()
        pair.company = SessionStateMachine(
            role: .company, session: Fixtures.session, local: Fixtures.salon, peer: nil, configuration: configuration)
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        var asked = 1
        while pair.company.phase == .ready, asked < 100 {
            let id = QuestionID(stringLiteral: "q\(asked)")
            let replies = try pair.exchange(.question(.init(id: id, topic: "parking", text: "Is there parking?")), from: .customer)
            for envelope in replies.compactMap(\.sentEnvelope) where pair.company.phase == .failed {
                _ = pair.customer.messageReceived(envelope, now: pair.now)
            }
            if pair.company.phase == .inquiring {
                try pair.exchange(.answer(.init(question: id, value: "Yes, in the yard.")), from: .company)
            }
            asked += 1
        }
        #expect(asked == 13, "the hello and 11 questions are admitted; the 12th question is message 13")
        #expect(pair.company.phase == .failed && pair.company.end?.error?.code == .limitExceeded)
        #expect(pair.customer.phase == .failed)
    }

    @Test("MAX_CAVEATS: a token narrowed past 64 caveats is token-malformed for every verifier")
    func caveatLimit() throws {
        var generator = SeededRandom(seed: 3)
        let issuer = ConsentIssuer(agent: World.lisa, rootKey: ConsentRootKey(using: &generator))
        let token = try issuer.mint(
            id: "tok-0123456789abcdef0123456789abcdef",
            scope: ConsentScope(audience: "salon.example/bot", purposes: [.booking], fields: [.givenName], expiry: World.may(4, 0)))
        let atLimit = token.attenuated(by: Array(repeating: .fields([.givenName]), count: 60))
        #expect(throws: Never.self) { try ConsentToken(serialized: atLimit.serialized) }
        let overLimit = atLimit.attenuated(by: .fields([.givenName]))
        do {
            _ = try ConsentToken(serialized: overLimit.serialized)
            Issue.record("a token with 65 caveats parsed")
        } catch {
            #expect(error.code == .tokenMalformed)
        }
        let use = ConsentUse(audience: "salon.example/bot", purpose: .booking, fields: [.givenName], at: World.now)
        #expect(throws: ParleyError.self) { try issuer.verify(serialized: overLimit.serialized, for: use) }
    }

    @Test("Spec §4.4 states exactly the limits the code enforces")
    func specLimitsMatchTheCode() throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("Spec/PROTOCOL.md"), encoding: .utf8)
        let session = SessionStateMachine.Configuration()
        let expected: [String: Int] = [
            "MAX_ENVELOPE_BYTES": WireLimits.standard.maximumBytes, "MAX_DEPTH": WireLimits.standard.maximumDepth,
            "MAX_PROPOSALS": ProtocolLimits.maximumProposals, "MAX_WINDOWS": ProtocolLimits.maximumWindows,
            "MAX_ERRORS": session.maximumErrors, "MAX_MESSAGES": session.maximumMessages, "MAX_REORDER": session.maximumBuffered,
            "MAX_ROUNDS": session.maximumRounds, "MAX_CAVEATS": 64, "MAX_PEER_SESSIONS": ServiceLimits().openSessionsPerPeer,
            "MAX_OPEN_SESSIONS": ServiceLimits().openSessions, "HOLD_TIME": CompanyPolicy().holdMinutes,
        ]
        for (name, value) in expected {
            let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("| `\(name)` |") }, "§4.4 has no row for \(name)")
            let cell = row.split(separator: "|")[1].trimmingCharacters(in: .whitespaces)
            let stated = Int(cell.prefix { $0.isNumber || $0 == " " }.filter(\.isNumber))
            #expect(stated == value, "\(name): spec says \(cell), code has \(value)")
        }
    }
}
