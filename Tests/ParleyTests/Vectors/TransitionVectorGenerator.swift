import Foundation
import Testing

@testable import Parley

/// Regenerates `Spec/vectors/transitions.json` from lockstep runs of the state machine.
/// Run with `PARLEY_WRITE_VECTORS=1 swift test --filter TransitionVectorGenerator`, then review the diff.
@Suite("Transition vector generator")
struct TransitionVectorGenerator {
    /// A lockstep session that records every envelope with its sender.
    struct Recorder {
        var pair = Pair()
        var log: [(Role, Envelope)] = []

        mutating func step(_ message: Message, from role: Role) throws {
            let before = role == .customer ? pair.customer : pair.company
            var machine = before
            let sent = try machine.send(message, now: pair.now).compactMap(\.sentEnvelope)
            _ = try pair.exchange(message, from: role)
            log += sent.map { (role, $0) }
        }

        /// The steps as `role` sees them.
        func given(for role: Role, upTo count: Int? = nil) -> [TransitionVector.Step] {
            log.prefix(count ?? log.count).map { TransitionVector.Step(direction: $0.0 == role ? "sent" : "received", envelope: $0.1.json) }
        }

        /// An envelope from `sender`'s side with the next sequence number.
        func next(_ message: Message, from sender: Role, sequence: Int? = nil, id: MessageID? = nil, to: AgentID? = nil) -> Envelope {
            let machine = sender == .customer ? pair.customer : pair.company
            let seq = sequence ?? log.filter { $0.0 == sender }.count + 1
            return Envelope(
                id: id ?? MessageID(stringLiteral: "\(sender == .customer ? "c" : "k")\(seq)"), session: Fixtures.session,
                from: machine.local, to: to ?? (sender == .customer ? Fixtures.salon : Fixtures.customer), sequence: seq,
                sentAt: pair.now, message: message)
        }
    }

    static func s1() throws -> Recorder {
        var r = Recorder()
        try r.step(.hello(.init(role: .customer)), from: .customer)
        try r.step(.hello(.init(role: .company, services: ["haircut"])), from: .company)
        try r.step(.request(Fixtures.request), from: .customer)
        try r.step(.counterOffer(.init(proposals: [Fixtures.proposal("p1", at: 19)])), from: .company)
        try r.step(
            .counterRequest(.init(service: "haircut", windows: [TimeWindow(start: Fixtures.berlin(10), end: Fixtures.berlin(12))])),
            from: .customer)
        try r.step(
            .question(
                .init(id: "q1", topic: "service", text: "Which service?", options: [.init(value: "haircut-women", label: "Women's")])),
            from: .company)
        try r.step(.answer(.init(question: "q1", value: "haircut-women")), from: .customer)
        try r.step(.offer(.init(proposals: [Fixtures.proposal("p2", at: 10)])), from: .company)
        try r.step(.accept(.init(proposal: "p2")), from: .customer)
        try r.step(.consentRequest(Fixtures.consentRequest), from: .company)
        try r.step(.consentGrant(Fixtures.grant), from: .customer)
        try r.step(.disclose(Fixtures.disclose), from: .customer)
        try r.step(.confirm(r.pair.confirmation()), from: .company)
        try r.step(.close(.init(outcome: "booked")), from: .customer)
        return r
    }

