import Foundation

/// Counts the statements the PostgreSQL stores send, each one request and one answer over the
/// connection (a round trip); a transaction's `BEGIN` and `COMMIT` count too. Share one counter
/// between a ``PostgresSessionStore`` and a ``PostgresBookingStore`` to see what one negotiation
/// costs in database round trips (`BENCHMARKS.md`).
public final class RoundTripCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    /// A counter at zero.
    public init() {}

    /// The round trips counted so far.
    public var count: Int { lock.withLock { total } }

    /// Sets the count back to zero and returns what it was.
    @discardableResult
    public func reset() -> Int {
        lock.withLock {
            defer { total = 0 }
            return total
        }
    }

    func add(_ trips: Int = 1) {
        lock.withLock { total += trips }
    }
}
