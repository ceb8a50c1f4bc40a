import Testing

@testable import Parley

/// `MAX_ERRORS` and fatal rejections (`Spec/PROTOCOL.md` §8).
@Suite("Error limit")
struct ErrorLimitTests {
    static func fromCustomer(_ sequence: Int, _ message: Message) -> Envelope {
        Envelope(
            id: MessageID(stringLiteral: "c\(sequence)"), session: Fixtures.session, from: Fixtures.customer, to: Fixtures.salon,
            sequence: sequence, sentAt: Fixtures.now, message: message)
    }

    static func finishes(_ actions: [SessionAction]) -> [SessionEnd] {
        actions.compactMap { if case .finish(let end) = $0 { end } else { nil } }
    }

    @Test("A fatal rejection after MAX_ERRORS rejected messages ends the session once, with the fatal error, not limit-exceeded too")
    func fatalRejectionIsNotCounted() {
        var company = SessionStateMachine(role: .company, session: Fixtures.session, local: Fixtures.salon, peer: nil)
        for sequence in 1...8 {
            let actions = company.messageReceived(Self.fromCustomer(sequence, .accept(.init(proposal: "p1"))), now: Fixtures.now)
            #expect(actions.compactMap(\.rejection).map(\.code) == [.unexpectedMessage])
            #expect(Self.finishes(actions).isEmpty && company.phase == .start)
        }
        let hello = Self.fromCustomer(9, .hello(.init(versions: [99], role: .customer)))
        let actions = company.messageReceived(hello, now: Fixtures.now)
        #expect(Self.finishes(actions).map { $0.error?.code } == [.noCommonVersion], "one finish, for the fatal error")
        #expect(actions.compactMap(\.sentEnvelope).count == 1, "one error reply")
        #expect(company.phase == .failed && company.end?.error?.code == .noCommonVersion)
    }

    @Test("The ninth non-fatal rejection fails the session with limit-exceeded, once")
    func ninthRejectionFails() {
        var company = SessionStateMachine(role: .company, session: Fixtures.session, local: Fixtures.salon, peer: nil)
        var ends: [SessionEnd] = []
        for sequence in 1...9 {
            ends += Self.finishes(company.messageReceived(Self.fromCustomer(sequence, .accept(.init(proposal: "p1"))), now: Fixtures.now))
        }
        #expect(ends.map { $0.error?.code } == [.limitExceeded])
        #expect(company.phase == .failed)
    }

    @Test("MAX_ERRORS rejections are answered with their own errors; the next is answered by one fatal limit-exceeded naming it")
    func exactlyMaxErrorsAreAnswered() {
        var company = SessionStateMachine(role: .company, session: Fixtures.session, local: Fixtures.salon, peer: nil)
        let limit = company.configuration.maximumErrors
        for sequence in 1...limit {
            let replies = company.messageReceived(Self.fromCustomer(sequence, .accept(.init(proposal: "p1"))), now: Fixtures.now)
                .compactMap(\.sentEnvelope)
            #expect(replies.count == 1 && replies.first?.inReplyTo == MessageID(stringLiteral: "c\(sequence)"))
            if case .error(let report)? = replies.first?.message { #expect(report.code == "unexpected-message") }
            #expect(company.phase == .start)
        }
        let last = MessageID(stringLiteral: "c\(limit + 1)")
        let actions = company.messageReceived(Self.fromCustomer(limit + 1, .accept(.init(proposal: "p1"))), now: Fixtures.now)
        let replies = actions.compactMap(\.sentEnvelope)
        #expect(replies.count == 1, "one reply, not the rejection and then the limit")
        guard case .error(let report)? = replies.first?.message else {
            Issue.record("expected an error, got \(replies.map(\.kind))")
            return
        }
        #expect(report.code == "limit-exceeded" && report.offending == last && replies.first?.inReplyTo == last)
        #expect(company.phase == .failed && Self.finishes(actions).count == 1)
    }
}
