import Foundation
import Logging
import Parley
import ParleyPostgres
import ParleyScenarios
import PostgresNIO

/// `--database postgres://…`: the scenario's company with its sessions, holds and bookings in
/// PostgreSQL.
///
/// At start-up it connects, applies the schema migrations and adds the scenario's diary (the
/// bookings that are not there yet); then the agent keeps its sessions in a
/// ``PostgresSessionStore`` and books through a ``PostgresBookingStore``, so several
/// `parley-server` instances on one database never book one slot twice, any instance can take
/// any request of any session, and a restart loses no session and no booking. Booking
/// references are derived from the company and the session (`B-` and ten base-32 digits), the
/// same on every instance, so a booking step handled again elsewhere commits the same booking.
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
        let company = "salon.example/bot"
        let store = await open(company: company, hours: day.daily(from: (9, 0), to: (18, 0), count: 14), diary: Salons.s1Bookings(on: day))
        return Salons.salon(store: store, sessionStore: sessions(of: company))
    }

    /// The S2 restaurant of `liveRestaurant(from:)` on the database.
    func restaurant(from day: ScenarioDay) async -> CompanyAgent {
        let company = "trattoria.example/bot"
        let store = await open(company: company, hours: day.daily(from: (17, 0), to: (23, 0), count: 14), diary: [])
        return Salons.restaurant(store: store, sessionStore: sessions(of: company))
    }

    /// The sessions of `company`, in the table the migrations created.
    private func sessions(of company: String) -> PostgresSessionStore {
        PostgresSessionStore(client: client, company: company, logger: logger)
    }

    /// The barber of the fleet check (`Fleet.live(on:)`) on the database: 40 slots on `day`.
    func fleet(on day: ScenarioDay) async -> CompanyAgent {
        let company = "barber.example/bot"
        let store = await open(company: company, hours: Fleet.openingHours(on: day), diary: [])
        return Fleet.company(store: store, sessionStore: sessions(of: company))
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
}

private struct DatabaseUnavailable: Error {}
