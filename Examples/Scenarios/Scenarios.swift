public import Parley

/// The reference scenarios of `scenarios.md`, played between real agents.
public enum Scenarios {
    /// Lisa's wishes for S1: ideally 12:00 on 3 May, 10:00–12:00 also fine, a women's haircut, at most 60 €.
    public static let haircutWishes = haircutWishes(on: World.s1Day)

    /// Lisa's S1 wishes laid out on `day`: ideally 12:00, 10:00–12:00 also fine, a women's haircut, at most 60 €.
    public static func haircutWishes(on day: ScenarioDay) -> Wishes {
        Wishes(
            service: "haircut", windows: [day.window(from: (12, 0), to: (12, 0)), day.window(from: (10, 0), to: (12, 0))],
            preferredStart: day.at(12), priceCeiling: Money(amount: 6000, currency: "EUR"), answers: ["service": "haircut-women"])
    }

    /// S1: the 2018 hair-salon call, bot to bot.
    public static func haircut(stage: Stage = Stage()) async -> ScenarioRun {
        await book(at: Salons.salon(on: stage.day), customer: stage.lisa(wishes: haircutWishes(on: stage.day)), stage: stage)
    }

    /// Connects `customer` to one company, books, and collects the run.
    public static func book(at company: (CompanyAgent, InMemoryBookingStore), customer: CustomerAgent, stage: Stage) async -> ScenarioRun {
        let (agent, store) = company
        await stage.connect(customer, to: agent)
        let outcome = await customer.book(at: agent.profile.id)
        return await ScenarioRun(
            outcome: outcome, customer: customer, companies: [agent.profile.id: agent], stores: [agent.profile.id: store],
            transcripts: customer.allTranscripts())
    }

    /// Lisa's wishes for S2: a table for four next Wednesday (6 May) at 18:00.
    public static let restaurantWishes = restaurantWishes(on: ScenarioDay(year: 2026, month: 5, day: 6))

    /// Lisa's S2 wishes laid out on `day`: a table for four at 18:00.
    public static func restaurantWishes(on day: ScenarioDay) -> Wishes {
        Wishes(
            service: "table", windows: [day.window(from: (18, 0), to: (18, 0))], preferredStart: day.at(18), partySize: 4,
            walkInQuestions: ["wait-time": "How long is the wait usually?"])
    }

    /// S2: a table for four next Wednesday at 18:00 at a restaurant that books only from five.
    public static func restaurant(stage: Stage = Stage()) async -> ScenarioRun {
        await book(
            at: Salons.restaurant(openingHours: [stage.restaurantDay.window(from: (17, 0), to: (23, 0))]),
            customer: stage.lisa(wishes: restaurantWishes(on: stage.restaurantDay)), stage: stage)
    }

    /// S3: three salons asked at once; the offer nearest 12:00 (then the cheapest) wins.
    public static func threeSalons(stage: Stage = Stage()) async -> ScenarioRun {
        let hours = [stage.day.window(from: (9, 0), to: (18, 0))]
        func busyExcept(_ free: (Int, Int)) -> [BookingRecord] {
            // Everything on 3 May is taken except one 45-minute slot.
            let start = stage.day.at(free.0, free.1)
            return [
                BookingRecord(
                    id: "X-a", customer: "assistant.example/other", session: "s-earlier", service: "haircut-women",
                    slot: Slot(start: stage.day.at(9), end: start), price: Money(amount: 0, currency: "EUR"), heldFor: nil),
                BookingRecord(
                    id: "X-b", customer: "assistant.example/other", session: "s-earlier", service: "haircut-women",
                    slot: Slot(start: start.adding(minutes: 45), end: stage.day.at(18)), price: Money(amount: 0, currency: "EUR"),
                    heldFor: nil),
            ]
        }
        let (north, northStore) = Salons.salon(
            id: "north.example/bot", name: "Salon Nord", price: 5000, bookings: busyExcept((12, 30)), openingHours: hours, prefix: "N")
        let (centre, centreStore) = Salons.salon(
            id: "centre.example/bot", name: "Salon Mitte", price: 5500, bookings: busyExcept((12, 0)), openingHours: hours, prefix: "M")
        let (south, southStore) = Salons.salon(
            id: "south.example/bot", name: "Salon Süd", price: 4000, bookings: busyExcept((11, 30)), openingHours: hours, prefix: "S")
        let wishes = Wishes(
            service: "haircut-women", windows: [stage.day.window(from: (10, 0), to: (14, 0))], preferredStart: stage.day.at(12),
            priceCeiling: Money(amount: 6000, currency: "EUR"))
        let lisa = stage.lisa(wishes: wishes)
        for salon in [north, centre, south] { await stage.connect(lisa, to: salon) }
        let outcome = await lisa.book(atAnyOf: [north.profile.id, centre.profile.id, south.profile.id])
        return await ScenarioRun(
            outcome: outcome, customer: lisa,
            companies: [north.profile.id: north, centre.profile.id: centre, south.profile.id: south],
            stores: [north.profile.id: northStore, centre.profile.id: centreStore, south.profile.id: southStore],
            transcripts: lisa.allTranscripts())
    }

    /// The three policies of S4.
    public enum MarketingPolicy: String, Sendable, CaseIterable {
        /// "Never marketing."
        case never
        /// "Marketing allowed for at least 15 % off."
        case forAtLeast15Percent
        /// "Ask me."
        case askMe
    }

    /// S4: a salon offers 10 % off for marketing e-mail; the person's policy decides.
    public static func giveAndTake(policy choice: MarketingPolicy, personSays: Bool = false, stage: Stage = Stage()) async -> (
        ScenarioRun, asked: Int
    ) {
        var rules = World.bookingOnlyPolicy.rules
        switch choice {
        case .never: break
        case .forAtLeast15Percent: rules[.marketing] = .init(fields: [.email], decision: .allow, minimumDiscountPercent: 15)
        case .askMe: rules[.marketing] = .init(fields: [.email], decision: .ask)
        }
        let counter = ApprovalCounter(answer: personSays)
        let wishes = Wishes(
            service: "haircut-women", windows: [stage.day.window(from: (10, 0), to: (12, 0))], preferredStart: stage.day.at(10),
            priceCeiling: Money(amount: 6000, currency: "EUR"))
        let lisa = stage.lisa(wishes: wishes, policy: PrivacyPolicy(rules: rules), approval: { request in await counter.ask(request) })
        let run = await book(
            at: Salons.salon(
                addOns: [Salons.newsletterDiscount], bookings: [], openingHours: [stage.day.window(from: (9, 0), to: (18, 0))]),
            customer: lisa, stage: stage)
        return (run, await counter.count)
    }

    /// S7: a colour treatment needs a consultation: the salon hands over to a person.
    public static func handoff(stage: Stage = Stage()) async -> ScenarioRun {
        let wishes = Wishes(service: "colour", windows: [stage.day.window(from: (9, 0), to: (17, 0))], preferredStart: stage.day.at(14))
        return await book(at: Salons.salon(on: stage.day), customer: stage.lisa(wishes: wishes), stage: stage)
    }
}

/// Stands in for the person in S4: answers approval requests and counts them.
actor ApprovalCounter {
    let answer: Bool
    private(set) var count = 0
    private(set) var requests: [ApprovalRequest] = []

    init(answer: Bool) {
        self.answer = answer
    }

    func ask(_ request: ApprovalRequest) -> Bool {
        count += 1
        requests.append(request)
        return answer
    }
}
