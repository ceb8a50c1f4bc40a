import Testing

@testable import Parley

/// The timers a long-running agent sets leave nothing behind once they fire, are replaced or are
/// cancelled: the scheduler holds one entry per pending timer, not one per timer ever set.
@Suite("Timer scheduler")
struct TimerSchedulerTests {
    private actor Fired {
        private(set) var count = 0
        func note() { count += 1 }
    }

    @Test("fired, replaced and cancelled timers hold no entry")
    func firedTimersAreForgotten() async throws {
        let start = Instant(secondsSinceEpoch: 1_800_000_000)
        let clock = ManualClock(now: start)
        let scheduler = TimerScheduler(clock: clock)
        let fired = Fired()
        let sessions = (0..<100).map { SessionID(rawValue: "s-timer-\($0)")! }
        for session in sessions {
            await scheduler.schedule(.init(session: session, timer: .idle, at: start.adding(seconds: 10))) { _, _, _ in await fired.note() }
            await scheduler.schedule(.init(session: session, timer: .retransmit, at: start.adding(seconds: 2))) { _, _, _ in
                await fired.note()
            }
        }
        // Replace one timer (the first task must not fire) and cancel another session's timers.
        await scheduler.schedule(.init(session: sessions[0], timer: .idle, at: start.adding(seconds: 5))) { _, _, _ in await fired.note() }
        await scheduler.cancel(session: sessions[1])
        #expect(await scheduler.pendingCount == 198)

        clock.advance(bySeconds: 20)
        for _ in 0..<500 where await fired.count < 198 { try await Task.sleep(nanoseconds: 2_000_000) }
        #expect(await fired.count == 198)
        for _ in 0..<500 where await scheduler.pendingCount > 0 { try await Task.sleep(nanoseconds: 2_000_000) }
        #expect(await scheduler.pendingCount == 0, "fired timers must not stay in the scheduler")
    }

    private actor Log {
        private(set) var fired: [String: Instant] = [:]
        func note(_ key: String, at now: Instant) { fired[key] = now }
    }

    @Test("timers fire when due and only then, whatever was set, replaced and cancelled before (seeded)")
    func firesWhatTheModelExpects() async throws {
        let seed = UInt64(Environment.seed ?? 41)
        var random = SplitMix64(seed: seed)
        let start = Instant(secondsSinceEpoch: 1_800_000_000)
        let clock = ManualClock(now: start)
        let scheduler = TimerScheduler(clock: clock)
        let log = Log()
        let sessions = (0..<12).map { SessionID(rawValue: "s-model-\($0)")! }
        // The model: the deadline of every pending timer, by "session/timer".
        var pending: [String: Instant] = [:]
        // Many more replacements than timers, so that the scheduler's heap is compacted several times.
        for _ in 0..<600 {
            let session = sessions[Int(random.next() % UInt64(sessions.count))]
            let timer = SessionTimer.allCases[Int(random.next() % UInt64(SessionTimer.allCases.count))]
            let key = "\(session)/\(timer.rawValue)"
            switch random.next() % 10 {
            case 0:
                await scheduler.cancel(session: session)
                for timer in SessionTimer.allCases { pending["\(session)/\(timer.rawValue)"] = nil }
            case 1:
                await scheduler.schedule(.init(session: session, timer: timer, at: nil)) { _, _, _ in }
                pending[key] = nil
            default:
                let deadline = start.adding(seconds: Int64(1 + random.next() % 100))
                await scheduler.schedule(.init(session: session, timer: timer, at: deadline)) { _, _, now in
                    await log.note(key, at: now)
                }
                pending[key] = deadline
            }
        }
        #expect(await scheduler.pendingCount == pending.count, "seed \(seed)")
        // Advance in steps; after each, exactly the timers due by then have fired, at that instant.
        for step in stride(from: Int64(10), through: 110, by: 10) {
            clock.advance(to: start.adding(seconds: step))
            let due = pending.filter { $0.value <= clock.now }
            for _ in 0..<500 where await log.fired.count < due.count { try await Task.sleep(nanoseconds: 2_000_000) }
            let fired = await log.fired
            #expect(Set(fired.keys) == Set(due.keys), "after \(step) s, seed \(seed)")
            for (key, at) in fired {
                #expect(at >= pending[key] ?? at, "\(key) fired before its deadline, seed \(seed)")
            }
        }
        #expect(await scheduler.pendingCount == 0, "seed \(seed)")
    }
}
