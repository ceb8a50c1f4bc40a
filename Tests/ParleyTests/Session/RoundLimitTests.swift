import Testing

@testable import Parley

@Suite("MAX_ROUNDS: a negotiation cannot go round forever")
struct RoundLimitTests {
    /// A pair after hello and `rounds` request/offer rounds (the first a `request`, then `counter-request`s).
    static func pair(afterRounds rounds: Int) throws -> Pair {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        for round in 1...rounds {
            let ask = Message.Request(service: "haircut", windows: Fixtures.request.windows)
            try pair.exchange(round == 1 ? .request(ask) : .counterRequest(ask), from: .customer)
            try pair.exchange(.offer(.init(proposals: [Fixtures.proposal(ProposalID(stringLiteral: "p\(round)"), at: 10)])), from: .company)
        }
        return pair
    }

    @Test("Both sides count the same rounds; the 16th is still fine")
    func withinTheLimit() throws {
        let pair = try Self.pair(afterRounds: SessionStateMachine.Configuration().maximumRounds)
        #expect(pair.customer.rounds == 16 && pair.company.rounds == 16)
        #expect(pair.customer.phase == .offered && pair.company.phase == .offered)
    }

    @Test("A customer that asks for a 17th round gets limit-exceeded and the session fails on both sides")
    func receivedOverTheLimit() throws {
        var pair = try Self.pair(afterRounds: 16)
        // A peer that ignores its own limit: the envelope is built by hand.
        let envelope = Envelope(
            id: "c-extra", session: Fixtures.session, from: Fixtures.customer, to: Fixtures.salon, sequence: pair.customer.nextSequence,
            sentAt: pair.now, message: .counterRequest(.init(service: "haircut", windows: Fixtures.request.windows)))
        let actions = pair.company.messageReceived(envelope, now: pair.now)
        let sent = actions.compactMap(\.sentEnvelope)
        guard case .error(let report) = sent.first?.message else {
            Issue.record("expected an error, got \(sent.map(\.kind))")
            return
        }
        #expect(report.code == "limit-exceeded" && report.offending == "c-extra")
        #expect(sent.first?.inReplyTo == "c-extra")
        #expect(pair.company.phase == .failed)
        #expect(pair.company.end?.error?.code == .limitExceeded)
        #expect(!actions.contains { if case .deliver = $0 { true } else { false } }, "the extra round must not reach the agent")
        // The customer's machine takes the fatal error and fails too.
        _ = pair.customer.messageReceived(sent[0], now: pair.now)
        #expect(pair.customer.phase == .failed)
    }

    @Test("Our own side does not send a 17th round: the session fails with limit-exceeded instead")
    func sentOverTheLimit() throws {
        var pair = try Self.pair(afterRounds: 16)
        let actions = try pair.customer.send(.counterRequest(.init(service: "haircut", windows: Fixtures.request.windows)), now: pair.now)
        let kinds = actions.compactMap(\.sentEnvelope).map(\.kind)
        #expect(kinds == [.error])
        #expect(pair.customer.phase == .failed)
        #expect(pair.customer.end?.error?.code == .limitExceeded && pair.customer.end?.error?.fault == .local)
    }

    @Test("Answers to the company's questions count too: a question loop ends at the limit")
    func questionLoop() throws {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        try pair.exchange(.request(Fixtures.request), from: .customer)
        var exchanges = 0
        while pair.company.phase == .requested {
            exchanges += 1
            let id = QuestionID(stringLiteral: "q\(exchanges)")
            try pair.exchange(.question(.init(id: id, topic: "service", text: "Which service, really?")), from: .company)
            _ = try pair.exchange(.answer(.init(question: id, value: "haircut-women")), from: .customer)
            if exchanges > 100 { break }
        }
        // The request is round 1 and answers 1 to 15 are rounds 2 to 16: the 16th answer is one too many.
        #expect(exchanges == 16)
        #expect(pair.customer.phase == .failed && pair.company.phase == .failed)
    }
}
