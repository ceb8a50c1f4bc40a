public import Parley

/// The companies of the scenarios.
public enum Salons {
    /// A women's haircut needs a first name to hold the booking, kept 30 days.
    public static let nameForBooking = DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)

    /// The hair salon's catalogue: two haircuts (so "haircut" is ambiguous) and a colour treatment
    /// that needs a consultation.
    public static func catalogue(price: Int64 = 4500, addOns: [AddOn] = []) -> Catalogue {
        Catalogue(services: [
            Service(
                id: "haircut-women", category: "haircut", title: "Women's haircut", durationMinutes: 45,
                price: Money(amount: price, currency: "EUR"), requires: [nameForBooking], addOns: addOns),
            Service(
                id: "haircut-women-long", category: "haircut", title: "Wash, cut and blow-dry", durationMinutes: 75,
                price: Money(amount: price + 2000, currency: "EUR"), requires: [nameForBooking], addOns: addOns),
            Service(
                id: "colour", category: "colour", title: "Colour treatment", durationMinutes: 120,
                price: Money(amount: 9000, currency: "EUR"), requires: [nameForBooking], needsConsultation: true),
        ])
    }

    /// Opening hours on 3 May 2026: 09:00 to 18:00.
    public static let openingHours = [World.window(may: 3, from: (9, 0), to: (18, 0))]

    /// The S1 salon's diary on 3 May: 12:00 is taken, 10:00 is free for 45 minutes only.
    public static func s1Bookings() -> [BookingRecord] { s1Bookings(on: World.s1Day) }

    /// The S1 salon's diary laid out on `day`: 12:00 is taken, 10:00 is free for 45 minutes only.
    public static func s1Bookings(on day: ScenarioDay) -> [BookingRecord] {
        [
            World.taken("X-1", on: day, from: (9, 0), to: (10, 0)),
            World.taken("X-2", on: day, from: (10, 45), to: (11, 45)),
            World.taken("X-3", on: day, from: (11, 45), to: (13, 15)),
            World.taken("X-4", on: day, from: (14, 30), to: (15, 30)),
        ]
    }

    /// The salon of S1.
    public static func salon(
        id: AgentID = "salon.example/bot", name: String = "Salon Krause", price: Int64 = 4500, addOns: [AddOn] = [],
        bookings: [BookingRecord] = s1Bookings(), openingHours: [TimeWindow] = openingHours, prefix: String = "B",
        signingKey: SigningKey? = World.salonSigningKey
    ) -> (CompanyAgent, InMemoryBookingStore) {
        let store = InMemoryBookingStore(openingHours: openingHours, bookings: bookings)
        return (salon(store: store, id: id, name: name, price: price, addOns: addOns, prefix: prefix, signingKey: signingKey), store)
    }

    /// The salon of S1 on any ``BookingStore`` (a database, say), its booking references
    /// starting with `prefix`; it signs its confirms with `signingKey` when one is given, and
    /// keeps its sessions in `sessionStore` (a database shared by every instance, say).
    public static func salon(
        store: any BookingStore, id: AgentID = "salon.example/bot", name: String = "Salon Krause", price: Int64 = 4500,
        addOns: [AddOn] = [], prefix: String = "B", signingKey: SigningKey? = World.salonSigningKey,
        sessionStore: any SessionStore = InMemorySessionStore()
    ) -> CompanyAgent {
        var policy = CompanyPolicy()
        policy.bookingPrefix = prefix
        return CompanyAgent(
            profile: CompanyProfile(id: id, name: name, timeZone: World.timeZone, location: "Hauptstraße 1, 10827 Berlin"),
            catalogue: catalogue(price: price, addOns: addOns), store: store, policy: policy, signingKey: signingKey,
            sessionStore: sessionStore)
    }

    /// The S1 salon with its diary and opening hours (09:00–18:00) laid out on `day`.
    public static func salon(on day: ScenarioDay) -> (CompanyAgent, InMemoryBookingStore) {
        salon(bookings: s1Bookings(on: day), openingHours: [day.window(from: (9, 0), to: (18, 0))])
    }

    /// The S1 salon run as a live service from `day` on (e.g. tomorrow on the clock it runs on):
    /// open 09:00–18:00 for 14 days, with the S1 diary on `day`.
    public static func liveSalon(from day: ScenarioDay) -> (CompanyAgent, InMemoryBookingStore) {
        salon(bookings: s1Bookings(on: day), openingHours: day.daily(from: (9, 0), to: (18, 0), count: 14))
    }

    /// The S2 restaurant run as a live service from `day` on: open 17:00–23:00 for 14 days.
    public static func liveRestaurant(from day: ScenarioDay) -> (CompanyAgent, InMemoryBookingStore) {
        restaurant(openingHours: day.daily(from: (17, 0), to: (23, 0), count: 14))
    }

    /// The restaurant of S2: reservations only from five people; quiet on Wednesdays. Open
    /// 17:00–23:00 on 6 May 2026 unless other `openingHours` are given.
    public static func restaurant(
        openingHours: [TimeWindow] = [World.window(may: 6, from: (17, 0), to: (23, 0))]
    ) -> (CompanyAgent, InMemoryBookingStore) {
        let store = InMemoryBookingStore(openingHours: openingHours)
        return (restaurant(store: store), store)
    }

    /// The restaurant of S2 on any ``BookingStore`` (a database, say), its booking references
    /// starting with `prefix`, its sessions in `sessionStore`.
    public static func restaurant(
        store: any BookingStore, prefix: String = "B", sessionStore: any SessionStore = InMemorySessionStore()
    ) -> CompanyAgent {
        var policy = CompanyPolicy()
        policy.bookingPrefix = prefix
        policy.minimumPartySize = 5
        policy.walkInText = "We only take reservations for five or more. For four, just come in."
        policy.answers = ["wait-time": "Wednesday evenings are quiet: on that day you will get a table straight away."]
        return CompanyAgent(
            profile: CompanyProfile(id: "trattoria.example/bot", name: "Trattoria Roma", timeZone: World.timeZone),
            catalogue: Catalogue(services: [
                Service(id: "table", category: "table", title: "Table", durationMinutes: 120, price: Money(amount: 0, currency: "EUR"))
            ]),
            store: store, policy: policy, sessionStore: sessionStore)
    }

    /// The promotional add-on of S4: 10 % off for allowing marketing e-mail.
    public static let newsletterDiscount = AddOn(
        id: "newsletter-10", text: "10 % off if you allow marketing e-mail", discountPercent: 10,
        requires: [DataRequirement(fields: [.email], purpose: .marketing, retentionDays: 365)], promotional: true)
}
