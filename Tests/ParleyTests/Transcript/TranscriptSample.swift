@testable import Parley

/// A small S1-like session built by hand (hair salon, 3 May 2026, Europe/Berlin), for the
/// transcript and calendar tests.
enum TranscriptSample {
    static let customer: AgentID = "assistant.example/lisa"
    static let salon: AgentID = "salon.example/bot"
    static let session: SessionID = "s-transcript"
    static let zone = "Europe/Berlin"

    /// 3 May 2026 at `hour:minute` Europe/Berlin (CEST, UTC+2).
    static func berlin(_ hour: Int, _ minute: Int = 0) -> Instant {
        Instant(rfc3339: "2026-05-03T00:00:00Z")!.adding(seconds: Int64((hour - 2) * 3600 + minute * 60))
    }

    /// 30 April 2026 11:00:00 Berlin, when the session starts.
    static let start = Instant(rfc3339: "2026-04-30T09:00:00Z")!

    static func proposal(_ id: ProposalID, at hour: Int, _ minute: Int = 0) -> Proposal {
        Proposal(
            id: id, service: "haircut-women", slot: Slot(start: berlin(hour, minute), end: berlin(hour, minute + 45)),
            timeZone: zone, price: Money(amount: 4500, currency: "EUR"),
            cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: Money(amount: 1000, currency: "EUR")),
            requires: [DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)],
            expiresAt: start.adding(minutes: 15), location: "Hauptstraße 1, Berlin")
    }

    static func confirm(
        status: BookingStatus = .booked, at hour: Int = 10, revision: Int = 0, location: String? = "Hauptstraße 1, Berlin"
    ) -> Message.Confirm {
        Message.Confirm(
            booking: "B-1", status: status, proposal: status == .cancelled ? nil : "p2", service: "haircut-women",
            slot: Slot(start: berlin(hour), end: berlin(hour, 45)), timeZone: zone, price: Money(amount: 4500, currency: "EUR"),
            cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: Money(amount: 1000, currency: "EUR")),
            location: location, heldFor: "Lisa", revision: revision, agreementDigest: String(repeating: "a", count: 64))
    }

    /// The S1 messages in order, with their senders.
    static let messages: [(Role, Message)] = [
        (.customer, .hello(.init(role: .customer))),
        (.company, .hello(.init(role: .company, name: "Salon \"Schnitt\"; #1", services: ["haircut-women", "haircut-men"]))),
        (
            .customer,
            .request(
                .init(
                    service: "haircut", windows: [TimeWindow(start: berlin(12), end: berlin(12))], preferredStart: berlin(12),
                    priceCeiling: Money(amount: 6000, currency: "EUR")))
        ),
        (.company, .counterOffer(.init(proposals: [proposal("p1", at: 13, 15)]))),
        (.customer, .counterRequest(.init(service: "haircut", windows: [TimeWindow(start: berlin(10), end: berlin(12))]))),
        (
            .company,
            .question(
                .init(
                    id: "q1", topic: "service", text: "Which service exactly?",
                    options: [.init(value: "haircut-women", label: "Women's haircut"), .init(value: "haircut-men", label: "Men's haircut")])
            )
        ),
        (.customer, .answer(.init(question: "q1", value: "haircut-women"))),
        (.company, .offer(.init(proposals: [proposal("p2", at: 10)]))),
        (.customer, .accept(.init(proposal: "p2"))),
        (
            .company,
            .consentRequest(.init(id: "cr1", fields: [.givenName], purpose: .booking, retentionDays: 30, text: "We need a first name."))
        ),
        (
            .customer,
            .consentGrant(
                .init(
                    request: "cr1", tokenID: "t-1", token: "AgEOaHR0cDovL215YmFuay8", fields: [.givenName], purpose: .booking,
                    expiresAt: berlin(23), retentionDays: 30))
        ),
        (.customer, .disclose(.init(tokenID: "t-1", data: [.givenName: "Lisa"]))),
        (.company, .confirm(confirm())),
        (.customer, .error(.init(code: "agreement-mismatch", text: "digest differs\nforged line", offending: "m-13", retryable: false))),
        (.customer, .close(.init(outcome: "booked"))),
    ]

    /// The envelopes of ``messages``, one second apart, numbered per sender.
    static var envelopes: [Envelope] {
        var sequences: [Role: Int] = [:]
        return messages.enumerated().map { index, entry in
            let (role, message) = entry
            sequences[role, default: 0] += 1
            return Envelope(
                id: MessageID(rawValue: "m-\(index + 1)")!, session: session, from: role == .customer ? customer : salon,
                to: role == .customer ? salon : customer, sequence: sequences[role]!,
                sentAt: start.adding(seconds: Int64(index)), message: message)
        }
    }

    static func transcript() throws -> Transcript {
        var transcript = Transcript(session: session, customer: customer, company: salon)
        for envelope in envelopes {
            try transcript.append(envelope)
        }
        return transcript
    }
}
