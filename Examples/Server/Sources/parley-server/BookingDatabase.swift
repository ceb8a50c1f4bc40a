import Foundation
import Logging
import Parley
import ParleyPostgres
import ParleyScenarios
import PostgresNIO

/// `--database postgres://…`: the scenario's company with its bookings and holds in PostgreSQL.
///
/// At start-up it connects, applies the schema migrations and adds the scenario's diary (the
/// bookings that are not there yet); then the agent books through a ``PostgresBookingStore``, so
/// several `parley-server` instances on one database never book one slot twice and a restart
/// loses no booking. Booking references carry a random per-process part (`B-3f9c01d2-1`), so a
/// restarted instance never reuses a reference stored by an earlier run.
final class BookingDatabase: Sendable {
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>

    /// Parses `url` and starts the connection pool (connections open on first use).
    init(url: String) throws {
        var logger = Logger(label: "parley-server.database")
        logger.logLevel = .warning
        self.logger = logger
        let client = PostgresClient(configuration: try PostgresClient.Configuration(databaseURL: url), backgroundLogger: logger)
        self.client = client
        self.running = Task { await client.run() }
    }

    /// The S1 salon of `liveSalon(from:)` on the database.
    func salon(from day: ScenarioDay) async -> CompanyAgent {
        let store = await open(
            company: "salon.example/bot", hours: day.daily(from: (9, 0), to: (18, 0), count: 14), diary: Salons.s1Bookings(on: day))
        return Salons.salon(store: store, prefix: Self.prefix())
    }

    /// The S2 restaurant of `liveRestaurant(from:)` on the database.
    func restaurant(from day: ScenarioDay) async -> CompanyAgent {
        let store = await open(company: "trattoria.example/bot", hours: day.daily(from: (17, 0), to: (23, 0), count: 14), diary: [])
        return Salons.restaurant(store: store, prefix: Self.prefix())
    }

    /// The barber of the fleet check (`Fleet.live(on:)`) on the database: 40 slots on `day`.
    func fleet(on day: ScenarioDay) async -> CompanyAgent {
        let store = await open(company: "barber.example/bot", hours: Fleet.openingHours(on: day), diary: [])
        return Fleet.company(store: store, prefix: Self.prefix())
    }

    /// Stops the connection pool.
    func close() async {
        running.cancel()
        await running.value
    }

    /// Migrates and seeds, or exits with status 69 (unavailable) and one line when the database
    /// cannot be used within 20 seconds.
    private func open(company: String, hours: [TimeWindow], diary: [BookingRecord]) async -> PostgresBookingStore {
        let store = PostgresBookingStore(client: client, company: company, openingHours: hours, logger: logger)
        // The diary is laid out on a date: its references carry that date, so tomorrow's diary is
        // added next to today's rather than skipped as already there.
        let seeds = diary.map { record -> BookingRecord in
            var record = record
            record.id = BookingReference(rawValue: "\(record.id)@\(record.slot.start.rfc3339.prefix(10))") ?? record.id
            return record
        }
        let client = self.client
        let logger = self.logger
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await BookingSchema.migrate(client, logger: logger)
                    try await store.seed(seeds)
                    return true
                }
                group.addTask {
                    try await Task.sleep(nanoseconds: 20_000_000_000)
                    return false
                }
                let ready = try await group.next() ?? false
                group.cancelAll()
                if !ready { throw DatabaseUnavailable() }
            }
        } catch {
            let reason = error is DatabaseUnavailable ? "no answer within 20 s" : String(reflecting: error)
            FileHandle.standardError.write(Data("parley-server: the database cannot be used: \(reason)\n".utf8))
            exit(69)
        }
        return store
    }

    /// `B-` and 8 random hex digits: this process's booking reference prefix.
    private static func prefix() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() & 0xFFFF_FFFF
        let hex = String(value, radix: 16)
        return "B-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}

private struct DatabaseUnavailable: Error {}
