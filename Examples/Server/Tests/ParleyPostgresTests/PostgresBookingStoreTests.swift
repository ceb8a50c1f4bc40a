import Foundation
import Logging
import Parley
import ParleyConformance
import PostgresNIO
import Testing

@testable import ParleyPostgres

/// The database URL of a scratch PostgreSQL (`Examples/Server/postgres-check.sh` starts one and sets it).
let databaseURL = ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"]
let skipReason: Comment =
    "PARLEY_TEST_DATABASE_URL is unset: no PostgreSQL to test against (bash Examples/Server/postgres-check.sh runs these tests)"

@Suite("PostgresBookingStore on a real PostgreSQL", .serialized)
struct PostgresBookingStoreTests {
    @Test("passes every check of the booking store contract", .enabled(if: databaseURL != nil, skipReason))
    func passesTheContract() async throws {
        try await withDatabase { client, logger, run in
            let contract = BookingStoreContract(racers: 16) { fixture in
                let store = PostgresBookingStore(
                    client: client, company: "\(run)-\(fixture.check)", hours: fixture.hours, resources: fixture.resources, logger: logger)
                try await store.seed(fixture.bookings)
                return store
            }
            let report = await contract.run()
            print(report.text)
            #expect(report.results.map(\.name) == BookingStoreContract.checkNames)
            #expect(report.failed == 0, "\(report.text)")
        }
    }

