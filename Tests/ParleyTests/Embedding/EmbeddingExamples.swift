import Parley

// The code of README.md's "Embedding Parley" section, compiled and run by EmbeddingTests.
// README.md's code blocks must appear here verbatim (EmbeddingTests checks that).

/// For the company developer: weekly opening hours, holidays and several chairs.
func salonStore() -> InMemoryBookingStore {
    // BEGIN README hours
    var hours = OpeningHours(timeZone: "Europe/Berlin")
    hours.open(Weekday.workdays, from: "09:00", to: "18:00")
    hours.open([.saturday], from: "09:00", to: "14:00")
    hours.close(on: ["2026-05-01", "2026-12-25", "2026-12-26"])  // dates in the salon's time zone
    let store = InMemoryBookingStore(
        hours: hours,
        resources: [
            Resource(id: "chair-1", services: ["haircut-women", "haircut-men"]),
            Resource(id: "chair-2", services: ["haircut-women", "haircut-men"]),
            Resource(id: "colour-station", services: ["colour"]),
        ])
    // END README hours
    return store
}

/// For the company developer: a salon bot serving on a transport.
func startSalon(on transport: InProcessTransport, clock: any AgentClock, openingHours: [TimeWindow]) -> CompanyAgent {
    // BEGIN README company
    let salon = CompanyAgent(
        profile: CompanyProfile(id: "salon.example/bot", name: "Salon Krause", timeZone: "Europe/Berlin"),
        catalogue: Catalogue(services: [
            Service(
                id: "haircut-women", category: "haircut", title: "Women's haircut", durationMinutes: 45,
                price: Money(amount: 4500, currency: "EUR"),
                requires: [DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)])
        ]),
        store: InMemoryBookingStore(openingHours: openingHours))  // or your own BookingStore
    Task { await salon.serve(transport, clock: clock) }
    // END README company
    return salon
}

/// For the customer-assistant developer: Lisa's assistant books a haircut.
func bookHaircut(
    over transport: InProcessTransport, clock: any AgentClock, windows: [TimeWindow], preferredStart: Instant,
    askThePerson: @escaping @Sendable (ApprovalRequest) async -> Bool
) async -> (NegotiationOutcome, String) {
    var generator = SystemRandomNumberGenerator()
    // BEGIN README customer
    let assistant = CustomerAgent(
        id: "assistant.example/lisa",
        wishes: Wishes(
            service: "haircut", windows: windows, preferredStart: preferredStart,
            priceCeiling: Money(amount: 6000, currency: "EUR"), answers: ["service": "haircut-women"]),
        policy: PrivacyPolicy(rules: [
            .booking: .init(fields: [.givenName], decision: .allow),
            .marketing: .init(fields: [.email], decision: .ask, minimumDiscountPercent: 15),
        ]),
        personalData: [.givenName: "Lisa", .email: "lisa@example.org"],
        consentKey: ConsentRootKey(using: &generator),  // keep it: it signs every consent token
        approval: askThePerson,
        clock: clock)
    await assistant.connect(to: "salon.example/bot", over: transport)
    let summary: String
    switch await assistant.book(at: "salon.example/bot") {
    case .booked(let booking):
        summary = "Booked \(booking.reference) for \(booking.confirmation.slot.start)"
    case .noReservationNeeded(let text, _):
        summary = text
    case .handedOff(let handoff):
        summary = "A person will contact you by \(handoff.channel)"
    case .noAgreement(.noSuitableProposal(let refusals)):
        summary = "No offer was acceptable: \(refusals.map(\.summary).joined(separator: "; "))"
    case .noAgreement(.declined(let reason, let text)):
        summary = "The salon declined (\(reason)): \(text ?? "")"
    case .noAgreement(let reason):
        summary = "No booking: \(reason.summary)"
    case .cancelled, .revocationDelivered:
        summary = "Not a booking"  // what cancel(_:) and revoke(_:at:) lead to
    case .failed(let error):
        summary = "Failed: \(error.code)"
    }
    // END README customer
    return (await assistant.bookings.values.first.map { .booked($0) } ?? .noAgreement(.closedByCompany(outcome: summary)), summary)
}
