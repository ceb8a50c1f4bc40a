import ParleyScenarios
import Testing

@testable import Parley

/// What a company agent keeps of a session, and for how long (`Spec/PROTOCOL.md` §4.4, §5.5).
@Suite("Company sessions: no state for rejected openings, bounded memory, no replies from another session's records")
struct CompanySessionLifecycleTests {
    static func envelope(
        _ message: Message, session: SessionID, id: MessageID, sequence: Int, from: AgentID = World.lisa, at sentAt: Instant = World.now
    ) -> Envelope {
        Envelope(id: id, session: session, from: from, to: "salon.example/bot", sequence: sequence, sentAt: sentAt, message: message)
    }

    @Test("A rejected first envelope is answered and keeps no state: 40 junk openings leave the agent holding nothing")
    func rejectedOpeningKeepsNoState() async {
        let (salon, _) = Salons.salon(bookings: [])
        for index in 0..<40 {
            let junk = Self.envelope(
                .accept(.init(proposal: "p1")), session: SessionID(stringLiteral: "junk-\(index)"), id: "c1", sequence: 1)
            let replies = await salon.handle(.envelope(junk), now: World.now).envelopes
            #expect(replies.errorCodes == ["unexpected-message"])
            #expect(replies.first?.inReplyTo == "c1")
        }
        #expect(await salon.storedSessionCount == 0)
        #expect(await salon.openSessionCount == 0)
        // The peer is not locked out: its next hello opens a session.
        let hello = Self.envelope(.hello(.init(role: .customer)), session: "after-junk", id: "c1", sequence: 1)
        #expect(await salon.handle(.envelope(hello), now: World.now).envelopes.map(\.kind) == [.hello])
    }

    @Test("Sixteen junk lines on one connection do not lock it out (MAX_PEER_SESSIONS counts open sessions only)")
    func junkDoesNotCountTowardPeerLimit() async throws {
        let (salon, _) = Salons.salon(bookings: [])
        let (customerEnd, companyEnd) = InProcessTransport.pair()
        let serving = Task { await salon.serve(companyEnd, clock: ManualClock(now: World.now)) }
        var inbound = customerEnd.inbound.makeAsyncIterator()
        for index in 0..<20 {
            try await customerEnd.send(
                Self.envelope(
                    .request(.init(service: "haircut", windows: [])), session: SessionID(stringLiteral: "j-\(index)"), id: "c1", sequence: 1
                ))
            guard case .envelope(let reply)? = await inbound.next() else { break }
            #expect(reply.kind == .error)
        }
        try await customerEnd.send(Self.envelope(.hello(.init(role: .customer)), session: "real", id: "c1", sequence: 1))
        guard case .envelope(let reply)? = await inbound.next() else {
            Issue.record("no reply")
            return
        }
        #expect(reply.kind == .hello && reply.session == "real")
        await customerEnd.close()
        await serving.value
    }

    @Test("Finished sessions are forgotten by themselves once the idempotency window has passed")
    func finishedSessionsArePurgedAutomatically() async {
        let (salon, _) = Salons.salon(bookings: [])
        let window = SessionStateMachine.Configuration().idempotencyWindow
        for index in 0..<10 {
            let session = SessionID(stringLiteral: "short-\(index)")
            let at = World.now.adding(seconds: Int64(index))
            _ = await salon.handle(
                .envelope(Self.envelope(.hello(.init(role: .customer)), session: session, id: "c1", sequence: 1)), now: at)
            _ = await salon.handle(
                .envelope(Self.envelope(.close(.init(outcome: "done")), session: session, id: "c2", sequence: 2)), now: at)
        }
        #expect(await salon.storedSessionCount == 10, "kept within the window, to answer late duplicates")
        // A late duplicate inside the window is still answered from the record.
        let late = Self.envelope(.hello(.init(role: .customer)), session: "short-0", id: "c1", sequence: 1)
        #expect(await salon.handle(.envelope(late), now: World.now.adding(seconds: window - 1)).envelopes.map(\.kind) == [.hello])
        // After the window, any event lets the agent forget the sessions that ended before it.
        let probe = Self.envelope(.hello(.init(role: .customer)), session: "probe", id: "c1", sequence: 1)
        _ = await salon.handle(.envelope(probe), now: World.now.adding(seconds: window + 60))
        #expect(await salon.storedSessionCount == 1, "only the probe's session is left")
    }

