import Testing

@testable import Parley

/// `Spec/PROTOCOL.md` §7 and §5.6: every term a `confirm` restates must be the agreed one, for
/// both roles. A company may not send such a confirm, and a customer that receives one fails the
/// session with `agreement-mismatch`.
@Suite("Confirm terms")
struct ConfirmTermsTests {
    /// One way to change a term of an otherwise correct confirmation.
    struct Tampering: CustomStringConvertible, Sendable {
        var description: String
        var change: @Sendable (inout Message.Confirm) -> Void
    }

    static let tamperings: [Tampering] = [
        Tampering(description: "price") { $0.price = Money(amount: 9500, currency: "EUR") },
        Tampering(description: "price currency") { $0.price = Money(amount: 4500, currency: "USD") },
        Tampering(description: "cancellation never free") {
            $0.cancellation = CancellationPolicy(freeUntilMinutesBefore: 525_600, fee: Money(amount: 4500, currency: "EUR"))
        },
        Tampering(description: "cancellation fee") {
            $0.cancellation = CancellationPolicy(freeUntilMinutesBefore: 1440, fee: Money(amount: 9_000_000_000_000_000, currency: "EUR"))
        },
        Tampering(description: "add-on not accepted") { $0.addOns = ["newsletter"] },
        Tampering(description: "location") { $0.location = "Elsewhere 9, Potsdam" },
        Tampering(description: "location dropped") { $0.location = nil },
        Tampering(description: "time zone") { $0.timeZone = "America/New_York" },
        Tampering(description: "service") { $0.service = "haircut-men" },
        Tampering(description: "slot end (duration)") {
            $0.slot = Slot(start: $0.slot.start, end: $0.slot.start.adding(seconds: 7 * 86_400))
        },
        Tampering(description: "revision") { $0.revision = 3 },
        Tampering(description: "fee on a booking") { $0.fee = Money(amount: 100, currency: "EUR") },
    ]

    /// A session accepted `p2` (with `addOns`) and disclosed the name: the company is to confirm.
    static func accepted(addOns: [AddOnID] = []) throws -> Pair {
        var pair = Pair()
        try pair.exchange(.hello(.init(role: .customer)), from: .customer)
        try pair.exchange(.hello(.init(role: .company)), from: .company)
        try pair.exchange(.request(Fixtures.request), from: .customer)
        try pair.exchange(.offer(.init(proposals: [Fixtures.proposal("p2", at: 10)])), from: .company)
        try pair.exchange(.accept(.init(proposal: "p2", addOns: addOns)), from: .customer)
        try pair.exchange(.consentRequest(Fixtures.consentRequest), from: .company)
        try pair.exchange(.consentGrant(Fixtures.grant), from: .customer)
        try pair.exchange(.disclose(Fixtures.disclose), from: .customer)
        return pair
    }

    /// The company's confirm as an envelope, sent past the company's own checks.
    static func envelope(_ confirm: Message.Confirm) -> Envelope {
        SampleMessages.envelope(.confirm(confirm), from: .company, sequence: 4, id: "k-confirm")
    }

    @Test("A customer fails the session on a confirm that changes a term", arguments: tamperings)
    func customerRefuses(_ tampering: Tampering) throws {
        var pair = try Self.accepted()
        var confirm = pair.confirmation()
        tampering.change(&confirm)
        let actions = pair.customer.messageReceived(Self.envelope(confirm), now: pair.now)
        #expect(actions.compactMap(\.delivered).isEmpty)
        #expect(pair.customer.phase == .failed)
        #expect(pair.customer.end?.error?.code == .agreementMismatch)
        #expect(pair.customer.booking == nil)
    }

    @Test("A company may not send a confirm that changes a term", arguments: tamperings)
    func companyMayNotSend(_ tampering: Tampering) throws {
        var pair = try Self.accepted()
        var confirm = pair.confirmation()
        tampering.change(&confirm)
        #expect(throws: ParleyError.self) { try pair.company.send(.confirm(confirm), now: pair.now) }
        do {
            _ = try pair.company.send(.confirm(confirm), now: pair.now)
        } catch {
            #expect(error.code == .agreementMismatch)
        }
        #expect(pair.company.phase == .accepted)
    }

