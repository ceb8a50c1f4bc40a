import Foundation
import Logging
import Parley
import PostgresNIO

/// Thrown inside a transaction to roll it back: the store refuses, the database did not fail.
struct Refused: Error {}

extension PostgresBookingStore {
    static let bookingColumns =
        "reference, customer, session, service, start_at, end_at, price_amount, price_currency, held_for, revision, status, resource, consents"

    // MARK: Reading

    func storedBooking(_ reference: BookingReference) async throws -> BookingRecord? {
        try await records(
            self.query(
                """
                SELECT \(unescaped: Self.bookingColumns) FROM parley_reservations
                WHERE company = \(company) AND kind = 'booking' AND reference = \(reference.rawValue)
                """, logger: logger)
        ).first
    }

    func records(_ rows: PostgresRowSequence) async throws -> [BookingRecord] {
        var result: [BookingRecord] = []
        for try await (reference, customer, session, service, start, end, amount, currency, heldFor, revision, status, resource, consents)
            in rows
            .decode((String, String, String, String, Date, Date, Int64, String, String?, Int64, String, String, String).self)
        {
            guard let id = BookingReference(rawValue: reference), let customer = AgentID(rawValue: customer),
                let session = SessionID(rawValue: session)
            else {
                logger.error("skipping a stored booking with an invalid identifier", metadata: ["reference": "\(reference)"])
                continue
            }
            result.append(
                BookingRecord(
                    id: id, customer: customer, session: session, service: service, slot: Slot(start: Instant(start), end: Instant(end)),
                    price: Money(amount: amount, currency: currency), heldFor: heldFor, revision: Int(revision),
                    isCancelled: status == "cancelled", resource: resource, consents: Self.consents(fromJSON: consents)))
        }
        return result
    }

