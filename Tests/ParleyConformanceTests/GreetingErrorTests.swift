import Parley
import ParleyConformance
import Testing

/// A customer written from the spec alone, as an independent implementation would: it says hello,
/// requests once the company's hello arrives, and goes on after a non-fatal `error` without
/// closing (which §6 and §8 allow). Driven by ``SessionStateMachine``, answering synchronously.
actor SpecCustomerPeer: ConformancePeer {
    private var machine: SessionStateMachine
    private var outbox: [PeerEvent] = []
    private let now: Instant
    private let window: TimeWindow

    init(now: Instant, window: TimeWindow) {
        self.now = now
        self.window = window
        machine = SessionStateMachine(
            role: .customer, session: "s-independent", local: "independent.example/customer", peer: "salon.example/bot")
        _ = machine.start(now: now)
        outbox = Self.sent((try? machine.send(.hello(.init(role: .customer)), now: now)) ?? [])
    }

    private static func sent(_ actions: [SessionAction]) -> [PeerEvent] {
        actions.compactMap { if case .send(let envelope) = $0 { .envelope(envelope) } else { nil } }
    }

    func send(_ envelope: Envelope) async throws {
        let actions = machine.messageReceived(envelope, now: now)
        outbox += Self.sent(actions)
        for case .deliver(let delivered) in actions where delivered.kind == .hello {
            let request = Message.request(.init(service: "haircut-women", windows: [window]))
            outbox += Self.sent((try? machine.send(request, inReplyTo: delivered.id, now: now)) ?? [])
        }
    }

    func send(line bytes: [UInt8]) async throws {}

    func receive(within seconds: Double) async -> PeerEvent? {
        outbox.isEmpty ? nil : outbox.removeFirst()
    }

    func close() async -> String { "" }
}

@Suite("Conformance: a non-fatal error in greeting")
struct GreetingErrorTests {
    /// Issue 13 §D: after a non-fatal `error` in `greeting` the customer is still in `greeting`;
    /// the company's hello then moves it to `ready` (§6), where its `request` is legal. The case
    /// used to probe with a company `hello` and fail the customer's request as "still greeting".
    @Test func aCustomerThatGoesOnAfterANonFatalErrorPasses() async throws {
        let profile = ConformanceProfile(now: Instant(rfc3339: "2026-04-30T09:00:00Z")!, daysAhead: 3)
        let greetingError = try #require(ConformanceSuite.cases(for: .customer, id: "table.customer.greeting.error").first)
        let result = await ConformanceSuite(profile: profile, replyTimeout: 1).run(greetingError) {
            SpecCustomerPeer(now: profile.now, window: profile.freeWindow)
        }
        #expect(result.outcome == .pass, "\(result.outcome)")
    }
}

@Suite("Conformance: the suite's clock")
struct ConformanceClockTests {
    /// Issue 13 §D: the suite's windows, offers and tokens follow the clock it runs on, so that a
    /// peer on the real clock finds them in the future (they were fixed in May 2026).
    @Test func windowsAndExpiriesFollowTheClock() {
        let now = Instant(rfc3339: "2026-12-02T18:00:00Z")!
        let profile = ConformanceProfile(now: now)
        // Tomorrow, 3 December 2026, 10:00–12:00 in Berlin (CET, UTC+1).
        #expect(
            profile.freeWindow
                == TimeWindow(start: Instant(rfc3339: "2026-12-03T09:00:00Z")!, end: Instant(rfc3339: "2026-12-03T11:00:00Z")!))
        #expect(profile.busyWindow.start == Instant(rfc3339: "2026-12-03T11:00:00Z")!)
        #expect(profile.wideWindow.start > now && profile.expiry > profile.wideWindow.end)
        let onTheSystemClock = ConformanceProfile()
        #expect(onTheSystemClock.freeWindow.start > SystemClock().now)
    }
}