    @Test("A new customer reusing a finished session's ids gets fresh processing, not the old session's replies")
    func collidingSessionGetsFreshProcessing() async {
        let (salon, _) = Salons.salon(bookings: [])
        let first = Self.envelope(.hello(.init(role: .customer)), session: "s-1", id: "c1", sequence: 1, at: World.now)
        let firstReply = await salon.handle(.envelope(first), now: World.now).envelopes
        _ = await salon.handle(
            .envelope(Self.envelope(.close(.init(outcome: "done")), session: "s-1", id: "c2", sequence: 2)), now: World.now)
        // The same customer, restarted with the same seed: same ids, a later sentAt.
        let later = World.now.adding(seconds: 60)
        let second = Self.envelope(.hello(.init(role: .customer)), session: "s-1", id: "c1", sequence: 1, at: later)
        let secondReply = await salon.handle(.envelope(second), now: later).envelopes
        #expect(secondReply.map(\.kind) == [.hello])
        #expect(secondReply.first?.sentAt == later, "a fresh hello, not the one sent a minute ago")
        #expect(secondReply.first != firstReply.first)
        #expect(await salon.phase(of: "s-1") == .ready)
        // The session goes on: a request is answered, not refused as session-closed.
        let request = Self.envelope(
            .request(.init(service: "haircut-women", windows: [World.window(may: 3, from: (10, 0), to: (12, 0))])), session: "s-1",
            id: "c2", sequence: 2, at: later)
        let offer = await salon.handle(.envelope(request), now: later).envelopes
        #expect(offer.map(\.kind) == [.offer])
        // A true retransmission of the new hello is still answered from the record, unchanged.
        #expect(await salon.handle(.envelope(second), now: later).envelopes == secondReply)
    }

    @Test("Cancelling a cancelled booking is declined with already-cancelled, not unknown-booking")
    func cancellingACancelledBooking() async {
        let slot = Slot(start: World.may(3, 10), end: World.may(3, 10, 45))
        let booking = BookingRecord(
            id: "B-7", customer: World.lisa, session: "earlier", service: "haircut-women", slot: slot,
            price: Money(amount: 4500, currency: "EUR"), heldFor: "Lisa")
        let (salon, _) = Salons.salon(bookings: [booking])
        var customer = RawCustomer(id: World.lisa, session: "cancel-twice", company: salon)
        _ = await customer.say(.hello(.init(role: .customer)), at: World.now)
        let first = await customer.say(.cancel(.init(booking: "B-7")), at: World.now)
        guard case .confirm(let confirm)? = first.first?.message else {
            Issue.record("expected a confirm, got \(first.map(\.kind))")
            return
        }
        #expect(confirm.status == .cancelled)
        let second = await customer.say(.cancel(.init(booking: "B-7")), at: World.now)
        guard case .decline(let decline)? = second.first?.message else {
            Issue.record("expected a decline, got \(second.map(\.kind))")
            return
        }
        #expect(decline.reason == "already-cancelled")
        let unknown = await customer.say(.cancel(.init(booking: "B-404")), at: World.now)
        if case .decline(let decline)? = unknown.first?.message { #expect(decline.reason == "unknown-booking") }
        let moved = await customer.say(
            .reschedule(.init(booking: "B-7", windows: [World.window(may: 3, from: (11, 0), to: (12, 0))])), at: World.now)
        if case .decline(let decline)? = moved.first?.message { #expect(decline.reason == "already-cancelled") }
    }
}
