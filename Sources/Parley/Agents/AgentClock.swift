import Foundation

/// Where agents get the time from, and how they wait for timers. Injected so that tests and
/// simulations run on virtual time.
public protocol AgentClock: Sendable {
    /// The current instant.
    var now: Instant { get }
    /// Suspends until `deadline` (or returns at once if it has passed). Throws when cancelled.
    func sleep(until deadline: Instant) async throws
}

/// The system's wall clock.
public struct SystemClock: AgentClock {
    /// Creates the system clock.
    public init() {}

    public var now: Instant { Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

    public func sleep(until deadline: Instant) async throws {
        let seconds = Double(deadline.secondsSinceEpoch) - Date().timeIntervalSince1970
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }
    }
}

/// A clock that only moves when told to: for tests and deterministic simulation.
public final class ManualClock: AgentClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Instant
    private var sleepers: [(deadline: Instant, continuation: CheckedContinuation<Void, any Error>)] = []

    /// Creates a clock showing `now`.
    public init(now: Instant) {
        current = now
    }

    public var now: Instant { lock.withLock { current } }

    /// Moves the clock to `instant` (never backwards) and wakes every sleeper whose deadline has come.
    public func advance(to instant: Instant) {
        let woken: [CheckedContinuation<Void, any Error>] = lock.withLock {
            current = max(current, instant)
            let due = sleepers.filter { $0.deadline <= current }
            sleepers.removeAll { $0.deadline <= current }
            return due.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Moves the clock forward by `seconds`.
    public func advance(bySeconds seconds: Int64) {
        advance(to: now.adding(seconds: seconds))
    }

    public func sleep(until deadline: Instant) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let resumeNow = lock.withLock { () -> Bool in
                if deadline <= current { return true }
                sleepers.append((deadline, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// Runs an agent's session timers as tasks on a clock. A timer that fires, is replaced or is
/// cancelled leaves nothing behind, so a long-running agent holds one entry per pending timer.
actor TimerScheduler {
    private let clock: any AgentClock
    private var tasks: [Key: (generation: UInt64, task: Task<Void, Never>)] = [:]
    private var generation: UInt64 = 0

    private struct Key: Hashable {
        let session: SessionID
        let timer: SessionTimer
    }

    init(clock: any AgentClock) {
        self.clock = clock
    }

    /// The number of timers set and not yet fired or cancelled.
    var pendingCount: Int { tasks.count }

    func schedule(_ request: AgentOutput.TimerRequest, fire: @escaping @Sendable (SessionID, SessionTimer, Instant) async -> Void) {
        let key = Key(session: request.session, timer: request.timer)
        tasks.removeValue(forKey: key)?.task.cancel()
        guard let deadline = request.at else { return }
        let clock = self.clock
        generation &+= 1
        let current = generation
        tasks[key] = (
            current,
            Task {
                do { try await clock.sleep(until: deadline) } catch { return }
                guard !Task.isCancelled else { return }
                self.fired(key, generation: current)
                await fire(request.session, request.timer, clock.now)
            }
        )
    }

    /// Forgets the entry of a timer that fired, unless it was replaced meanwhile.
    private func fired(_ key: Key, generation: UInt64) {
        if tasks[key]?.generation == generation { tasks[key] = nil }
    }

    /// Cancels every timer of `session`.
    func cancel(session: SessionID) {
        for key in tasks.keys where key.session == session { tasks.removeValue(forKey: key)?.task.cancel() }
    }

    func cancelAll() {
        for entry in tasks.values { entry.task.cancel() }
        tasks.removeAll()
    }
}

/// The system clock shifted to start at a chosen instant: time passes at the real rate from
/// `start` on. For running a scenario's world (set in May 2026) as a live service.
public struct ShiftedClock: AgentClock {
    private let offset: Int64

    /// Creates a clock that reads `start` now.
    public init(start: Instant) {
        offset = start.secondsSinceEpoch - SystemClock().now.secondsSinceEpoch
    }

    public var now: Instant { SystemClock().now.adding(seconds: offset) }

    public func sleep(until deadline: Instant) async throws {
        try await SystemClock().sleep(until: deadline.adding(seconds: -offset))
    }
}