    @Test("The untampered confirm books, with the price of the accepted add-ons")
    func agreedTermsBook() throws {
        var pair = try Self.accepted(addOns: ["newsletter"])
        let confirm = pair.confirmation()
        #expect(confirm.price == Money(amount: 4050, currency: "EUR"))  // 45.00 less 10 %
        #expect(confirm.addOns == ["newsletter"])
        let replies = try pair.exchange(.confirm(confirm), from: .company)
        #expect(replies.compactMap(\.rejection).isEmpty)
        #expect(pair.customer.phase == .booked && pair.company.phase == .booked)
    }

    @Test("A confirm that drops an accepted add-on, or charges its undiscounted price, is refused")
    func acceptedAddOnsBind() throws {
        var pair = try Self.accepted(addOns: ["newsletter"])
        var dropped = pair.confirmation()
        dropped.addOns = []
        var undiscounted = pair.confirmation()
        undiscounted.price = Money(amount: 4500, currency: "EUR")
        for confirm in [dropped, undiscounted] {
            var customer = pair.customer
            _ = customer.messageReceived(Self.envelope(confirm), now: pair.now)
            #expect(customer.end?.error?.code == .agreementMismatch)
        }
        #expect(throws: ParleyError.self) { try pair.company.send(.confirm(dropped), now: pair.now) }
    }

    @Test("The agreed price: add-on prices added, then the discounts taken off, rounded toward zero")
    func agreedPrice() {
        let proposal = Proposal(
            id: "p", service: "table", slot: Slot(start: Fixtures.berlin(19), end: Fixtures.berlin(21)), timeZone: "Europe/Berlin",
            price: Money(amount: 999, currency: "EUR"),
            addOns: [
                AddOn(id: "wine", text: "Wine", price: Money(amount: 1001, currency: "EUR"), promotional: false),
                AddOn(id: "a", text: "A", discountPercent: 15, promotional: true),
                AddOn(id: "b", text: "B", discountPercent: 95, promotional: true),
            ], expiresAt: Fixtures.now.adding(minutes: 15))
        #expect(proposal.price(withAddOns: []) == Money(amount: 999, currency: "EUR"))
        #expect(proposal.price(withAddOns: ["wine"]) == Money(amount: 2000, currency: "EUR"))
        #expect(proposal.price(withAddOns: ["a"]) == Money(amount: 999 - 149, currency: "EUR"))
        #expect(proposal.price(withAddOns: ["a", "b", "wine"]) == Money(amount: 0, currency: "EUR"))
    }

    @Test("A cancel confirm of this session's booking restates its terms; a fee is the agreed one")
    func cancellationOfThisSessionsBooking() throws {
        var pair = try Self.accepted()
        try pair.exchange(.confirm(pair.confirmation()), from: .company)
        try pair.exchange(.cancel(.init(booking: "B-1")), from: .customer)
        var cancel = pair.confirmation(status: .cancelled)
        cancel.proposal = nil
        cancel.revision = 1
        cancel.fee = Money(amount: 1000, currency: "EUR")
        cancel.agreementDigest = pair.company.agreementDigest
        var overcharged = cancel
        overcharged.fee = Money(amount: 9_000_000_000_000_000, currency: "EUR")
        var moved = cancel
        moved.price = Money(amount: 1, currency: "EUR")
        for tampered in [overcharged, moved] {
            var customer = pair.customer
            _ = customer.messageReceived(SampleMessages.envelope(.confirm(tampered), from: .company, sequence: 5, id: "k5"), now: pair.now)
            #expect(customer.end?.error?.code == .agreementMismatch)
        }
        let replies = try pair.exchange(.confirm(cancel), from: .company)
        #expect(replies.compactMap(\.rejection).isEmpty)
        #expect(pair.customer.phase == .ready)
    }

    @Test("An add-on priced in another currency than its proposal is invalid")
    func addOnCurrency() {
        let json = """
            {"id":"p","service":"table","slot":{"start":"2026-05-03T17:00:00Z","end":"2026-05-03T19:00:00Z"},\
            "timeZone":"Europe/Berlin","price":{"amount":100,"currency":"EUR"},"cancellation":{"freeUntilMinutesBefore":0},\
            "addOns":[{"id":"w","text":"Wine","price":{"amount":5,"currency":"USD"},"promotional":false}],\
            "expiresAt":"2026-05-03T10:00:00Z"}
            """
        #expect(throws: ParleyError.self) { try Proposal(json: try JSONParser.parse(Array(json.utf8)), path: "p") }
    }
}
