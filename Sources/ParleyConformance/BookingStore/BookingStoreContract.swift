public import Parley

/// The contract every `BookingStore` must honour, as a suite of named checks that you
/// run against your own store: atomic holds, hold expiry, confirming, idempotent confirms,
/// cancelling, rescheduling, concurrent racers for one slot, weekly opening hours and several
/// resources.
///
/// The suite needs a fresh, empty store for every check, built from a ``Fixture``: the opening
/// hours, the resources and the bookings already in the diary. A store backed by a database
/// gives each check its own namespace (or empties its tables) in the factory.
///
/// ```swift
/// let contract = BookingStoreContract { fixture in
///     InMemoryBookingStore(hours: fixture.hours, resources: fixture.resources, bookings: fixture.bookings)
/// }
/// let report = await contract.run()
/// print(report.text)            // one line per check, then "N passed, N failed"
/// #expect(report.failed == 0, "\(report.text)")
/// ```
///
/// The suite has no test-framework dependency: it returns a ``BookingStoreContractReport`` and
/// your test target asserts on it. Every instant it uses is fixed (a week in June 2030, time
/// zone Europe/Berlin) and passed to the store as `now`, so the store must take time from its
/// arguments, never from a clock of its own.
public struct BookingStoreContract: Sendable {
    /// What a check's store starts with.
    public struct Fixture: Sendable {
        /// The check's name (see ``BookingStoreContract/checkNames``), unique in a run: a store
        /// backed by a database can use it to name the check's namespace.
        public var check: String
        /// When the store is open: Monday to Friday 09:00–18:00, Saturday 09:00–13:00, in
        /// Europe/Berlin, closed on Wednesday 5 June 2030.
        public var hours: OpeningHours
        /// The resources, in the order the store should try them; one general resource when the
        /// check does not care.
        public var resources: [Resource]
        /// Bookings already in the diary when the check starts.
        public var bookings: [BookingRecord]
    }

    /// Builds a fresh store for one check. A thrown error fails that check with the error as the reason.
    public typealias StoreFactory = @Sendable (Fixture) async throws -> any BookingStore

    /// How many concurrent tasks race for one slot in the race checks.
    public var racers: Int
    private let makeStore: StoreFactory

    /// A contract run that builds each check's store with `makeStore`; `racers` concurrent tasks
    /// (at least 2) race for one slot in the race checks.
    public init(racers: Int = 16, makeStore: @escaping StoreFactory) {
        self.racers = max(2, racers)
        self.makeStore = makeStore
    }

    /// The names of the checks, in run order.
    public static var checkNames: [String] { checks.map(\.name) }

    /// Runs the checks (those in `only` when it is given), one after another, each on a fresh store.
    public func run(only names: Set<String>? = nil) async -> BookingStoreContractReport {
        await StoreContractReport.run(Self.checks, only: names) { check in
            let fixture = Fixture(
                check: check.name, hours: ContractCalendar.hours, resources: check.resources, bookings: check.bookings)
            let store = try await makeStore(fixture)
            try await check.body(ContractContext(store: store, racers: racers))
        }
    }
}

/// One check of the contract.
struct ContractCheck: StoreContractCheck {
    var name: String
    var title: String
    var resources: [Resource] = [Resource(id: "chair-1")]
    var bookings: [BookingRecord] = []
    var body: @Sendable (ContractContext) async throws -> Void
}

/// A check's first broken expectation.
struct ContractFailure: Error {
    var reason: String
}

/// What a check works with: the store under test and helpers for its expectations.
struct ContractContext: Sendable {
    var store: any BookingStore
    var racers: Int

    /// Fails the check with `reason` unless `condition` holds.
    func expect(_ condition: Bool, _ reason: @autoclosure () -> String) throws {
        if !condition { throw ContractFailure(reason: reason()) }
    }

    /// The booking the session `session` would commit for `slot`.
    func record(
        _ reference: String, session: String, slot: Slot, service: String = "haircut", customer: String = "customer.example/bot"
    ) -> BookingRecord {
        BookingRecord(
            id: BookingReference(stringLiteral: reference), customer: AgentID(stringLiteral: customer),
            session: SessionID(stringLiteral: session), service: service, slot: slot, price: Money(amount: 4500, currency: "EUR"),
            heldFor: "Lisa")
    }

    /// Books `record` as an agent does: holds its slot for its session until `until`, then commits
    /// it; fails the check when the store refuses either.
    func book(_ record: BookingRecord, heldUntil until: Instant) async throws {
        try expect(
            await store.hold(record.slot, service: record.service, for: record.session, until: until, now: ContractCalendar.now),
            "hold of a free slot refused")
        try expect(await store.commit(record, now: ContractCalendar.now), "commit of a live hold refused")
    }

    /// A consent for `customer.example/bot`'s given name, as a company keeps it with a booking.
    func consent(token id: TokenID) throws -> BookingConsent {
        guard let key = ConsentRootKey(bytes: Array(repeating: 7, count: ConsentRootKey.byteCount)) else {
            throw ContractFailure(reason: "no root key")
        }
        let scope = ConsentScope(
            audience: "salon.example/bot", purposes: [.booking], fields: [.givenName],
            expiry: ContractCalendar.now.adding(minutes: 60 * 24 * 30))
        do {
            let token = try ConsentIssuer(agent: "customer.example/bot", rootKey: key).mint(id: id, scope: scope)
            let data = try ConsentedData(values: [.givenName: "Lisa"], token: token, holder: "salon.example/bot", session: "a")
            var receipt = ConsentReceipt(
                tokenID: id, issuer: "customer.example/bot", scope: scope, grantedAt: ContractCalendar.now,
                transcriptDigest: String(repeating: "0", count: 64))
            receipt.session = "a"
            return BookingConsent(token: token, receipt: receipt, data: data)
        } catch {
            throw ContractFailure(reason: "the contract's consent could not be made: \(error.message)")
        }
    }
}

/// The contract's fixed week: Monday 3 June 2030 to Sunday 9 June 2030, Europe/Berlin (UTC+2).
enum ContractCalendar {
    static let timeZone = "Europe/Berlin"
    static let local = LocalTime(timeZone: timeZone)

    static var hours: OpeningHours {
        var hours = OpeningHours(timeZone: timeZone)
        hours.open(Weekday.workdays, from: "09:00", to: "18:00")
        hours.open([.saturday], from: "09:00", to: "13:00")
        hours.close(on: ["2030-06-05"])
        return hours
    }

    /// The instant of `hour:minute` on `day` June 2030 in Europe/Berlin.
    static func at(_ hour: Int, _ minute: Int = 0, day: Int = 3) -> Instant {
        local?.instant(year: 2030, month: 6, day: day, hour: hour, minute: minute)
            ?? Instant(secondsSinceEpoch: 1_906_675_200 + Int64((day - 3) * 86_400 + (hour - 2) * 3600 + minute * 60))
    }

    /// The slot from `hour:minute` for `minutes` on `day` June 2030.
    static func slot(_ hour: Int, _ minute: Int = 0, minutes: Int = 45, day: Int = 3) -> Slot {
        let start = at(hour, minute, day: day)
        return Slot(start: start, end: start.adding(minutes: minutes))
    }

    /// A week before the slots: every hold taken at `now` is live for the whole check unless it says otherwise.
    static let now = at(8, day: 3).adding(minutes: -7 * 24 * 60)
}
