public import Parley

/// The company the benchmarks negotiate with: `parley-bench` in process, and
/// `parley-server --scenario bench` over HTTP, so that the two figures are for the same
/// negotiation. One service (the S1 women's haircut, which needs a first name), no signing key,
/// and a booking store that always has room: the figures measure the protocol and its
/// bindings, not a calendar search, and a long run never fills the diary.
public enum BenchmarkSalon {
    /// The benchmark company's agent id.
    public static let id: AgentID = "salon.example/bot"

    /// The start every benchmark negotiation asks for: 10:00 Berlin (08:00Z) on 3 May 2026.
    public static let start = LocalTime(timeZone: World.timeZone)!.instant(year: 2026, month: 5, day: 3, hour: 10)

    /// An instant before ``start`` to run the benchmark's clock at: 30 April 2026, 09:00Z.
    public static let now = Instant(rfc3339: "2026-04-30T09:00:00Z")!

    /// The benchmark company, its sessions in `sessionStore`, with `limits` (the spec's by default).
    public static func agent(limits: ServiceLimits = ServiceLimits(), sessionStore: any SessionStore = InMemorySessionStore())
        -> CompanyAgent
    {
        CompanyAgent(
            profile: CompanyProfile(id: id, name: "Salon", timeZone: World.timeZone),
            catalogue: Catalogue(services: [
                Service(
                    id: "haircut-women", category: "haircut", title: "Women's haircut", durationMinutes: 45,
                    price: Money(amount: 4500, currency: "EUR"), requires: [Salons.nameForBooking])
            ]),
            store: RoomyBookingStore(), limits: limits, sessionStore: sessionStore)
    }
}

/// A booking store that admits every hold and commit and keeps nothing: the benchmark
/// company's, so that benchmarks measure the protocol rather than a calendar. It knows no
/// booking afterwards, so a cancellation or a reschedule against it fails.
public actor RoomyBookingStore: BookingStore {
    /// How many bookings were committed.
    public private(set) var committed = 0

    /// Creates an empty store.
    public init() {}

    public func isFree(_ slot: Slot, ignoring session: SessionID?, now: Instant) -> Bool { true }
    public func isFree(_ slot: Slot, service: String, ignoring session: SessionID?, now: Instant) -> Bool { true }
    public func hold(_ slot: Slot, for session: SessionID, until: Instant, now: Instant) -> Bool { true }
    public func hold(_ slot: Slot, service: String, for session: SessionID, until: Instant, now: Instant) -> Bool { true }
    public func commit(_ booking: BookingRecord, now: Instant) -> Bool {
        committed += 1
        return true
    }
    public func release(session: SessionID) {}
    public func booking(_ reference: BookingReference) -> BookingRecord? { nil }
    public func update(_ booking: BookingRecord, now: Instant) -> Bool { true }
    public func activeBookings() -> [BookingRecord] { [] }
}
