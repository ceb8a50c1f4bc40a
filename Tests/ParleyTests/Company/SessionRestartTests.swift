import ParleyScenarios
import Testing

@testable import Parley

/// Company sessions outlive the agent that began them (`Spec/PROTOCOL.md` §10): a new agent on
/// the same session and booking stores continues every open session exactly where it was.
@Suite("Company sessions survive a restart: a new agent on the same stores continues")
struct SessionRestartTests {
    /// Lisa's side of one S1 session: numbered envelopes, kept so that any can be sent again.
    struct Lisa {
        let session: SessionID
        var sent: [Envelope] = []

        mutating func envelope(_ message: Message) -> Envelope {
            let envelope = Envelope(
                id: MessageID(stringLiteral: "\(session)-\(sent.count + 1)"), session: session, from: World.lisa, to: "salon.example/bot",
                sequence: sent.count + 1, sentAt: World.now, message: message)
            sent.append(envelope)
            return envelope
        }

        mutating func say(_ message: Message, to agent: CompanyAgent) async -> AgentOutput {
            await agent.handle(.envelope(envelope(message)), now: World.now)
        }
    }

    static let ten = World.window(may: 3, from: (10, 0), to: (10, 0))

    @Test(
        "S1: agent A takes hello, request and accept; a new agent B takes consent-grant and disclose, confirms, and answers the duplicate accept byte for byte"
    )
    func restartBetweenAcceptAndGrant() async throws {
        let sessions = InMemorySessionStore()
        let bookings = InMemoryBookingStore(openingHours: Salons.openingHours, bookings: Salons.s1Bookings())
        var lisa = Lisa(session: "restart-1")
        // Agent A lives only in this function: once it returns, nothing of the session is left but the stores.
        func agentA(_ lisa: inout Lisa) async throws -> (accepted: AgentOutput, request: Message.ConsentRequest) {
            let a = Salons.salon(store: bookings, sessionStore: sessions)
            #expect(await lisa.say(.hello(.init(role: .customer)), to: a).envelopes.map(\.kind) == [.hello])
            let offer = await lisa.say(
                .request(.init(service: "haircut-women", windows: [Self.ten], preferredStart: World.may(3, 10))), to: a)
            guard case .offer(let offered)? = offer.envelopes.first?.message, let proposal = offered.proposals.first else {
                throw CompanyConsentTests.Unexpected.reply(offer.envelopes.map(\.kind))
            }
            let accepted = await lisa.say(.accept(.init(proposal: proposal.id)), to: a)
            guard case .consentRequest(let request)? = accepted.envelopes.first?.message else {
                throw CompanyConsentTests.Unexpected.reply(accepted.envelopes.map(\.kind))
            }
            return (accepted, request)
        }
        let (accepted, request) = try await agentA(&lisa)
        let acceptEnvelope = lisa.sent[2]

        let b = Salons.salon(store: bookings, sessionStore: sessions)
        let grant = try CompanyConsentTests.grant(request, id: "tok-restart-1", session: "restart-1")
        let granted = await lisa.say(.consentGrant(grant), to: b)
        #expect(granted.envelopes.isEmpty && granted.storeFailure == nil)
        let done = await lisa.say(.disclose(.init(tokenID: "tok-restart-1", data: [.givenName: "Lisa"])), to: b)
        guard case .confirm(let confirm)? = done.envelopes.first?.message else {
            Issue.record("the disclosure got \(done.envelopes.map(\.kind)), not a confirm")
            return
        }
        #expect(confirm.status == .booked && confirm.slot.start == World.may(3, 10))
        let reference = await b.bookingReference(for: "restart-1")
        #expect(confirm.booking == reference)

        let again = await b.handle(.envelope(acceptEnvelope), now: World.now)
        let codec = WireCodec()
        #expect(again.envelopes.map(codec.encodeLine) == accepted.envelopes.map(codec.encodeLine))

        let booked = await bookings.activeBookings().filter { $0.session == "restart-1" }
        #expect(booked.map(\.id) == [confirm.booking])
        #expect(await b.phase(of: "restart-1") == .booked)
        #expect(
            await b.transcript(of: "restart-1").map(\.kind) == [
                .hello, .hello, .request, .offer, .accept, .consentRequest, .consentGrant, .disclose, .confirm,
            ])
        #expect(await b.receipts.map(\.tokenID) == ["tok-restart-1"])
    }

    @Test("a saved session encodes to the same bytes every time, and again after init(decoding:)")
    func encodingIsStable() async throws {
        let sessions = InMemorySessionStore()
        let salon = Salons.salon(store: InMemoryBookingStore(openingHours: Salons.openingHours), sessionStore: sessions)
        var lisa = Lisa(session: "stable-1")
        _ = await lisa.say(.hello(.init(role: .customer)), to: salon)
        _ = await lisa.say(.request(.init(service: "haircut-women", windows: [Self.ten], preferredStart: World.may(3, 10))), to: salon)
        let saved = try #require(await sessions.load("stable-1"))
        let bytes = saved.encoded()
        for _ in 0..<8 {
            #expect(saved.encoded() == bytes)
            #expect(try SavedSession(decoding: bytes).encoded() == bytes)
        }
    }
}

/// A fleet: instances that share one session store, each counting the sessions it opened.
@Suite("Company fleet: per-peer limits count sessions that ended on another instance as ended")
struct FleetLimitTests {
    @Test("sessions opened on instance A and closed on instance B stop counting against the peer's limit on A")
    func sessionsEndedElsewhereFreeTheLimit() async throws {
        let sessions = InMemorySessionStore()
        let bookings = InMemoryBookingStore(openingHours: Salons.openingHours)
        func instance() -> CompanyAgent {
            let salon = Salons.salon(store: bookings, sessionStore: sessions)
            return CompanyAgent(
                profile: salon.profile, catalogue: salon.catalogue, store: bookings, policy: salon.policy,
                limits: ServiceLimits(openSessionsPerPeer: 2, openSessions: 100), sessionStore: sessions)
        }
        let (a, b) = (instance(), instance())
        for index in 1...3 {
            var lisa = SessionRestartTests.Lisa(session: SessionID(stringLiteral: "fleet-\(index)"))
            let hello = await lisa.say(.hello(.init(role: .customer)), to: a)
            #expect(hello.envelopes.map(\.kind) == [.hello], "session \(index) on A: \(hello.envelopes.map(\.kind))")
            let closed = await lisa.say(.close(.init(outcome: "abandoned")), to: b)
            #expect(closed.storeFailure == nil)
            #expect(await b.phase(of: lisa.session) == .closed)
        }
        // Still open sessions keep counting: two open ones on A fill the peer's limit of two.
        for index in 4...5 {
            var lisa = SessionRestartTests.Lisa(session: SessionID(stringLiteral: "fleet-\(index)"))
            #expect(await lisa.say(.hello(.init(role: .customer)), to: a).envelopes.map(\.kind) == [.hello])
        }
        var sixth = SessionRestartTests.Lisa(session: "fleet-6")
        let refused = await sixth.say(.hello(.init(role: .customer)), to: a)
        #expect(refused.envelopes.map(\.kind) == [.error])
    }
}
