import ParleyScenarios
import Testing

@testable import Parley

/// The customer refuses what its wishes and policy do not allow, before accepting: unbounded
/// durations and cancellation terms (`TermLimits`), and proposals requiring data the privacy
/// policy does not share. Its outcomes are typed.
@Suite("Customer terms: bounds, decide before accepting, typed outcomes")
struct CustomerTermsTests {
    /// One window, 10:00–12:00 on 3 May; at most 60.00 EUR.
    static let wishes = Wishes(
        service: "haircut", windows: [World.window(may: 3, from: (10, 0), to: (12, 0))], preferredStart: World.may(3, 10),
        priceCeiling: Money(amount: 6000, currency: "EUR"), answers: ["service": "haircut-women"])

    static func proposal(
        _ id: ProposalID = "p1", minutes: Int = 45,
        cancellation: CancellationPolicy = CancellationPolicy(freeUntilMinutesBefore: 1440, fee: nil),
        requires: [DataRequirement] = [Salons.nameForBooking]
    ) -> Proposal {
        Proposal(
            id: id, service: "haircut-women", slot: Slot(start: World.may(3, 10), end: World.may(3, 10).adding(minutes: minutes)),
            timeZone: World.timeZone, price: Money(amount: 4500, currency: "EUR"), cancellation: cancellation, requires: requires,
            expiresAt: World.now.adding(minutes: 15))
    }

    static func open(
        wishes: Wishes = wishes, policy: PrivacyPolicy = World.bookingOnlyPolicy,
        approval: (@Sendable (ApprovalRequest) async -> Bool)? = nil
    ) async -> ScriptedCompany {
        let customer = Stage().lisa(wishes: wishes, policy: policy, approval: approval)
        var company = ScriptedCompany(customer: customer)
        let (session, _) = await customer.open(.book(collecting: false), with: company.id)
        company.session = session
        _ = await company.say(.hello(.init(role: .company)))
        return company
    }

    static func rejectText(_ replies: [Envelope]) -> String? {
        for case .reject(let reject) in replies.map(\.message) { return reject.text ?? "" }
        return nil
    }

    @Test(
        "Proposals beyond the default limits are rejected, not accepted",
        arguments: [
            ("a 7-day haircut", proposal(minutes: 7 * 24 * 60), ProposalRefusal.tooLong(minutes: 7 * 24 * 60)),
            (
                "a 9×10^13 EUR cancellation fee",
                proposal(
                    cancellation: CancellationPolicy(
                        freeUntilMinutesBefore: 1440, fee: Money(amount: 9_000_000_000_000_000, currency: "EUR"))),
                .cancellationFeeTooHigh(Money(amount: 9_000_000_000_000_000, currency: "EUR"))
            ),
            (
                "never free to cancel",
                proposal(cancellation: CancellationPolicy(freeUntilMinutesBefore: 525_600, fee: Money(amount: 4500, currency: "EUR"))),
                .cancellationNoticeTooLong(minutes: 525_600)
            ),
            (
                "a fee in another currency",
                proposal(cancellation: CancellationPolicy(freeUntilMinutesBefore: 60, fee: Money(amount: 100, currency: "USD"))),
                .cancellationFeeTooHigh(Money(amount: 100, currency: "USD"))
            ),
        ])
    func beyondLimits(_ name: String, _ proposal: Proposal, _ refusal: ProposalRefusal) async {
        var company = await Self.open()
        let replies = await company.say(.offer(.init(proposals: [proposal])))
        #expect(replies.map(\.kind) == [.reject, .close], "\(name)")
        #expect(Self.rejectText(replies)?.contains(refusal.summary) == true, "\(name)")
        let outcome = await company.customer.outcome(of: company.session)
        #expect(outcome == .noAgreement(.noSuitableProposal([refusal])), "\(name): \(outcome.map(\.summary) ?? "none")")
        #expect(Self.wishes.refusal(of: proposal) == refusal)
    }

    @Test("Terms within the limits are accepted; limits can be widened")
    func withinLimits() async {
        let fair = Self.proposal(cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: Money(amount: 4500, currency: "EUR")))
        var company = await Self.open()
        #expect(await company.say(.offer(.init(proposals: [fair]))).map(\.kind) == [.accept])

