/// A deterministic simulation: many customer agents negotiate with one company agent over a
/// seeded, faulty network on virtual time. Nothing depends on the wall clock or on scheduling:
/// every step runs in one task, in an order fixed by the seed, so a seed replays exactly.
///
/// The company runs a salon open every day for a year; each customer wants one appointment on a
/// random day and window. The network drops, duplicates, reorders and corrupts envelopes per the
/// configuration; the protocol's retransmission, duplicate handling and timers must still bring
/// every session to a typed outcome without double bookings or disclosures outside a grant.
public struct Simulation: Sendable {
    /// The configuration.
    public let configuration: SimulationConfiguration

    /// Creates a simulation with `configuration`; nothing runs until ``run(progress:)``.
    public init(_ configuration: SimulationConfiguration) {
        self.configuration = configuration
    }

    /// Runs the simulation to the end (until no event is left) and summarises it.
    ///
    /// - Parameter progress: Called with the number of sessions that have ended so far, each time
    ///   one ends (for a progress display; it does not change the run).
    public func run(progress: (@Sendable (_ sessionsEnded: Int) -> Void)? = nil) async -> SimulationSummary {
        var world = await SimulatedWorld(configuration: configuration)
        world.progress = progress
        await world.run()
        return await world.summary()
    }
}

/// The state of one simulation run.
struct SimulatedWorld {
    let configuration: SimulationConfiguration
    let company: CompanyAgent
    let store: InMemoryBookingStore
    let start = Instant(rfc3339: "2026-01-01T00:00:00Z")!
    var now: Instant
    var random: SeededRandom
    var queue = EventQueue()
    var customers: [AgentID: CustomerAgent] = [:]
    var sessions: [(customer: AgentID, session: SessionID)] = []
    var injectors: [LinkKey: FaultInjector] = [:]
    var timerGenerations: [TimerKey: Int] = [:]
    var launched = 0
    var ended: Set<SessionID> = []
    var summary: SimulationSummary
    /// Told the number of ended sessions each time one ends.
    var progress: (@Sendable (Int) -> Void)?

    struct LinkKey: Hashable {
        let session: SessionID
        let toCompany: Bool
    }

    struct TimerKey: Hashable {
        let agent: AgentID
        let session: SessionID
        let timer: SessionTimer
    }

    init(configuration: SimulationConfiguration) async {
        self.configuration = configuration
        now = start
        random = SeededRandom(seed: configuration.seed)
        summary = SimulationSummary(configuration: configuration)
        let berlin = LocalTime(timeZone: "Europe/Berlin")!
        var hours: [TimeWindow] = []
        for day in 0..<400 {
            let date = Instant.civil(fromDays: Int(start.secondsSinceEpoch / 86_400) + day)
            hours.append(
                TimeWindow(
                    start: berlin.instant(year: date.year, month: date.month, day: date.day, hour: 9),
                    end: berlin.instant(year: date.year, month: date.month, day: date.day, hour: 18)))
        }
        store = InMemoryBookingStore(openingHours: hours)
        let requirement = DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)
        company = CompanyAgent(
            profile: CompanyProfile(id: "salon.sim/bot", name: "Simulated Salon", timeZone: "Europe/Berlin"),
            catalogue: Catalogue(services: [
                Service(
                    id: "haircut-women", category: "haircut", title: "Women's haircut", durationMinutes: 45,
                    price: Money(amount: 4500, currency: "EUR"), requires: [requirement]),
                Service(
                    id: "haircut-men", category: "haircut", title: "Men's haircut", durationMinutes: 30,
                    price: Money(amount: 3000, currency: "EUR"), requires: [requirement]),
            ]),
            store: store)
    }
}