    /// The consents kept with a booking, as the JSON text of the `consents` column.
    static func json(_ consents: [BookingConsent]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(consents)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// Reads the `consents` column; a value this code cannot read gives no consents (and is logged by the caller's checks).
    static func consents(fromJSON text: String) -> [BookingConsent] {
        (try? JSONDecoder().decode([BookingConsent].self, from: Data(text.utf8))) ?? []
    }

    /// Whether `stored` is `booking` as committed (the store fills in the resource).
    static func same(_ booking: BookingRecord, _ stored: BookingRecord) -> Bool {
        var booking = booking
        booking.resource = booking.resource ?? stored.resource
        return booking == stored
    }

    /// The resources that provide `service` (any, when `nil`) and are open for the whole of `slot`, in order.
    func candidates(for slot: Slot, service: String?) -> [Resource] {
        resources.filter { resource in
            (service.map(resource.provides) ?? true) && (resource.hours.map { $0.contains(slot) } ?? calendar.contains(slot))
        }
    }

    /// The first candidate resource no live row occupies during `slot` (a read; writes never rely on it).
    func firstFree(_ slot: Slot, service: String?, ignoring session: SessionID?, now: Instant) async -> Resource? {
        let candidates = candidates(for: slot, service: service)
        guard !candidates.isEmpty else { return nil }
        return await attempt("read availability", orElse: nil) {
            var busy = Set<String>()
            let rows = try await self.query(
                """
                SELECT DISTINCT resource FROM parley_reservations
                WHERE company = \(company) AND status <> 'cancelled'
                  AND during && tstzrange(\(slot.start.date), \(slot.end.date), '[)')
                  AND NOT (kind = 'hold' AND (hold_until <= \(now.date) OR session = \(session?.rawValue ?? "")))
                """, logger: logger)
            for try await resource in rows.decode(String.self) { busy.insert(resource) }
            return candidates.first { !busy.contains($0.id) }
        }
    }

    /// Which of `slots` some open resource providing `service` leaves free: one query for the live
    /// rows across all of them, then the same rule as ``firstFree(_:service:ignoring:now:)`` per slot.
    func freeSlotsInOneQuery(_ slots: [Slot], service: String, ignoring session: SessionID?, now: Instant) async -> [Bool] {
        guard let from = slots.map(\.start).min(), let to = slots.map(\.end).max() else { return [] }
        let none = Array(repeating: false, count: slots.count)
        return await attempt("read availability of \(slots.count) slots", orElse: none) {
            var busy: [String: [Slot]] = [:]
            let rows = try await self.query(
                """
                SELECT resource, start_at, end_at FROM parley_reservations
                WHERE company = \(company) AND status <> 'cancelled'
                  AND during && tstzrange(\(from.date), \(to.date), '[)')
                  AND NOT (kind = 'hold' AND (hold_until <= \(now.date) OR session = \(session?.rawValue ?? "")))
                """, logger: logger)
            for try await (resource, start, end) in rows.decode((String, Date, Date).self) {
                busy[resource, default: []].append(Slot(start: Instant(start), end: Instant(end)))
            }
            return slots.map { slot in
                candidates(for: slot, service: service).contains { resource in
                    !(busy[resource.id] ?? []).contains { $0.start < slot.end && slot.start < $0.end }
                }
            }
        }
    }

    // MARK: Writing (every write that takes time on a resource is settled by the exclusion constraint)

    func reserve(_ slot: Slot, service: String?, for session: SessionID, until: Instant, now: Instant) async -> Bool {
        let candidates = candidates(for: slot, service: service)
        guard !candidates.isEmpty else { return false }
        return await attempt("hold for \(session)", orElse: false) {
            try await transaction { connection in
                try await dropHold(of: session, on: connection)
                try await dropExpiredHolds(overlapping: slot, now: now, on: connection)
                for resource in candidates {
                    let rows = try await self.query(
                        on: connection,
                        """
                        INSERT INTO parley_reservations (company, kind, status, session, resource, start_at, end_at, hold_until)
                        VALUES (\(company), 'hold', 'held', \(session.rawValue), \(resource.id), \(slot.start.date), \(slot.end.date), \(until.date))
                        ON CONFLICT DO NOTHING RETURNING row_id
                        """, logger: logger)
                    if try await Self.returnsRow(rows) { return true }
                }
                throw Refused()  // nothing free: roll back, keeping the session's earlier hold
            }
        }
    }

    func commit(_ booking: BookingRecord, now: Instant, on connection: PostgresConnection) async throws -> Bool {
        let held = try await self.query(
            on: connection,
            """
            SELECT row_id, start_at, end_at FROM parley_reservations
            WHERE company = \(company) AND kind = 'hold' AND session = \(booking.session.rawValue) FOR UPDATE
            """, logger: logger)
        var hold: (row: Int64, slot: Slot)?
        for try await (row, start, end) in held.decode((Int64, Date, Date).self) {
            hold = (row, Slot(start: Instant(start), end: Instant(end)))
        }
        if let hold, hold.slot == booking.slot {
            // The hold's row still exists, so nobody else holds or booked its time (even if it
            // expired meanwhile): it becomes the booking, on the same resource.
            try await self.query(
                on: connection,
                """
                UPDATE parley_reservations SET kind = 'booking', status = 'booked', reference = \(booking.id.rawValue),
                    customer = \(booking.customer.rawValue), service = \(booking.service), price_amount = \(booking.price.amount),
                    price_currency = \(booking.price.currency), held_for = \(booking.heldFor), revision = \(Int64(booking.revision)),
                    consents = \(Self.json(booking.consents)), hold_until = NULL, updated_at = now()
                WHERE row_id = \(hold.row)
                """, logger: logger)
            return true
        }
        try await dropHold(of: booking.session, on: connection)
        try await dropExpiredHolds(overlapping: booking.slot, now: now, on: connection)
        for resource in candidates(for: booking.slot, service: booking.service) {
            let rows = try await self.query(on: connection, insertBooking(booking, on: resource.id), logger: logger)
            if try await Self.returnsRow(rows) { return true }
        }
        throw Refused()
    }

    func move(_ booking: BookingRecord, from current: BookingRecord, now: Instant, on connection: PostgresConnection) async throws -> Bool {
        try await dropHold(of: booking.session, on: connection)
        try await dropExpiredHolds(overlapping: booking.slot, now: now, on: connection)
        let deleted = try await self.query(
            on: connection,
            """
            DELETE FROM parley_reservations
            WHERE company = \(company) AND kind = 'booking' AND reference = \(booking.id.rawValue) RETURNING row_id
            """, logger: logger)
        guard try await Self.returnsRow(deleted) else { throw Refused() }  // moved meanwhile
        // Stay on the same resource when it is free at the new time, else take another suitable one.
        let all = candidates(for: booking.slot, service: booking.service)
        let ordered = all.filter { $0.id == current.resource } + all.filter { $0.id != current.resource }
        for resource in ordered {
            let rows = try await self.query(on: connection, insertBooking(booking, on: resource.id), logger: logger)
            if try await Self.returnsRow(rows) { return true }
        }
        throw Refused()  // roll back: the booking stays where it was, the session's hold too
    }

    /// Cancels or changes a booking in place (same slot, same resource).
    func rewrite(_ booking: BookingRecord, keeping current: BookingRecord) async throws -> Bool {
        do {
            let rows = try await self.query(
                """
                UPDATE parley_reservations SET status = \(booking.isCancelled ? "cancelled" : "booked"), session = \(booking.session.rawValue),
                    customer = \(booking.customer.rawValue), service = \(booking.service), price_amount = \(booking.price.amount),
                    price_currency = \(booking.price.currency), held_for = \(booking.heldFor), revision = \(Int64(booking.revision)),
                    consents = \(Self.json(booking.consents)), updated_at = now()
                WHERE company = \(company) AND kind = 'booking' AND reference = \(booking.id.rawValue) RETURNING row_id
                """, logger: logger)
            return try await Self.returnsRow(rows)
        } catch let error where Self.sqlState(of: error) == PostgresError.Code.exclusionViolation.raw {
            return false  // un-cancelling onto a slot that was taken meanwhile
        }
    }

    func insertBooking(_ booking: BookingRecord, on resource: String) -> PostgresQuery {
        """
        INSERT INTO parley_reservations (company, kind, status, reference, session, resource, start_at, end_at,
            customer, service, price_amount, price_currency, held_for, revision, consents)
        VALUES (\(company), 'booking', \(booking.isCancelled ? "cancelled" : "booked"), \(booking.id.rawValue), \(booking.session.rawValue),
            \(resource), \(booking.slot.start.date), \(booking.slot.end.date), \(booking.customer.rawValue), \(booking.service),
            \(booking.price.amount), \(booking.price.currency), \(booking.heldFor), \(Int64(booking.revision)), \(Self.json(booking.consents)))
        ON CONFLICT DO NOTHING RETURNING row_id
        """
    }

    func dropHold(of session: SessionID, on connection: PostgresConnection) async throws {
        try await self.query(
            on: connection,
            "DELETE FROM parley_reservations WHERE company = \(company) AND kind = 'hold' AND session = \(session.rawValue)", logger: logger
        )
    }

    /// Expiry as a row change: a constraint cannot read the clock, so the writer that needs the
    /// time deletes the holds there that expired by its `now`.
    func dropExpiredHolds(overlapping slot: Slot, now: Instant, on connection: PostgresConnection) async throws {
        try await self.query(
            on: connection,
            """
            DELETE FROM parley_reservations
            WHERE company = \(company) AND kind = 'hold' AND hold_until <= \(now.date)
              AND during && tstzrange(\(slot.start.date), \(slot.end.date), '[)')
            """, logger: logger)
    }

    // MARK: Transactions, retries, errors

    /// Sends one statement through the pool, counting the round trip.
    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        roundTrips?.add()
        return try await client.query(query, logger: logger)
    }

