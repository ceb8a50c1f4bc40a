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
}
