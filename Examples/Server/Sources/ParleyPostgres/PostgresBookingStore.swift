import Foundation
import Logging
import Parley
import PostgresNIO

/// A ``Parley/BookingStore`` on PostgreSQL: holds and bookings are rows of one table, and the
/// database itself refuses a double booking.
///
/// Every live hold and every booking is a row of `parley_reservations` with its resource and its
/// time range; the exclusion constraint `parley_no_double_booking`
/// (`EXCLUDE USING gist (company WITH =, resource WITH =, during WITH &&) WHERE (status <> 'cancelled')`)
/// makes two overlapping rows on one resource impossible, whichever instance or process writes
/// them. A hold or a booking is written with `INSERT … ON CONFLICT DO NOTHING RETURNING`: a row
/// back means it won, none means the slot was taken — there is no check-then-insert in Swift.
/// Expired holds are deleted by the writer that needs their space, in the same transaction (a
/// constraint cannot read the clock), so an expired hold never blocks anyone.
///
/// Opening hours and resources are configuration, checked in Swift before writing; what the
/// database enforces is occupancy. Several companies can share one table: each store names its
/// `company`, which is part of every key and of the constraint.
///
/// ```swift
/// let client = PostgresClient(configuration: try .init(databaseURL: "postgres://parley@127.0.0.1:5432/parley"))
/// // run `client.run()` in a task (or as an application service), then:
/// try await BookingSchema.migrate(client, logger: logger)
/// let store = PostgresBookingStore(client: client, company: "salon.example", hours: hours, resources: chairs, logger: logger)
/// let agent = CompanyAgent(profile: profile, catalogue: catalogue, store: store)
/// ```
///
/// ``Parley/BookingStore`` methods cannot throw: a database error is logged and reported as
/// "not free" / `false` / `nil` / `[]`, which never books twice but can refuse a slot that was free.
public struct PostgresBookingStore: BookingStore {
    /// When the store is open: fixed windows or weekly hours.
    enum Calendar: Sendable {
        case windows([TimeWindow])
        case weekly(OpeningHours)

        func contains(_ slot: Slot) -> Bool {
            switch self {
            case .windows(let windows): windows.contains { $0.start <= slot.start && slot.end <= $0.end }
            case .weekly(let hours): hours.contains(slot)
            }
        }
    }

    let client: PostgresClient
    /// The company whose diary this is; rows of other companies are never read or written.
    public let company: String
    /// The resources, in the order they are tried.
    public let resources: [Resource]
    let calendar: Calendar
    let logger: Logger
    let roundTrips: RoundTripCounter?

    /// A store for `company` open during weekly `hours`, with `resources` (one general resource
    /// if none are given). Run ``BookingSchema/migrate(_:logger:)`` once before using it; pass
    /// `roundTrips` to count the statements it sends.
    public init(
        client: PostgresClient, company: String, hours: OpeningHours, resources: [Resource] = [], logger: Logger,
        roundTrips: RoundTripCounter? = nil
    ) {
        self.init(client: client, company: company, calendar: .weekly(hours), resources: resources, logger: logger, roundTrips: roundTrips)
    }

    /// A store for `company` open during fixed `openingHours` windows, with `resources` (one
    /// general resource if none are given). Run ``BookingSchema/migrate(_:logger:)`` once before
    /// using it; pass `roundTrips` to count the statements it sends.
    public init(
        client: PostgresClient, company: String, openingHours: [TimeWindow], resources: [Resource] = [], logger: Logger,
        roundTrips: RoundTripCounter? = nil
    ) {
        self.init(
            client: client, company: company, calendar: .windows(openingHours), resources: resources, logger: logger, roundTrips: roundTrips
        )
    }

    init(client: PostgresClient, company: String, calendar: Calendar, resources: [Resource], logger: Logger, roundTrips: RoundTripCounter?)
    {
        self.client = client
        self.company = company
        self.calendar = calendar
        self.resources = resources.isEmpty ? [Resource(id: "default")] : resources
        self.logger = logger
        self.roundTrips = roundTrips
    }

