import Logging
import PostgresNIO

/// The PostgreSQL schema of ``PostgresBookingStore`` and ``PostgresSessionStore``, as versioned
/// migrations: 1 holds and bookings (`parley_reservations`), 2 sessions (`parley_sessions`), 3 the
/// consents kept with bookings.
///
/// ``migrate(_:logger:)`` applies the migrations a database lacks, in order, in one transaction
/// under an advisory lock, and records each in `parley_schema_migrations`; instances that start
/// at the same time wait for each other, and a database that is up to date is left alone. Never
/// edit a migration that has shipped: add the next version.
public enum BookingSchema {
    /// One schema change: a version, a name, and its statements (one SQL statement each).
    public struct Migration: Sendable {
        /// The version, from 1, in steps of one.
        public var version: Int
        /// What it does, for the migrations table.
        public var name: String
        /// The statements, run in order in the migration transaction.
        public var statements: [String]
    }

    /// The advisory lock key that serialises migrations across instances ("parley" in ASCII).
    static let lockKey: Int64 = 0x70_61_72_6C_65_79

    /// Every migration, oldest first.
    public static let migrations: [Migration] = [
        Migration(
            version: 1, name: "reservations: holds and bookings, no overlap per resource",
            statements: [
                // Lets text columns take part in a GiST index with `=`.
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                """
                CREATE TABLE parley_reservations (
                    row_id         bigserial   PRIMARY KEY,
                    company        text        NOT NULL,
                    kind           text        NOT NULL CHECK (kind IN ('hold', 'booking')),
                    status         text        NOT NULL CHECK (status IN ('held', 'booked', 'cancelled')),
                    reference      text,
                    session        text        NOT NULL,
                    resource       text        NOT NULL,
                    start_at       timestamptz NOT NULL,
                    end_at         timestamptz NOT NULL,
                    during         tstzrange   GENERATED ALWAYS AS (tstzrange(start_at, end_at, '[)')) STORED,
                    hold_until     timestamptz,
                    customer       text,
                    service        text,
                    price_amount   bigint,
                    price_currency text,
                    held_for       text,
                    revision       bigint,
                    created_at     timestamptz NOT NULL DEFAULT now(),
                    updated_at     timestamptz NOT NULL DEFAULT now(),
                    CONSTRAINT parley_reservations_span CHECK (start_at < end_at),
                    CONSTRAINT parley_reservations_status CHECK ((kind = 'hold') = (status = 'held')),
                    CONSTRAINT parley_reservations_hold CHECK (kind <> 'hold' OR hold_until IS NOT NULL),
                    CONSTRAINT parley_reservations_booking CHECK (
                        kind <> 'booking' OR (reference IS NOT NULL AND customer IS NOT NULL AND service IS NOT NULL
                            AND price_amount IS NOT NULL AND price_currency IS NOT NULL AND revision IS NOT NULL)),
                    CONSTRAINT parley_no_double_booking EXCLUDE USING gist
                        (company WITH =, resource WITH =, during WITH &&) WHERE (status <> 'cancelled')
                )
                """,
                "CREATE UNIQUE INDEX parley_booking_reference ON parley_reservations (company, reference) WHERE kind = 'booking'",
                "CREATE UNIQUE INDEX parley_hold_per_session ON parley_reservations (company, session) WHERE kind = 'hold'",
                "CREATE INDEX parley_active_bookings ON parley_reservations (company, start_at) WHERE status = 'booked'",
            ]),
        Migration(
            version: 2, name: "sessions: company agent sessions between events (PostgresSessionStore)",
            statements: [
                """
                CREATE TABLE parley_sessions (
                    company    text        NOT NULL,
                    id         text        NOT NULL,
                    version    bigint      NOT NULL CHECK (version >= 1),
                    ended_at   timestamptz,
                    next_timer timestamptz,
                    state      bytea       NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (company, id)
                )
                """,
                // sessions(withTimersDueBy:limit:): the earliest due timers first, only rows with a timer.
                "CREATE INDEX parley_sessions_due ON parley_sessions (company, next_timer, id) WHERE next_timer IS NOT NULL",
                // purge(endedBefore:): only finished sessions.
                "CREATE INDEX parley_sessions_ended ON parley_sessions (company, ended_at) WHERE ended_at IS NOT NULL",
            ]),
        Migration(
            version: 3, name: "consents kept with bookings: tokens, receipts and disclosed values (JSON)",
            statements: [
                "ALTER TABLE parley_reservations ADD COLUMN consents text NOT NULL DEFAULT '[]'"
            ]),
    ]

    /// The newest schema version this code knows.
    public static var currentVersion: Int { migrations.last?.version ?? 0 }

    /// Applies the migrations `client`'s database lacks and returns their versions (empty when it
    /// is up to date). Throws when the database is newer than this code (a rollback of the code
    /// after a migration) or a migration fails; a failed migration changes nothing.
    @discardableResult
    public static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await migrate(client, logger: logger, through: currentVersion)
    }

    /// Applies the migrations the database lacks up to `version` only: how the upgrade of a
    /// database that an older build set up is tested.
    @discardableResult
    static func migrate(_ client: PostgresClient, logger: Logger, through version: Int) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS parley_schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM parley_schema_migrations", logger: logger)
                .decode(Int.self)
            {
                applied.insert(version)
            }
            if let newest = applied.max(), newest > currentVersion {
                throw BookingStoreError.schemaTooNew(database: newest, code: currentVersion)
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.version) && migration.version <= version {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO parley_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                done.append(migration.version)
            }
            return done
        }
    }
}

/// Why a PostgreSQL booking store could not be set up.
public enum BookingStoreError: Error, CustomStringConvertible {
    /// The database has a schema version newer than this code knows.
    case schemaTooNew(database: Int, code: Int)
    /// The `--database` URL is not a usable `postgres://` URL.
    case invalidURL(String)

    /// A sentence for the operator.
    public var description: String {
        switch self {
        case .schemaTooNew(let database, let code):
            "the database schema is at version \(database), newer than this build's \(code): deploy the newer build"
        case .invalidURL(let reason): "invalid database URL: \(reason)"
        }
    }
}
