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

/// Runs an agent's session timers on a clock. One task sleeps until the earliest deadline and
/// fires what is due, so setting, replacing or cancelling a timer costs a dictionary and a heap
/// entry, not a task and a system timer each. A timer that fires, is replaced or is cancelled
/// leaves nothing behind, so a long-running agent holds one entry per pending timer.
actor TimerScheduler {
    typealias Fire = @Sendable (SessionID, SessionTimer, Instant) async -> Void

    private struct Key: Hashable {
        let session: SessionID
        let timer: SessionTimer
    }

    private struct Entry {
        let deadline: Instant
        let generation: UInt64
        let fire: Fire
    }

    private let clock: any AgentClock
    private var entries: [Key: Entry] = [:]
    /// The deadlines set, earliest first; entries whose timer was replaced or cancelled since are
    /// skipped when they come up, and the heap is rebuilt when they outnumber the live ones.
    private var queue = DeadlineHeap<Key>()
    private var generation: UInt64 = 0
    private var driver: (id: UInt64, wakesAt: Instant, task: Task<Void, Never>)?

    init(clock: any AgentClock) {
        self.clock = clock
    }

    /// The number of timers set and not yet fired or cancelled.
    var pendingCount: Int { entries.count }

    /// Sets, replaces (same session and timer) or, when `request.at` is `nil`, cancels a timer;
    /// `fire` runs in a task of its own when it is due.
    func schedule(_ request: AgentOutput.TimerRequest, fire: @escaping Fire) {
        let key = Key(session: request.session, timer: request.timer)
        entries[key] = nil
        guard let deadline = request.at else { return compactIfStale() }
        generation &+= 1
        entries[key] = Entry(deadline: deadline, generation: generation, fire: fire)
        queue.insert(deadline, generation: generation, key)
        compactIfStale()
        wakeDriver(by: deadline)
    }

    /// Cancels every timer of `session`.
    func cancel(session: SessionID) {
        for timer in SessionTimer.allCases { entries[Key(session: session, timer: timer)] = nil }
        compactIfStale()
    }

    func cancelAll() {
        entries.removeAll()
        queue = DeadlineHeap()
        driver?.task.cancel()
        driver = nil
    }

    /// Makes sure the driver wakes by `deadline`: a new driver replaces one that sleeps longer.
    private func wakeDriver(by deadline: Instant) {
        if let driver, driver.wakesAt <= deadline { return }
        driver?.task.cancel()
        generation &+= 1
        let id = generation
        let clock = self.clock
        let task = Task { [weak self] in
            do { try await clock.sleep(until: deadline) } catch { return }
            guard !Task.isCancelled else { return }
            await self?.fireDue(driver: id)
        }
        driver = (id, deadline, task)
    }

    /// Fires every timer due by the clock, then sets the driver for the next one.
    private func fireDue(driver id: UInt64) {
        if driver?.id == id { driver = nil }
        let now = clock.now
        while let next = queue.first, next.deadline <= now {
            queue.removeFirst()
            guard let entry = entries[next.value], entry.generation == next.generation else { continue }
            entries[next.value] = nil
            let key = next.value
            Task { await entry.fire(key.session, key.timer, now) }
        }
        while let next = queue.first, entries[next.value]?.generation != next.generation { queue.removeFirst() }
        if let next = queue.first { wakeDriver(by: next.deadline) }
    }

    /// Rebuilds the heap when replaced and cancelled timers outnumber the pending ones.
    private func compactIfStale() {
        guard queue.count > 2 * entries.count + 64 else { return }
        var fresh = DeadlineHeap<Key>()
        for (key, entry) in entries { fresh.insert(entry.deadline, generation: entry.generation, key) }
        queue = fresh
    }
}

/// A binary min-heap of values by deadline, then by the order they were inserted in (`generation`).
struct DeadlineHeap<Value> {
    private var items: [(deadline: Instant, generation: UInt64, value: Value)] = []

    var count: Int { items.count }
    var first: (deadline: Instant, generation: UInt64, value: Value)? { items.first }

    private static func before(
        _ a: (deadline: Instant, generation: UInt64, value: Value), _ b: (deadline: Instant, generation: UInt64, value: Value)
    ) -> Bool {
        (a.deadline, a.generation) < (b.deadline, b.generation)
    }

    mutating func insert(_ deadline: Instant, generation: UInt64, _ value: Value) {
        items.append((deadline, generation, value))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, Self.before(items[left], items[smallest]) { smallest = left }
            if right < items.count, Self.before(items[right], items[smallest]) { smallest = right }
            guard smallest != parent else { return }
            items.swapAt(parent, smallest)
            parent = smallest
        }
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