        var spa = Self.wishes
        spa.limits = TermLimits(maximumDurationMinutes: 7 * 24 * 60)
        var retreat = await Self.open(wishes: spa)
        #expect(await retreat.say(.offer(.init(proposals: [Self.proposal(minutes: 7 * 24 * 60)]))).map(\.kind) == [.accept])
    }

    @Test("A better-scored proposal outside the limits does not hide an acceptable one")
    func nextBest() async {
        var long = Self.proposal("p-long", minutes: 600)
        long.slot = Slot(start: World.may(3, 10), end: World.may(3, 20))
        var fine = Self.proposal("p-fine")
        fine.slot = Slot(start: World.may(3, 11), end: World.may(3, 11, 45))
        var company = await Self.open()
        let replies = await company.say(.offer(.init(proposals: [long, fine])))
        guard case .accept(let accept)? = replies.first?.message else {
            Issue.record("expected an accept, got \(replies.map(\.kind))")
            return
        }
        #expect(accept.proposal == "p-fine")
    }

    @Test("A proposal requiring data the policy refuses is rejected before accepting, naming the field")
    func requiresRefusedData() async {
        let needsPhone = Self.proposal(requires: [DataRequirement(fields: [.phone], purpose: .booking, retentionDays: 30)])
        var company = await Self.open()
        let replies = await company.say(.offer(.init(proposals: [needsPhone])))
        #expect(replies.map(\.kind) == [.reject, .close])
        #expect(Self.rejectText(replies)?.contains("phone") == true)
        #expect(!replies.disclosesAnything)
        let outcome = await company.customer.outcome(of: company.session)
        #expect(outcome == .noAgreement(.noSuitableProposal([.requiresRefusedData(fields: [.phone], purpose: .booking)])))
    }

    @Test("With an ask-me policy the person is asked once, before accepting; a no refuses the proposal")
    func askBeforeAccepting() async {
        let askMe = PrivacyPolicy(rules: [.booking: .init(fields: [.givenName], decision: .ask)])
        let asked = Counter()
        var refusing = await Self.open(policy: askMe) { _ in
            await asked.increment()
            return false
        }
        var replies = await refusing.say(.offer(.init(proposals: [Self.proposal()])))
        #expect(replies.map(\.kind) == [.reject, .close])
        #expect(await asked.value == 1)

        let approvals = Counter()
        var agreeing = await Self.open(policy: askMe) { _ in
            await approvals.increment()
            return true
        }
        replies = await agreeing.say(.offer(.init(proposals: [Self.proposal()])))
        #expect(replies.map(\.kind) == [.accept])
        replies = await agreeing.say(
            .consentRequest(.init(id: "cr1", fields: [.givenName], purpose: .booking, retentionDays: 30)))
        #expect(replies.map(\.kind) == [.consentGrant, .disclose])
        #expect(await approvals.value == 1, "the person is not asked again after accepting")
    }

    @Test("Outcomes are typed: a decline's reason, a timeout")
    func typedOutcomes() async {
        var declined = await Self.open()
        _ = await declined.say(.decline(.init(reason: "unknown-service", text: "We only cut hair.")))
        #expect(
            await declined.customer.outcome(of: declined.session) == .noAgreement(.declined(.unknownService, text: "We only cut hair.")))

        var refused = await Self.open()
        _ = await refused.say(.offer(.init(proposals: [Self.proposal()])))
        _ = await refused.say(.decline(.init(reason: "data-required")))
        #expect(await refused.customer.outcome(of: refused.session) == .noAgreement(.declined(.dataRequired, text: nil)))

        let silent = await Self.open()
        _ = await silent.customer.timerFired(.idle, session: silent.session, now: World.now.adding(seconds: 601))
        #expect(await silent.customer.outcome(of: silent.session) == .noAgreement(.timeout))
    }
}

extension CustomerTermsTests {
    /// A booking made in an earlier session: 45.00 EUR, free to cancel until a day before, then 10.00 EUR.
    static let earlier = Booking(
        company: "rogue.example/bot", session: "s-earlier",
        confirmation: Message.Confirm(
            booking: "B-7", status: .booked, proposal: "p1", service: "haircut-women",
            slot: Slot(start: World.may(3, 10), end: World.may(3, 10, 45)), timeZone: World.timeZone,
            price: Money(amount: 4500, currency: "EUR"),
            cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: Money(amount: 1000, currency: "EUR")),
            agreementDigest: String(repeating: "a", count: 64)), grants: [])

    @Test("Cancelling a booking of an earlier session: a confirm with another fee or price fails; the recorded terms pass")
    func cancelOfAnEarlierBooking() async throws {
        var honest = Self.earlier.confirmation
        honest.status = .cancelled
        honest.proposal = nil
        honest.revision = 1
        honest.fee = Money(amount: 1000, currency: "EUR")
        var overcharged = honest
        overcharged.fee = Money(amount: 9_000_000_000_000_000, currency: "EUR")
        var repriced = honest
        repriced.price = Money(amount: 9500, currency: "EUR")
        for (confirm, passes) in [(honest, true), (overcharged, false), (repriced, false)] {
            let customer = Stage().lisa(wishes: Self.wishes)
            var company = ScriptedCompany(customer: customer)
            let (session, _) = await customer.open(.cancel(Self.earlier), with: company.id)
            company.session = session
            let opening = await company.say(.hello(.init(role: .company)))
            #expect(opening.map(\.kind) == [.cancel])
            var sent = confirm
            sent.agreementDigest = try #require(await customer.sessions[session]?.machine.agreementDigest)
            let replies = await company.say(.confirm(sent))
            let outcome = await customer.outcome(of: session)
            if passes {
                #expect(replies.map(\.kind) == [.close])
                guard case .cancelled(let booking)? = outcome else {
                    Issue.record("expected cancelled, got \(outcome.map(\.summary) ?? "nothing")")
                    continue
                }
                #expect(booking.confirmation.fee == Money(amount: 1000, currency: "EUR"))
            } else {
                #expect(replies.errorCodes == ["agreement-mismatch"])
                #expect(outcome.map(\.summary) == "failed: agreement-mismatch")
            }
        }
    }
}

/// Counts calls across tasks.
private actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
