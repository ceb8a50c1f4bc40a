import ParleyScenarios
import Testing

@testable import Parley

/// A company bot that says whatever a test tells it, with hand-made envelopes.
struct ScriptedCompany {
    let id: AgentID = "rogue.example/bot"
    var session: SessionID = "unset"
    var sequence = 0
    let customer: CustomerAgent
    let now = World.now

    /// Sends `message` to the customer and returns the customer's replies.
    mutating func say(_ message: Message, sequence explicit: Int? = nil, id messageID: MessageID? = nil) async -> [Envelope] {
        if explicit == nil { sequence += 1 }
        let envelope = Envelope(
            id: messageID ?? MessageID(stringLiteral: "r\(explicit ?? sequence)"), session: session, from: id, to: World.lisa,
            sequence: explicit ?? sequence, sentAt: now, message: message)
        return await customer.handle(.envelope(envelope), now: now).envelopes
    }

    /// Delivers bytes the customer cannot decode.
    func garble(_ error: ParleyError, sequence: Int?) async -> [Envelope] {
        await customer.handle(.undecodable(error, session: session, from: id, sequence: sequence), now: now).envelopes
    }

    static func open(wishes: Wishes = Scenarios.haircutWishes) async -> (ScriptedCompany, [Envelope]) {
        let customer = Stage().lisa(wishes: wishes)
        var company = ScriptedCompany(customer: customer)
        let (session, output) = await customer.open(.book(collecting: false), with: company.id)
        company.session = session
        let replies = await company.say(.hello(.init(role: .company)))
        return (company, output.envelopes + replies)
    }
}

extension [Envelope] {
    var errorCodes: [String] {
        compactMap { if case .error(let report) = $0.message { report.code } else { nil } }
    }

    var disclosesAnything: Bool {
        contains {
            switch $0.message {
            case .disclose, .consentGrant: return true
            case .accept(let accept): return !accept.disclosures.isEmpty || !accept.grants.isEmpty
            default: return false
            }
        }
    }
}

@Suite("S9 bad peers: precise errors, nothing disclosed, the session ends cleanly or goes on")
struct BadPeerTests {
    static let tenOClock = Proposal(
        id: "p1", service: "haircut-women", slot: Slot(start: World.may(3, 10), end: World.may(3, 10, 45)), timeZone: World.timeZone,
        price: Money(amount: 4500, currency: "EUR"), requires: [Salons.nameForBooking], expiresAt: World.now.adding(minutes: 15))

    @Test("(a) an offer outside the asked window is rejected with offer-outside-window, and the session goes on")
    func offerOutsideWindow() async {
        var (company, opening) = await ScriptedCompany.open()
        #expect(opening.map(\.kind) == [.hello, .request])
        var outside = Self.tenOClock
        outside.id = "p-out"
        outside.slot = Slot(start: World.may(3, 15), end: World.may(3, 15, 45))
        let replies = await company.say(.offer(.init(proposals: [outside])))
        #expect(replies.errorCodes == ["offer-outside-window"])
        #expect(!replies.disclosesAnything)
        // The session goes on: a proper counter-offer is answered (with the next window).
        let next = await company.say(.counterOffer(.init(proposals: [outside])))
        #expect(next.map(\.kind) == [.counterRequest])
    }

    @Test("(b) a consent request for more fields than the service needs is refused; nothing is disclosed")
    func excessiveDataRequest() async {
        var (company, _) = await ScriptedCompany.open()
        var replies = await company.say(.decline(.init(reason: "no-availability")))
        #expect(replies.map(\.kind) == [.request])  // the second window
        replies = await company.say(.offer(.init(proposals: [Self.tenOClock])))
        #expect(replies.map(\.kind) == [.accept])
        replies = await company.say(
            .consentRequest(.init(id: "cr1", fields: [.givenName, .phone], purpose: .booking, retentionDays: 30)))
        #expect(replies.errorCodes == ["excessive-data-request"])
        #expect(!replies.disclosesAnything)
        replies = await company.say(.consentRequest(.init(id: "cr2", fields: [.givenName], purpose: .marketing, retentionDays: 30)))
        #expect(replies.errorCodes == ["excessive-data-request"])
        #expect(!replies.disclosesAnything)
    }

    @Test("(c) replays: an old message again gets the same reply and no second effect; an old number with a new id is refused")
    func replays() async {
        var (company, _) = await ScriptedCompany.open()
        let offer = Message.offer(.init(proposals: [Self.tenOClock]))
        _ = await company.say(.decline(.init(reason: "no-availability")))
        let first = await company.say(offer)
        #expect(first.map(\.kind) == [.accept])
        let again = await company.say(offer, sequence: company.sequence, id: MessageID(stringLiteral: "r\(company.sequence)"))
        #expect(again == first, "a duplicate must get the original reply, byte for byte")
        let replayed = await company.say(offer, sequence: 1, id: "r-new")
        #expect(replayed.errorCodes == ["replayed-message"])
        let conflict = await company.say(
            .close(.init(outcome: "done")), sequence: company.sequence, id: MessageID(stringLiteral: "r\(company.sequence)"))
        #expect(conflict.errorCodes == ["duplicate-conflict"])
    }

    @Test("(d) malformed or oversized JSON gets a typed error and the session goes on")
    func malformedInput() async {
        var (company, _) = await ScriptedCompany.open()
        company.sequence += 1
        let replies = await company.garble(ParleyError(.malformedJSON, "truncated"), sequence: company.sequence)
        #expect(replies.errorCodes == ["malformed-json"])
        let oversized = await company.garble(ParleyError(.tooLarge, "70000 bytes"), sequence: nil)
        #expect(oversized.errorCodes == ["too-large"])
        let next = await company.say(.offer(.init(proposals: [Self.tenOClock])))
        #expect(next.errorCodes == ["offer-outside-window"])  // 10:00 is not in the first window (12:00)
    }

    @Test("(e) a message illegal in the current phase is unexpected-message; after too many errors the session fails")
    func illegalMessage() async {
        var (company, _) = await ScriptedCompany.open()
        var replies = await company.say(.consentRequest(.init(id: "cr1", fields: [.givenName], purpose: .booking, retentionDays: 30)))
        #expect(replies.errorCodes == ["unexpected-message"])
        #expect(!replies.disclosesAnything)
        for _ in 0..<8 {
            replies = await company.say(.consentRequest(.init(id: "cr1", fields: [.givenName], purpose: .booking, retentionDays: 30)))
        }
        #expect(replies.errorCodes.last == "limit-exceeded")
        #expect(await company.customer.isFinished(company.session))
        if case .failed(let error)? = await company.customer.outcome(of: company.session) {
            #expect(error.code == .limitExceeded)
        } else {
            Issue.record("expected a failed outcome")
        }
    }
}
