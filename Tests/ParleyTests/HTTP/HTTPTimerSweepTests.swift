import ParleyScenarios
import Testing

@testable import Parley

/// `CompanyHTTPBinding.fireDueTimers()`: a host's background sweep fires the timers a session left
/// in the store after its instance went away, and wakes the polls parked for it.
@Suite("HTTP binding: the background timer sweep fires stored timers and wakes polls")
struct HTTPTimerSweepTests {
    @Test("a new instance's sweep fires the idle timer of a session the old instance began; the parked poll gets the close")
    func sweepFiresTimersOfAGoneInstance() async throws {
        let sessions = InMemorySessionStore()
        let bookings = InMemoryBookingStore(openingHours: Salons.openingHours)
        let clock = ManualClock(now: World.now)
        let first = CompanyHTTPBinding(agent: Salons.salon(store: bookings, sessionStore: sessions), clock: clock)
        let hello = await first.respond(to: HTTPBindingTests.post(WireCodec().encode(HTTPBindingTests.hello(session: "sweep-1"))))
        #expect(hello.status == 200)
        await first.shutdown()  // its timers are gone with it; the session's idle timer is in the store

        let second = CompanyHTTPBinding(agent: Salons.salon(store: bookings, sessionStore: sessions), clock: clock)
        #expect(await second.fireDueTimers().envelopes.isEmpty, "a timer fired before it was due")
        let parked = Task {
            await second.respond(to: HTTPBindingTests.poll("sweep-1", after: 1, wait: 30))
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        clock.advance(bySeconds: 601)
        let fired = await second.fireDueTimers()
        // The unacknowledged hello is retransmitted (its timer is due first), then the idle timer closes.
        #expect(fired.envelopes.map(\.kind) == [.hello, .close])
        #expect(fired.finished["sweep-1"] != nil)
        #expect(await second.fireDueTimers().envelopes.isEmpty, "a second sweep within the same second did something")
        let response = await parked.value
        #expect(response.status == 200)
        #expect(try HTTPBindingTests.lines(response).map(\.kind) == [.close])
        #expect(await second.agent.phase(of: "sweep-1") == .closed)
        #expect(await sessions.sessions(withTimersDueBy: clock.now, limit: 10).isEmpty)
    }
}