    static func vectors() throws -> [TransitionVector] {
        var vectors: [TransitionVector] = []
        let now = Fixtures.now.rfc3339
        func add(_ name: String, _ role: Role, _ r: Recorder, upTo count: Int, _ incoming: Envelope) throws {
            var vector = TransitionVector(
                name: name, role: role.rawValue, now: now, given: r.given(for: role, upTo: count), incoming: incoming.json,
                expect: .init(phase: "", sent: [], error: nil))
            vector.expect = try TransitionVectors.play(vector)
            vectors.append(vector)
        }
        let full = try s1()
        // Every step of S1, as its receiver sees it.
        for (index, (sender, envelope)) in full.log.enumerated() {
            try add("S1 step \(index + 1): \(sender.peer) receives \(envelope.kind)", sender.peer, full, upTo: index, envelope)
        }
        // Prefixes of S1 to branch from: (number of envelopes, phase reached).
        func prefix(_ count: Int) throws -> Recorder {
            var r = Recorder()
            r.pair = Pair()
            for (role, envelope) in full.log.prefix(count) { try r.step(envelope.message, from: role) }
            return r
        }
        // close from the peer in every live phase S1 passes through, for both roles.
        for count in 0..<(full.log.count - 1) {
            let r = try prefix(count)
            for receiver in Role.allCases where !(count == 0 && receiver == .customer) {
                let phase = receiver == .customer ? r.pair.customer.phase : r.pair.company.phase
                try add(
                    "\(receiver) in \(phase) receives close", receiver, r, upTo: count,
                    r.next(.close(.init(outcome: "done")), from: receiver.peer))
            }
        }
        // Illegal messages (unexpected-message) in each phase of S1.
        for count in 1..<(full.log.count - 1) {
            let r = try prefix(count)
            for receiver in Role.allCases {
                let phase = receiver == .customer ? r.pair.customer.phase : r.pair.company.phase
                let illegal = Message.Kind.allCases.first { kind in
                    kind != .error && kind != .close && kind != .consentRevoke && kind != .hello
                        && TransitionTable.rows(in: phase, from: receiver.peer, kind: kind).isEmpty
                        && SampleMessages.message(kind, role: receiver.peer).kind == kind
                }
                guard let illegal else { continue }
                try add(
                    "\(receiver) in \(phase) receives \(illegal) (not allowed)", receiver, r, upTo: count,
                    r.next(SampleMessages.message(illegal, role: receiver.peer), from: receiver.peer))
            }
        }
        // Content rules.
        var r = try prefix(3)  // company has the request
        try add(
            "customer receives an offer outside the asked window", .customer, r, upTo: 3,
            r.next(.offer(.init(proposals: [Fixtures.proposal("px", at: 20)])), from: .company))
        r = try prefix(8)  // offer p2 on the table
        try add(
            "company receives an accept of an unknown proposal", .company, r, upTo: 8,
            r.next(.accept(.init(proposal: "p9")), from: .customer))
        try add(
            "company receives an accept of an unknown add-on", .company, r, upTo: 8,
            r.next(.accept(.init(proposal: "p2", addOns: ["gift"])), from: .customer))
        var late = Recorder()
        for (role, envelope) in full.log.prefix(7) { try late.step(envelope.message, from: role) }
        try late.step(
            .offer(.init(proposals: [Fixtures.proposal("p2", at: 10, expiresAt: Fixtures.now.adding(seconds: -60))])), from: .company)
        try add(
            "company receives an accept of an expired proposal", .company, late, upTo: 8,
            late.next(.accept(.init(proposal: "p2")), from: .customer))
        r = try prefix(6)  // question q1 open
        try add(
            "company receives an answer to an unknown question", .company, r, upTo: 6,
            r.next(.answer(.init(question: "q7", value: "x")), from: .customer))
        try add(
            "company receives an answer outside the options", .company, r, upTo: 6,
            r.next(.answer(.init(question: "q1", value: "colour")), from: .customer))
        r = try prefix(9)  // accepted
        try add(
            "customer receives a consent request beyond the declared requirements", .customer, r, upTo: 9,
            r.next(.consentRequest(.init(id: "cr1", fields: [.givenName, .phone], purpose: .booking, retentionDays: 30)), from: .company))
        try add(
            "customer receives a consent request for another purpose", .customer, r, upTo: 9,
            r.next(.consentRequest(.init(id: "cr1", fields: [.givenName], purpose: .marketing, retentionDays: 30)), from: .company))
        r = try prefix(11)  // granted, disclosing
        try add(
            "company receives a disclosure of a field outside the grant", .company, r, upTo: 11,
            r.next(.disclose(.init(tokenID: "t-1", data: [.givenName: "Lisa", .phone: "+49 30 1"])), from: .customer))
        r = try prefix(10)
        try add(
            "company receives a grant wider than the request", .company, r, upTo: 10,
            r.next(
                .consentGrant(
                    .init(
                        request: "cr1", tokenID: "t-1", token: "AgE", fields: [.givenName, .email], purpose: .booking,
                        expiresAt: Fixtures.berlin(23), retentionDays: 30)), from: .customer))
        try add(
            "company receives a deny for an unknown request", .company, r, upTo: 10,
            r.next(.consentDeny(.init(request: "cr9")), from: .customer))
        r = try prefix(12)  // disclosed, company to confirm
        var wrong = r.pair.confirmation()
        wrong.agreementDigest = String(repeating: "0", count: 64)
        try add(
            "customer receives a confirm with a wrong agreement digest", .customer, r, upTo: 12, r.next(.confirm(wrong), from: .company))
        var moved = r.pair.confirmation()
        moved.slot = Slot(start: Fixtures.berlin(16), end: Fixtures.berlin(17))
        try add("customer receives a confirm for another slot", .customer, r, upTo: 12, r.next(.confirm(moved), from: .company))
        // Every other term a confirm restates (§7, §5.6): each changed alone is agreement-mismatch.
        let tampered: [(String, (inout Message.Confirm) -> Void)] = [
            ("another price", { $0.price = Money(amount: 9500, currency: "EUR") }),
            (
                "other cancellation terms",
                { $0.cancellation = CancellationPolicy(freeUntilMinutesBefore: 525_600, fee: Money(amount: 4500, currency: "EUR")) }
            ),
            ("an add-on never accepted", { $0.addOns = ["newsletter"] }),
            ("another location", { $0.location = "Elsewhere 9, Potsdam" }),
            ("another time zone", { $0.timeZone = "America/New_York" }),
            ("another service", { $0.service = "haircut-men" }),
            ("a longer slot", { $0.slot = Slot(start: $0.slot.start, end: $0.slot.start.adding(seconds: 7 * 86_400)) }),
            ("a revision other than 0", { $0.revision = 1 }),
            ("a fee", { $0.fee = Money(amount: 100, currency: "EUR") }),
        ]
        for (name, change) in tampered {
            var confirm = r.pair.confirmation()
            change(&confirm)
            try add("customer receives a confirm with \(name)", .customer, r, upTo: 12, r.next(.confirm(confirm), from: .company))
        }
        // A cancel confirm of the booking this session confirmed restates its terms (§7).
        r = try prefix(13)  // booked
        try r.step(.cancel(.init(booking: "B-1")), from: .customer)
        var cancelled = r.pair.confirmation(status: .cancelled)
        cancelled.proposal = nil
        cancelled.revision = 1
        try add(
            "customer receives the cancel confirm of its booking", .customer, r, upTo: 14, r.next(.confirm(cancelled), from: .company))
        let cancelTampered: [(String, (inout Message.Confirm) -> Void)] = [
            ("another fee", { $0.fee = Money(amount: 9_000_000_000_000_000, currency: "EUR") }),
            ("another price", { $0.price = Money(amount: 9500, currency: "EUR") }),
            ("another slot", { $0.slot = Slot(start: Fixtures.berlin(16), end: Fixtures.berlin(17)) }),
        ]
        for (name, change) in cancelTampered {
            var confirm = cancelled
            change(&confirm)
            try add(
                "customer receives a cancel confirm with \(name) than the booking's", .customer, r, upTo: 14,
                r.next(.confirm(confirm), from: .company))
        }
        // Envelope rules.
        r = try prefix(1)
        try add(
            "company receives a hello that speaks no common version", .company, Recorder(), upTo: 0,
            Recorder().next(.hello(.init(versions: [2, 3], role: .customer)), from: .customer))
        try add(
            "company receives a hello claiming the company role", .company, Recorder(), upTo: 0,
            Recorder().next(.hello(.init(role: .company)), from: .customer))
        r = try prefix(3)
        try add(
            "company receives a new message id with an old sequence number", .company, r, upTo: 3,
            r.next(.close(.init(outcome: "done")), from: .customer, sequence: 1, id: "c-new"))
        try add(
            "company receives a used message id with another body", .company, r, upTo: 3,
            r.next(.close(.init(outcome: "done")), from: .customer, sequence: 2, id: "c2"))
        try add("company receives a duplicate of a processed message", .company, r, upTo: 3, full.log[2].1)
        try add(
            "company receives an envelope addressed to another agent", .company, r, upTo: 3,
            r.next(.close(.init(outcome: "done")), from: .customer, to: "elsewhere.example/bot"))
        // Terminal phase.
        try add(
            "company in closed receives a request", .company, full, upTo: full.log.count,
            full.next(.request(Fixtures.request), from: .customer))
        return vectors
    }

    @Test("Writes Spec/vectors/transitions.json when PARLEY_WRITE_VECTORS=1", .enabled(if: getenvString("PARLEY_WRITE_VECTORS") == "1"))
    func write() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(try Self.vectors())
        try data.write(to: Repository.root.appendingPathComponent(TransitionVectors.path))
    }
}
