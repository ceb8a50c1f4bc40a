import Foundation
import Testing

@testable import Parley

@Suite("Session state machine, both roles in lockstep")
struct SessionPairTests {
    @Test("S1 happy path: both sides agree on every phase and on the agreement digest")
    func haircutFlow() throws {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company, services: ["haircut-women"])), from: .company)
        #expect(pair.customer.phase == .ready && pair.company.phase == .ready)
        try pair.exchange(.request(Fixtures.request), from: .customer)
        try pair.exchange(.counterOffer(.init(proposals: [Fixtures.proposal("p1", at: 13, 15)])), from: .company)
        #expect(pair.customer.phase == .offered)
        try pair.exchange(
            .counterRequest(.init(service: "haircut", windows: [TimeWindow(start: Fixtures.berlin(10), end: Fixtures.berlin(12))])),
            from: .customer)
        try pair.exchange(
            .question(
                .init(id: "q1", topic: "service", text: "Which service?", options: [.init(value: "haircut-women", label: "Women's cut")])),
            from: .company)
        #expect(pair.company.phase == .questioned)
        try pair.exchange(.answer(.init(question: "q1", value: "haircut-women")), from: .customer)
        try pair.exchange(.offer(.init(proposals: [Fixtures.proposal("p2", at: 10)])), from: .company)
        try pair.exchange(.accept(.init(proposal: "p2")), from: .customer)
        #expect(pair.company.phase == .accepted)
        try pair.exchange(.consentRequest(Fixtures.consentRequest), from: .company)
        try pair.exchange(.consentGrant(Fixtures.grant), from: .customer)
        try pair.exchange(.disclose(Fixtures.disclose), from: .customer)
        #expect(pair.customer.agreementDigest == pair.company.agreementDigest)
        let replies = try pair.exchange(.confirm(pair.confirmation()), from: .company)
        #expect(replies.compactMap(\.rejection).isEmpty)
        #expect(pair.customer.phase == .booked && pair.company.phase == .booked)
        #expect(pair.customer.booking?.booking == "B-1")
        try pair.exchange(.close(.init(outcome: "booked")), from: .customer)
        #expect(pair.customer.phase == .closed && pair.company.phase == .closed)
        #expect(pair.company.end?.outcome == "booked")
    }

    @Test("An offer outside the asked window is rejected and the session goes on")
    func offerOutsideWindow() throws {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        try pair.exchange(
            .request(.init(service: "haircut", windows: [TimeWindow(start: Fixtures.berlin(10), end: Fixtures.berlin(12))])),
            from: .customer)
        // The company's own machine refuses to send it ...
        #expect(throws: ParleyError.self) {
            try pair.company.send(.offer(.init(proposals: [Fixtures.proposal("p1", at: 14)])), now: pair.now)
        }
        // ... and a customer receiving it from a misbehaving peer rejects it with the right code.
        let envelope = Envelope(
            id: "k9", session: Fixtures.session, from: Fixtures.salon, to: Fixtures.customer, sequence: 2, sentAt: pair.now,
            message: .offer(.init(proposals: [Fixtures.proposal("p1", at: 14)])))
        let actions = pair.customer.messageReceived(envelope, now: pair.now)
        #expect(actions.compactMap(\.rejection).map(\.code) == [.offerOutsideWindow])
        #expect(actions.compactMap(\.sentEnvelope).map(\.kind) == [.error])
        #expect(pair.customer.phase == .requested)
    }

    @Test("A duplicate gets the original reply again; the same id with another body is a conflict")
    func idempotency() throws {
        var pair = Pair()
        let hello = try pair.customer.send(.hello(.init(role: .customer)), now: pair.now).compactMap(\.sentEnvelope)[0]
        _ = pair.company.messageReceived(hello, now: pair.now)
        let reply = try pair.company.send(.hello(.init(role: .company)), inReplyTo: hello.id, now: pair.now).compactMap(\.sentEnvelope)[0]
        let again = pair.company.messageReceived(hello, now: pair.now)
        #expect(again.compactMap(\.sentEnvelope) == [reply])
        #expect(pair.company.phase == .ready)
        let forged = Envelope(
            id: hello.id, session: Fixtures.session, from: Fixtures.customer, to: Fixtures.salon, sequence: 1, sentAt: pair.now,
            message: .hello(.init(versions: [1, 2], role: .customer)))
        let conflict = pair.company.messageReceived(forged, now: pair.now)
        #expect(conflict.compactMap(\.rejection).map(\.code) == [.duplicateConflict])
    }

    @Test("Accepting an expired proposal is offer-expired")
    func expiredAcceptance() throws {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        try pair.exchange(.request(Fixtures.request), from: .customer)
        try pair.exchange(
            .offer(.init(proposals: [Fixtures.proposal("p1", at: 12, expiresAt: pair.now.adding(minutes: 1))])), from: .company)
        pair.now = pair.now.adding(minutes: 2)
        #expect(throws: ParleyError.self) { try pair.customer.send(.accept(.init(proposal: "p1")), now: pair.now) }
        let envelope = Envelope(
            id: "c9", session: Fixtures.session, from: Fixtures.customer, to: Fixtures.salon, sequence: 3, sentAt: pair.now,
            message: .accept(.init(proposal: "p1")))
        let actions = pair.company.messageReceived(envelope, now: pair.now)
        #expect(actions.compactMap(\.rejection).map(\.code) == [.offerExpired])
        #expect(pair.company.phase == .offered)
    }

    @Test("Out-of-order delivery is buffered and processed in sequence")
    func reordering() throws {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        try pair.exchange(.request(Fixtures.request), from: .customer)
        try pair.exchange(.offer(.init(proposals: [Fixtures.proposal("p1", at: 12)])), from: .company)
        try pair.exchange(.accept(.init(proposal: "p1")), from: .customer)
        try pair.exchange(.consentRequest(Fixtures.consentRequest), from: .company)
        // Two customer messages in a row; the second arrives first.
        let grant = try pair.customer.send(.consentGrant(Fixtures.grant), now: pair.now).compactMap(\.sentEnvelope)[0]
        let disclose = try pair.customer.send(.disclose(Fixtures.disclose), now: pair.now).compactMap(\.sentEnvelope)[0]
        #expect(pair.company.messageReceived(disclose, now: pair.now).isEmpty)
        #expect(pair.company.phase == .consentRequested)
        let actions = pair.company.messageReceived(grant, now: pair.now)
        #expect(actions.compactMap(\.delivered).map(\.kind) == [.consentGrant, .disclose])
        #expect(pair.company.phase == .accepted)
        #expect(pair.company.agreementDigest == pair.customer.agreementDigest)
    }

    @Test("Unacknowledged messages are retransmitted unchanged until the peer acknowledges them")
    func retransmission() throws {
        var pair = Pair()
        let sent = try pair.customer.send(.hello(.init(role: .customer)), now: pair.now)
        let hello = try #require(sent.compactMap(\.sentEnvelope).first)
        #expect(sent.contains(.setTimer(.retransmit, at: pair.now.adding(seconds: 2))))
        let again = pair.customer.timerFired(.retransmit, now: pair.now.adding(seconds: 2))
        #expect(again.compactMap(\.sentEnvelope) == [hello])
        _ = pair.company.messageReceived(hello, now: pair.now)
        let reply = try pair.company.send(.hello(.init(role: .company)), inReplyTo: hello.id, now: pair.now).compactMap(\.sentEnvelope)[0]
        #expect(reply.acknowledged == 1)
        _ = pair.customer.messageReceived(reply, now: pair.now)
        #expect(pair.customer.unacknowledgedCount == 0)
        #expect(pair.customer.timerFired(.retransmit, now: pair.now.adding(seconds: 4)).isEmpty)
    }

    @Test("Retransmissions back off exponentially up to RETRANSMIT_MAX_INTERVAL, with a reproducible jitter (§9)")
    func retransmissionBacksOff() throws {
        var pair = Pair()
        let sent = try pair.customer.send(.hello(.init(role: .customer)), now: pair.now)
        #expect(sent.contains(.setTimer(.retransmit, at: pair.now.adding(seconds: 2))))
        var now = pair.now.adding(seconds: 2)
        var waits: [Int64] = []
        var hellos = 1
        // A silent company, for the whole idle timeout.
        while now < pair.now.adding(seconds: 600) {
            let actions = pair.customer.timerFired(.retransmit, now: now)
            hellos += actions.compactMap(\.sentEnvelope).count
            guard let next = actions.compactMap({ if case .setTimer(.retransmit, let at) = $0 { at } else { nil } }).first else { break }
            waits.append(now.seconds(to: next))
            now = next
        }
        let bases: [Int64] = [4, 8, 16, 32, 60]
        for (wait, base) in zip(waits, bases) { #expect(wait >= base && wait <= base + base / 4, "waits \(waits)") }
        #expect(waits.dropFirst(bases.count).allSatisfy { $0 >= 60 && $0 <= 75 }, "waits \(waits)")
        #expect(hellos <= 16, "a silent company received \(hellos) hellos in 600 s")
        // The same session replays the same waits; the jitter differs between sessions.
        var replay = Pair()
        _ = try replay.customer.send(.hello(.init(role: .customer)), now: replay.now)
        #expect((1...8).map { replay.customer.retransmitWait(after: $0) } == (1...8).map { pair.customer.retransmitWait(after: $0) })
        let others = (0..<16).map { index in
            SessionStateMachine(role: .customer, session: SessionID(stringLiteral: "s-\(index)"), local: "a", peer: "b").retransmitWait(
                after: 5)
        }
        #expect(Set(others).count > 1, "every session waits exactly the same: \(others)")
    }

    @Test("An acknowledgment starts the backoff over")
    func acknowledgmentResetsBackoff() throws {
        var pair = Pair()
        let hello = try #require(try pair.customer.send(.hello(.init(role: .customer)), now: pair.now).compactMap(\.sentEnvelope).first)
        for seconds in [2, 6, 14] { _ = pair.customer.timerFired(.retransmit, now: pair.now.adding(seconds: Int64(seconds))) }
        #expect(pair.customer.retransmissions == 3)
        _ = pair.company.messageReceived(hello, now: pair.now)
        let reply = try pair.company.send(.hello(.init(role: .company)), inReplyTo: hello.id, now: pair.now).compactMap(\.sentEnvelope)[0]
        _ = pair.customer.messageReceived(reply, now: pair.now)
        #expect(pair.customer.retransmissions == 0)
    }

    @Test("Session state survives a Codable round trip mid-negotiation")
    func codableState() throws {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        try pair.exchange(.request(Fixtures.request), from: .customer)
        try pair.exchange(.offer(.init(proposals: [Fixtures.proposal("p1", at: 12)])), from: .company)
        let data = try JSONEncoder().encode(pair.company)
        let restored = try JSONDecoder().decode(SessionStateMachine.self, from: data)
        #expect(restored == pair.company)
        pair.company = restored
        try pair.exchange(.accept(.init(proposal: "p1")), from: .customer)
        #expect(pair.company.phase == .accepted)
    }
}