    /// Sends one statement on `connection` (inside a transaction), counting the round trip.
    @discardableResult
    func query(on connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        roundTrips?.add()
        return try await connection.query(query, logger: logger)
    }

    /// Runs `body` in a transaction; `false` when it throws ``Refused`` (rolled back), else its result.
    func transaction(_ body: (PostgresConnection) async throws -> Bool) async throws -> Bool {
        roundTrips?.add(2)  // BEGIN, and COMMIT or ROLLBACK
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if error.closureError is Refused { return false }
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    /// Runs `body`, again after a deadlock or a serialisation failure (up to 5 tries); any other
    /// database error is logged and answered with `fallback`.
    func attempt<Value>(_ what: String, orElse fallback: Value, _ body: () async throws -> Value) async -> Value {
        for round in 1...5 {
            do {
                return try await body()
            } catch let error where round < 5 && Self.isTransient(error) {
                logger.debug("retrying after a transient database error", metadata: ["operation": "\(what)", "round": "\(round)"])
                try? await Task.sleep(nanoseconds: UInt64(round) * 2_000_000)
            } catch let error
                where [PostgresError.Code.exclusionViolation.raw, PostgresError.Code.uniqueViolation.raw].contains(
                    Self.sqlState(of: error))
            {
                return fallback  // lost a race the database settled (e.g. two commits under one reference)
            } catch {
                logger.error("booking store: database error", metadata: ["operation": "\(what)", "error": "\(String(reflecting: error))"])
                return fallback
            }
        }
        return fallback
    }

    /// Whether a `… RETURNING row_id` statement returned a row (reads the whole result).
    static func returnsRow(_ rows: PostgresRowSequence) async throws -> Bool {
        var returned = false
        for try await _ in rows.decode(Int64.self) { returned = true }
        return returned
    }

    static func isTransient(_ error: any Error) -> Bool {
        let state = sqlState(of: error)
        return state == PostgresError.Code.deadlockDetected.raw || state == PostgresError.Code.serializationFailure.raw
    }

    static func sqlState(of error: any Error) -> String? {
        if let transaction = error as? PostgresTransactionError,
            let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError
        {
            return sqlState(of: inner)
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension Instant {
    /// The same instant as a `Date`, which postgres-nio binds as `timestamptz`.
    var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)) }

    /// The instant of a `timestamptz` read back (whole seconds: Parley's resolution).
    init(_ date: Date) { self.init(secondsSinceEpoch: Int64(date.timeIntervalSince1970.rounded())) }
}