    /// Adds `bookings` that are not stored yet (by reference), each on its own resource or the
    /// first that provides its service: the diary a new deployment starts with. Bookings already
    /// stored, and bookings whose slot is taken, are left out; returns the references added.
    @discardableResult
    public func seed(_ bookings: [BookingRecord]) async throws -> [BookingReference] {
        var added: [BookingReference] = []
        for booking in bookings {
            let resource = booking.resource ?? (resources.first { $0.provides(booking.service) } ?? resources[0]).id
            let rows = try await self.query(insertBooking(booking, on: resource), logger: logger)
            for try await _ in rows.decode(Int64.self) { added.append(booking.id) }
        }
        return added
    }

    // MARK: - BookingStore

    /// Whether some open resource is free for `slot`; see ``Parley/BookingStore``.
    public func isFree(_ slot: Slot, ignoring session: SessionID?, now: Instant) async -> Bool {
        await firstFree(slot, service: nil, ignoring: session, now: now) != nil
    }

    /// Whether some open resource that provides `service` is free for `slot`; see ``Parley/BookingStore``.
    public func isFree(_ slot: Slot, service: String, ignoring session: SessionID?, now: Instant) async -> Bool {
        await firstFree(slot, service: service, ignoring: session, now: now) != nil
    }

    /// Which of `slots` are free for `service`, read in one query; see ``Parley/BookingStore``.
    public func freeSlots(_ slots: [Slot], service: String, ignoring session: SessionID?, now: Instant) async -> [Bool] {
        await freeSlotsInOneQuery(slots, service: service, ignoring: session, now: now)
    }

    /// Holds `slot` on any open resource, enforced by the database; see ``Parley/BookingStore``.
    public func hold(_ slot: Slot, for session: SessionID, until: Instant, now: Instant) async -> Bool {
        await reserve(slot, service: nil, for: session, until: until, now: now)
    }

    /// Holds `slot` on an open resource that provides `service`, enforced by the database; see ``Parley/BookingStore``.
    public func hold(_ slot: Slot, service: String, for session: SessionID, until: Instant, now: Instant) async -> Bool {
        await reserve(slot, service: service, for: session, until: until, now: now)
    }

    /// Turns the session's hold into `booking` (idempotently); see ``Parley/BookingStore``.
    public func commit(_ booking: BookingRecord, now: Instant) async -> Bool {
        await attempt("commit \(booking.id)", orElse: false) {
            if let stored = try await storedBooking(booking.id) { return Self.same(booking, stored) }
            do {
                if try await transaction({ connection in try await commit(booking, now: now, on: connection) }) { return true }
            } catch let error where Self.sqlState(of: error) == PostgresError.Code.uniqueViolation.raw {
                // Another commit under this reference won the race; below: was it this very booking?
            }
            // A concurrent commit of the very same booking won: that is success too.
            return try await storedBooking(booking.id).map { Self.same(booking, $0) } ?? false
        }
    }

    /// Drops the session's hold.
    public func release(session: SessionID) async {
        _ = await attempt("release \(session)", orElse: false) {
            try await self.query(
                "DELETE FROM parley_reservations WHERE company = \(company) AND kind = 'hold' AND session = \(session.rawValue)",
                logger: logger)
            return true
        }
    }

    /// The booking with `reference`, cancelled or not.
    public func booking(_ reference: BookingReference) async -> BookingRecord? {
        await attempt("read \(reference)", orElse: nil) { try await storedBooking(reference) }
    }

    /// Cancels, changes or moves a booking; a move is enforced by the database; see ``Parley/BookingStore``.
    public func update(_ booking: BookingRecord, now: Instant) async -> Bool {
        await attempt("update \(booking.id)", orElse: false) {
            guard let current = try await storedBooking(booking.id) else { return false }
            if booking.isCancelled || booking.slot == current.slot {
                return try await rewrite(booking, keeping: current)
            }
            return try await transaction { connection in
                try await move(booking, from: current, now: now, on: connection)
            }
        }
    }

    /// Every booking that is not cancelled, by start time.
    public func activeBookings() async -> [BookingRecord] {
        await attempt("list bookings", orElse: []) {
            try await records(
                self.query(
                    """
                    SELECT \(unescaped: Self.bookingColumns) FROM parley_reservations
                    WHERE company = \(company) AND kind = 'booking' AND status = 'booked' ORDER BY start_at, reference
                    """, logger: logger))
        }
    }
}
