@testable import Parley

/// Sample values from the hair-salon scenario (S1), used across tests.
enum Fixtures {
    static let customer: AgentID = "assistant.example/lisa"
    static let salon: AgentID = "salon.example/bot"
    static let session: SessionID = "s-0001"

    /// 3 May 2026 at `hour:minute` Europe/Berlin (CEST, UTC+2).
    static func berlin(_ hour: Int, _ minute: Int = 0) -> Instant {
        Instant(rfc3339: "2026-05-03T00:00:00Z")!.adding(seconds: Int64((hour - 2) * 3600 + minute * 60))
    }

    static let now = Instant(rfc3339: "2026-04-30T09:00:00Z")!

    static let request = Message.Request(
        service: "haircut", windows: [TimeWindow(start: berlin(8), end: berlin(18))], preferredStart: berlin(12),
        priceCeiling: Money(amount: 6000, currency: "EUR"))

    static func proposal(_ id: ProposalID, at hour: Int, _ minute: Int = 0, expiresAt: Instant? = nil) -> Proposal {
        Proposal(
            id: id, service: "haircut-women", slot: Slot(start: berlin(hour, minute), end: berlin(hour, minute + 45)),
            timeZone: "Europe/Berlin", price: Money(amount: 4500, currency: "EUR"),
            cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: Money(amount: 1000, currency: "EUR")),
            requires: [DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)],
            addOns: [
                AddOn(
                    id: "newsletter", text: "10 % off if you allow marketing e-mail", discountPercent: 10,
                    requires: [DataRequirement(fields: [.email], purpose: .marketing, retentionDays: 365)], promotional: true)
            ],
            expiresAt: expiresAt ?? now.adding(minutes: 15), location: "Hauptstraße 1, Berlin")
    }

    static let consentRequest = Message.ConsentRequest(
        id: "cr1", fields: [.givenName], purpose: .booking, retentionDays: 30, text: "We need a first name to hold the booking.")

    static let grant = Message.ConsentGrant(
        request: "cr1", tokenID: "t-1", token: "AgEOaHR0cDovL215YmFuay8", fields: [.givenName], purpose: .booking,
        expiresAt: berlin(23), retentionDays: 30)

    static let disclose = Message.Disclose(tokenID: "t-1", data: [.givenName: "Lisa"])
}

/// Two state machines wired back to back, for lockstep tests of both roles.
struct Pair {
    var customer = SessionStateMachine(role: .customer, session: Fixtures.session, local: Fixtures.customer, peer: Fixtures.salon)
    var company = SessionStateMachine(role: .company, session: Fixtures.session, local: Fixtures.salon, peer: nil)
    var now = Fixtures.now

    /// Sends `message` from `role` and delivers every resulting envelope to the other side.
    /// Returns the other side's actions.
    @discardableResult
    mutating func exchange(_ message: Message, from role: Role) throws(ParleyError) -> [SessionAction] {
        let sent = role == .customer ? try customer.send(message, now: now) : try company.send(message, now: now)
        var replies: [SessionAction] = []
        for case .send(let envelope) in sent {
            if role == .customer {
                replies += company.messageReceived(envelope, now: now)
            } else {
                replies += customer.messageReceived(envelope, now: now)
            }
        }
        return replies
    }

    /// Confirms the accepted proposal from the company's side with the right digest.
    func confirmation(booking: BookingReference = "B-1", status: BookingStatus = .booked) -> Message.Confirm {
        let accepted = company.acceptedProposal!
        return Message.Confirm(
            booking: booking, status: status, proposal: accepted.id, service: accepted.service, slot: accepted.slot,
            timeZone: accepted.timeZone, price: accepted.price(withAddOns: company.acceptedAddOns),
            cancellation: accepted.cancellation, addOns: company.acceptedAddOns, location: accepted.location, heldFor: "Lisa",
            agreementDigest: company.agreementDigest)
    }
}

extension SessionAction {
    var sentEnvelope: Envelope? {
        if case .send(let envelope) = self { return envelope }
        return nil
    }

    var rejection: ParleyError? {
        if case .rejected(let error) = self { return error }
        return nil
    }

    var delivered: Envelope? {
        if case .deliver(let envelope) = self { return envelope }
        return nil
    }
}

extension CompanyAgent {
    /// Sessions held in the agent's in-memory session store, open or finished.
    var storedSessionCount: Int {
        get async { await (sessionStore as? InMemorySessionStore)?.count ?? 0 }
    }
}

/// Whether `reference` has the form the company agent gives booking references: the policy's
/// prefix, a hyphen and ten base-32 digits (Crockford's alphabet).
func isBookingReference(_ reference: BookingReference, prefix: String) -> Bool {
    let text = reference.rawValue
    guard text.hasPrefix(prefix + "-") else { return false }
    let digits = text.dropFirst(prefix.count + 1)
    return digits.count == 10 && digits.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) }
}
