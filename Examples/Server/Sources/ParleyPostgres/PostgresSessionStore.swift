import Foundation
import Logging
import Parley
import PostgresNIO

/// A ``Parley/SessionStore`` on PostgreSQL: every instance of a fleet (and every restart) reads
/// and writes a company's sessions in one table, so any instance can take any event of any session.
///
/// A session is one row of `parley_sessions` (migration 2 of ``BookingSchema``): its `company`
/// and `id` (the primary key), its `version`, the indexed `ended_at` and `next_timer`, and the
/// opaque `state` (``Parley/SavedSession/encoded()``). Every save is one statement, a
/// compare-and-set the database settles:
///
/// - version 1: `INSERT … ON CONFLICT DO NOTHING RETURNING version` — no row back means the
///   session exists already;
/// - version n > 1: `UPDATE … WHERE company = $1 AND id = $2 AND version = n - 1 RETURNING version`
///   — no row back means another writer saved first (PostgreSQL makes the second of two concurrent
///   updates wait, re-check `version` and match nothing).
///
/// Either way a lost race is ``Parley/SessionStoreError/Kind/conflict`` and changes nothing. A
/// database that cannot be reached, or that refuses a statement, is
/// ``Parley/SessionStoreError/Kind/unavailable``; a row whose state cannot be read is
/// ``Parley/SessionStoreError/Kind/corrupt``.
///
/// ```swift
/// try await BookingSchema.migrate(client, logger: logger)   // creates parley_sessions too
/// let sessions = PostgresSessionStore(client: client, company: "salon.example", logger: logger)
/// let agent = CompanyAgent(profile: profile, catalogue: catalogue, store: bookings, sessionStore: sessions)
/// ```
public struct PostgresSessionStore: SessionStore {
    let client: PostgresClient
    /// The company whose sessions these are; rows of other companies are never read or written.
    public let company: String
    let logger: Logger
    let roundTrips: RoundTripCounter?

    /// A store for `company`'s sessions. Run ``BookingSchema/migrate(_:logger:)`` once before
    /// using it; pass `roundTrips` to count the statements it sends.
    public init(client: PostgresClient, company: String, logger: Logger, roundTrips: RoundTripCounter? = nil) {
        self.client = client
        self.company = company
        self.logger = logger
        self.roundTrips = roundTrips
    }

    /// The saved session `id`, or `nil`; see ``Parley/SessionStore/load(_:)``.
    public func load(_ id: SessionID) async throws(SessionStoreError) -> SavedSession? {
        let row: (Int64, Data)? = try await run("load \(id)") {
            let rows = try await client.query(
                "SELECT version, state FROM parley_sessions WHERE company = \(company) AND id = \(id.rawValue)", logger: logger)
            var found: (Int64, Data)?
            for try await (version, state) in rows.decode((Int64, Data).self) { found = (version, state) }
            return found
        }
        guard let (version, state) = row else { return nil }
        let session = try SavedSession(decoding: Array(state))
        guard session.id == id, session.version == version else {
            throw SessionStoreError(
                .corrupt, "the row of session '\(id)' at version \(version) holds session '\(session.id)' at version \(session.version)")
        }
        return session
    }

    /// Stores `session` over the version before it, in one statement; see ``Parley/SessionStore/save(_:)``.
    public func save(_ session: SavedSession) async throws(SessionStoreError) {
        guard session.version >= 1 else {
            throw SessionStoreError(.conflict, "session '\(session.id)' cannot be saved at version \(session.version)")
        }
        let state = Data(session.encoded())
        let endedAt = session.endedAt?.date
        let nextTimer = session.nextTimer?.date
        let stored: Bool = try await run("save \(session.id)") {
            let rows: PostgresRowSequence
            if session.version == 1 {
                rows = try await client.query(
                    """
                    INSERT INTO parley_sessions (company, id, version, ended_at, next_timer, state)
                    VALUES (\(company), \(session.id.rawValue), \(session.version), \(endedAt), \(nextTimer), \(state))
                    ON CONFLICT DO NOTHING RETURNING version
                    """, logger: logger)
            } else {
                rows = try await client.query(
                    """
                    UPDATE parley_sessions
                    SET version = \(session.version), ended_at = \(endedAt), next_timer = \(nextTimer), state = \(state), updated_at = now()
                    WHERE company = \(company) AND id = \(session.id.rawValue) AND version = \(session.version - 1)
                    RETURNING version
                    """, logger: logger)
            }
            return try await PostgresBookingStore.returnsRow(rows)
        }
        guard stored else {
            throw SessionStoreError(
                .conflict,
                session.version == 1
                    ? "session '\(session.id)' is stored already; version 1 is saved only once"
                    : "session '\(session.id)' is not stored at version \(session.version - 1)")
        }
    }

    /// Up to `limit` sessions with a timer due by `instant`, earliest first (ties by id).
    public func sessions(withTimersDueBy instant: Instant, limit: Int) async throws(SessionStoreError) -> [SessionID] {
        guard limit > 0 else { return [] }
        return try await run("due timers") {
            let rows = try await client.query(
                """
                SELECT id FROM parley_sessions WHERE company = \(company) AND next_timer <= \(instant.date)
                ORDER BY next_timer, id LIMIT \(Int64(limit))
                """, logger: logger)
            var ids: [SessionID] = []
            for try await id in rows.decode(String.self) {
                guard let session = SessionID(rawValue: id) else { continue }
                ids.append(session)
            }
            return ids
        }
    }

    /// Deletes the sessions that ended before `instant`, in one statement; returns how many.
    @discardableResult
    public func purge(endedBefore instant: Instant) async throws(SessionStoreError) -> Int {
        try await run("purge") {
            let rows = try await client.query(
                """
                WITH purged AS (DELETE FROM parley_sessions WHERE company = \(company) AND ended_at < \(instant.date) RETURNING 1)
                SELECT count(*) FROM purged
                """, logger: logger)
            var count: Int64 = 0
            for try await value in rows.decode(Int64.self) { count = value }
            return Int(count)
        }
    }

    /// Runs one statement's `body`, counting the round trip; any database error is ``Parley/SessionStoreError/Kind/unavailable``.
    private func run<Value>(_ what: String, _ body: () async throws -> Value) async throws(SessionStoreError) -> Value {
        roundTrips?.add()
        do {
            return try await body()
        } catch {
            logger.error("session store: database error", metadata: ["operation": "\(what)", "error": "\(String(reflecting: error))"])
            let state = PostgresBookingStore.sqlState(of: error).map { " (SQLSTATE \($0))" } ?? ""
            throw SessionStoreError(.unavailable, "the database failed to \(what)\(state)")
        }
    }
}