    @Test("two stores on two connection pools (two instances) race for one slot: one wins", .enabled(if: databaseURL != nil, skipReason))
    func racersOnTwoInstances() async throws {
        try await withDatabase { client, logger, run in
            let other = PostgresClient(configuration: try .init(databaseURL: databaseURL ?? ""), backgroundLogger: logger)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await other.run() }
                var hours = OpeningHours(timeZone: "UTC")
                hours.open(Set(Weekday.allCases), from: "00:00", to: "24:00")
                let stores = [client, other].map {
                    PostgresBookingStore(client: $0, company: "\(run)-instances", hours: hours, logger: logger)
                }
                let start = Instant(rfc3339: "2030-06-03T10:00:00Z") ?? Instant(secondsSinceEpoch: 0)
                let slot = Slot(start: start, end: start.adding(minutes: 45))
                let now = start.adding(minutes: -60)
                let wins = await withTaskGroup(of: Bool.self) { racers in
                    for index in 0..<24 {
                        let store = stores[index % 2]
                        racers.addTask {
                            await store.hold(slot, for: SessionID(stringLiteral: "s-\(index)"), until: now.adding(minutes: 10), now: now)
                        }
                    }
                    return await racers.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(wins == 1)
                group.cancelAll()
            }
        }
    }

    @Test("the database itself refuses an overlapping booking written around the store", .enabled(if: databaseURL != nil, skipReason))
    func constraintRefusesOverlapsFromAnyWriter() async throws {
        try await withDatabase { client, logger, run in
            let company = "\(run)-raw"
            func insert(_ reference: String, _ from: String, _ to: String, status: String = "booked") async throws {
                try await client.query(
                    """
                    INSERT INTO parley_reservations (company, kind, status, reference, session, resource, start_at, end_at,
                        customer, service, price_amount, price_currency, revision)
                    VALUES (\(company), 'booking', \(status), \(reference), 's', 'chair-1', \(from)::timestamptz, \(to)::timestamptz,
                        'c', 'haircut', 0, 'EUR', 0)
                    """, logger: logger)
            }
            try await insert("A", "2030-06-03T10:00:00Z", "2030-06-03T11:00:00Z")
            var refusedBy: String?
            do {
                try await insert("B", "2030-06-03T10:59:00Z", "2030-06-03T12:00:00Z")
            } catch let error as PSQLError {
                refusedBy = error.serverInfo?[.constraintName]
                #expect(error.serverInfo?[.sqlState] == PostgresError.Code.exclusionViolation.raw)
            }
            #expect(refusedBy == "parley_no_double_booking")
            try await insert("C", "2030-06-03T11:00:00Z", "2030-06-03T12:00:00Z")  // [) ranges: back to back is fine
            try await insert("D", "2030-06-03T10:00:00Z", "2030-06-03T11:00:00Z", status: "cancelled")  // cancelled rows take no time
        }
    }

    @Test("migrations run once and are recorded with their version", .enabled(if: databaseURL != nil, skipReason))
    func migrationsAreVersioned() async throws {
        try await withDatabase { client, logger, _ in
            #expect(try await BookingSchema.migrate(client, logger: logger) == [])
            let rows = try await client.query("SELECT version FROM parley_schema_migrations ORDER BY version", logger: logger)
            var versions: [Int] = []
            for try await version in rows.decode(Int.self) { versions.append(version) }
            #expect(versions == BookingSchema.migrations.map(\.version))
        }
    }

    @Test(
        "a database set up by an older build (migration 1 only) upgrades: its bookings stay readable and both store contracts pass",
        .enabled(if: databaseURL != nil, skipReason))
    func upgradesFromTheFirstSchema() async throws {
        try await withDatabase { client, logger, run in
            let name = "parley_upgrade_" + run.replacingOccurrences(of: "-", with: "_")
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            var url = try #require(URLComponents(string: databaseURL ?? ""))
            url.path = "/" + name
            let scratch = PostgresClient(configuration: try .init(databaseURL: url.string ?? ""), backgroundLogger: logger)
            let outcome = await withTaskGroup(of: Void.self) { group -> Result<Void, any Error> in
                group.addTask { await scratch.run() }
                defer { group.cancelAll() }
                do {
                    #expect(try await BookingSchema.migrate(scratch, logger: logger, through: 1) == [1])
                    // A booking as the first build wrote it: no consents column yet.
                    try await scratch.query(
                        """
                        INSERT INTO parley_reservations (company, kind, status, reference, session, resource, start_at, end_at,
                            customer, service, price_amount, price_currency, revision)
                        VALUES ('salon', 'booking', 'booked', 'B-OLD', 's-old', 'default', '2030-06-03T10:00:00Z'::timestamptz,
                            '2030-06-03T10:45:00Z'::timestamptz, 'assistant.example/lisa', 'haircut-women', 4500, 'EUR', 1)
                        """, logger: logger)
                    #expect(try await BookingSchema.migrate(scratch, logger: logger) == [2, 3])
                    #expect(try await BookingSchema.migrate(scratch, logger: logger) == [])

                    var hours = OpeningHours(timeZone: "UTC")
                    hours.open(Set(Weekday.allCases), from: "00:00", to: "24:00")
                    let store = PostgresBookingStore(client: scratch, company: "salon", hours: hours, logger: logger)
                    let now = try #require(Instant(rfc3339: "2030-06-01T09:00:00Z"))
                    var old = try #require(await store.booking("B-OLD"), "the old booking must be readable after the upgrade")
                    #expect(old.service == "haircut-women" && old.customer == "assistant.example/lisa" && old.consents.isEmpty)
                    old.isCancelled = true
                    old.revision += 1
                    #expect(await store.update(old, now: now), "the old booking can be cancelled after the upgrade")
                    #expect(await store.booking("B-OLD")?.isCancelled == true)

                    let bookings = await BookingStoreContract(racers: 8) { fixture in
                        let store = PostgresBookingStore(
                            client: scratch, company: "upgraded-\(fixture.check)", hours: fixture.hours, resources: fixture.resources,
                            logger: logger)
                        try await store.seed(fixture.bookings)
                        return store
                    }.run()
                    #expect(bookings.failed == 0, "\(bookings.text)")
                    let sessions = await SessionStoreContract(
                        racers: 8,
                        makeStore: { fixture in PostgresSessionStore(client: scratch, company: "upgraded-\(fixture.check)", logger: logger)
                        },
                        overwriteState: { store, session, bytes in
                            guard let store = store as? PostgresSessionStore else { return }
                            try await scratch.query(
                                "UPDATE parley_sessions SET state = \(Data(bytes)) WHERE company = \(store.company) AND id = \(session.rawValue)",
                                logger: logger)
                        }
                    ).run()
                    #expect(sessions.failed == 0, "\(sessions.text)")
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
            try outcome.get()
        }
    }
}

/// Runs `body` with a running client on a migrated database and a run id that prefixes every
/// company it writes; removes that run's rows (reservations and sessions) afterwards.
func withDatabase(_ body: (PostgresClient, Logger, String) async throws -> Void) async throws {
    var logger = Logger(label: "parley.postgres.tests")
    logger.logLevel = .error  // not the pool's "run() not called yet" warning for the test's first query
    let client = PostgresClient(configuration: try .init(databaseURL: databaseURL ?? ""), backgroundLogger: logger)
    let run = "test-\(UUID().uuidString.prefix(8).lowercased())"
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        do {
            try await BookingSchema.migrate(client, logger: logger)
            try await body(client, logger, run)
        } catch {
            _ = try? await client.query("DELETE FROM parley_reservations WHERE company LIKE \(run + "-%")", logger: logger)
            _ = try? await client.query("DELETE FROM parley_sessions WHERE company LIKE \(run + "-%")", logger: logger)
            group.cancelAll()
            throw error
        }
        try await client.query("DELETE FROM parley_reservations WHERE company LIKE \(run + "-%")", logger: logger)
        try await client.query("DELETE FROM parley_sessions WHERE company LIKE \(run + "-%")", logger: logger)
        group.cancelAll()
    }
}
