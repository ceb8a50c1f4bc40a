import Parley

// The code of the article "Build a company's service bot"
// (Sources/Parley/Parley.docc/BuildACompanyServiceBot.md), compiled here and run by
// ArticleTests. Each region between `// BEGIN DOCS name` and `// END DOCS name` stands in the
// article verbatim, and every Swift block of the article is one of these regions
// (ArticleCodeTests checks both).

/// A salon bot as the article builds it, step by step.
enum CompanyBotArticle {
    static func catalogue() -> Catalogue {
        // BEGIN DOCS company-catalogue
        let catalogue = Catalogue(services: [
            Service(
                id: "haircut-women", category: "haircut", title: "Women's haircut", durationMinutes: 45,
                price: Money(amount: 4500, currency: "EUR"),
                requires: [DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)],
                addOns: [
                    AddOn(
                        id: "newsletter", text: "10 % off if we may e-mail you our offers", discountPercent: 10,
                        requires: [DataRequirement(fields: [.email], purpose: .marketing, retentionDays: 365)],
                        promotional: true)
                ]),
            Service(
                id: "haircut-men", category: "haircut", title: "Men's haircut", durationMinutes: 30,
                price: Money(amount: 3000, currency: "EUR"),
                requires: [DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)]),
            Service(
                id: "colour-consultation", category: "colour", title: "Colour consultation", durationMinutes: 30,
                price: Money(amount: 0, currency: "EUR"), needsConsultation: true),
        ])
        // END DOCS company-catalogue
        return catalogue
    }

    static func store() -> InMemoryBookingStore {
        // BEGIN DOCS company-hours
        let berlin = LocalTime(timeZone: "Europe/Berlin")!
        var openingHours: [TimeWindow] = []
        for day in 4...9 {  // Monday 4 May to Saturday 9 May 2026, 9:00 to 18:00 in Berlin
            openingHours.append(
                TimeWindow(
                    start: berlin.instant(year: 2026, month: 5, day: day, hour: 9),
                    end: berlin.instant(year: 2026, month: 5, day: day, hour: 18)))
        }
        let store = InMemoryBookingStore(openingHours: openingHours)
        // END DOCS company-hours
        return store
    }

    static func policy() -> CompanyPolicy {
        // BEGIN DOCS company-policy
        var policy = CompanyPolicy()
        policy.offerValidityMinutes = 10  // an offer holds for ten minutes
        policy.proposalsPerOffer = 3
        policy.cancellation = CancellationPolicy(freeUntilMinutesBefore: 24 * 60, fee: Money(amount: 1500, currency: "EUR"))
        policy.handoffChannel = "phone"  // consultations are handed to a person, by phone
        policy.bookingPrefix = "KR"  // booking references such as KR-4X7Q2M9ZTB
        // END DOCS company-policy
        return policy
    }

    /// Starts the salon on `transport`; `notifyStaff` hears of every session handed to a person.
    static func start(
        on transport: InProcessTransport, clock: any AgentClock,
        notifyStaff: @escaping @Sendable (SessionID, [Envelope]) async -> Void
    ) -> CompanyAgent {
        let (catalogue, store, policy) = (catalogue(), store(), policy())
        // BEGIN DOCS company-serve
        let salon = CompanyAgent(
            profile: CompanyProfile(id: "salon.example/bot", name: "Salon Krause", timeZone: "Europe/Berlin"),
            catalogue: catalogue, store: store, policy: policy)
        Task { await salon.serve(transport, clock: clock) }
        // END DOCS company-serve
        // BEGIN DOCS company-handoff
        Task {
            for await event in salon.events {
                if case .phaseChanged(let session, _, to: .handedOff) = event {
                    await notifyStaff(session, await salon.transcript(of: session))
                }
            }
        }
        // END DOCS company-handoff
        return salon
    }

    /// Reads the customer's given name for the booking, and tries to use it for marketing.
    static func greeting(for booking: BookingReference, salon: CompanyAgent, clock: any AgentClock) async throws -> String {
        // BEGIN DOCS company-data
        let name = try await salon.personalData(.givenName, of: booking, for: .booking, at: clock.now)
        let greeting = "Dear \(name), see you soon."

        // The token allows the booking purpose only: any other use is refused.
        do {
            _ = try await salon.personalData(.givenName, of: booking, for: .marketing, at: clock.now)
        } catch {
            print(error.code)  // token-purpose-not-allowed
        }
        // END DOCS company-data
        return greeting
    }
}
