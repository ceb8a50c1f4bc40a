public import Parley

/// The company of the fleet check (`parley-server --scenario fleet`, run by
/// `Examples/Server/fleet-check.sh`): a barber with one chair and one 15-minute service, open
/// 08:00–18:00 (Europe/Berlin) on a single day, so that exactly ``slotCount`` appointments exist.
///
/// The slot grid (15 minutes, ``CompanyPolicy/slotStepMinutes``) and the service's duration are
/// equal, so every booking takes exactly one grid slot and no order of bookings wastes time
/// between two of them: however customers race, the day holds ``slotCount`` bookings, no more
/// and no fewer. Being open on one day only, a customer who asks for the whole day gets no
/// counter-offer on another day once the day is full, but a `decline` (`no-availability`).
public enum Fleet {
    /// The bookable appointments of the day: 10 hours of 15-minute slots.
    public static let slotCount = 40

    /// The one service: a 15-minute trim, which needs the customer's given name for the booking.
    public static let trim = Service(
        id: "trim", category: "trim", title: "Beard trim", durationMinutes: 15, price: Money(amount: 1500, currency: "EUR"),
        requires: [Salons.nameForBooking])

    /// The opening hours: 08:00 to 18:00 on `day`, and no other day.
    public static func openingHours(on day: ScenarioDay) -> [TimeWindow] {
        [day.window(from: (8, 0), to: (18, 0))]
    }

    /// The start times customers ask for to cover the whole day: 08:00 to 17:45 on `day`.
    public static func wholeDay(_ day: ScenarioDay) -> TimeWindow {
        day.window(from: (8, 0), to: (17, 45))
    }

    /// The barber on any ``BookingStore`` (a database, say), its booking references starting
    /// with `prefix`, its sessions in `sessionStore` (a database shared by a fleet of instances,
    /// say). Its confirms are not signed.
    public static func company(
        store: any BookingStore, prefix: String = "B", sessionStore: any SessionStore = InMemorySessionStore()
    ) -> CompanyAgent {
        var policy = CompanyPolicy()
        policy.bookingPrefix = prefix
        policy.slotStepMinutes = trim.durationMinutes
        return CompanyAgent(
            profile: CompanyProfile(
                id: "barber.example/bot", name: "Barbier Nord", timeZone: World.timeZone, location: "Nordufer 3, 13353 Berlin"),
            catalogue: Catalogue(services: [trim]), store: store, policy: policy, sessionStore: sessionStore)
    }

    /// The barber run as a live service on `day` (e.g. tomorrow on the clock it runs on), its
    /// diary in memory and empty.
    public static func live(on day: ScenarioDay) -> (CompanyAgent, InMemoryBookingStore) {
        let store = InMemoryBookingStore(openingHours: openingHours(on: day))
        return (company(store: store), store)
    }
}
