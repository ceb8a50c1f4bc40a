import ParleyScenarios
import Testing

@testable import Parley

/// Issue 13 §B and §D: ids are unpredictable unless a seed is asked for, the wishes' deadline
/// holds before the company says hello, and the end of the company's input ends the negotiation.
@Suite("Time and random defaults")
struct TimeDefaultsTests {
    static let company: AgentID = "salon.example/bot"

    /// A customer agent for S1 talking to nobody yet, on `clock`.
    static func lisa(clock: ManualClock, seed: UInt64? = nil, concludeBy: Instant? = nil) -> CustomerAgent {
        var wishes = Scenarios.haircutWishes
        wishes.concludeBy = concludeBy
        return CustomerAgent(
            id: World.lisa, wishes: wishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
            consentKey: World.lisasKey, clock: clock, seed: seed)
    }

    /// Starts `book` and returns the task and the first envelope the customer sends (its hello).
    static func startBooking(_ agent: CustomerAgent) async -> (Task<NegotiationOutcome, Never>, Envelope?, InProcessTransport) {
        let (customerEnd, companyEnd) = InProcessTransport.pair()
        await agent.connect(to: company, over: customerEnd)
        let task = Task { await agent.book(at: company) }
        var inbound = companyEnd.inbound.makeAsyncIterator()
        guard case .envelope(let hello) = await inbound.next() else { return (task, nil, companyEnd) }
        return (task, hello, companyEnd)
    }

    /// Whether `session` has ended within `seconds` of real time (polled; the agent's clock may be manual).
    static func finishes(_ agent: CustomerAgent, _ session: SessionID, within seconds: Double) async -> Bool {
        for _ in 0..<Int(seconds * 50) {
            if await agent.isFinished(session), await agent.outcome(of: session) != nil { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    @Test("without a seed, session ids are 128 random bits and differ on every run")
    func idsAreRandomByDefault() async throws {
        var ids: [SessionID] = []
        for _ in 0..<2 {
            let agent = Self.lisa(clock: ManualClock(now: World.now))
            let (task, hello, _) = await Self.startBooking(agent)
            ids.append(try #require(hello).session)
            await agent.disconnect()
            _ = await task.value
        }
        #expect(ids[0] != ids[1], "two runs without a seed opened the same session id \(ids[0])")
        for id in ids {
            #expect(id.rawValue.count == 34 && id.rawValue.hasPrefix("s-"), "session id \(id) is not s- and 32 hex digits")
        }
    }

    @Test("with a seed, session ids replay exactly")
    func seededIdsReplay() async throws {
        var ids: [SessionID] = []
        for _ in 0..<2 {
            let agent = Self.lisa(clock: ManualClock(now: World.now), seed: 42)
            let (task, hello, _) = await Self.startBooking(agent)
            ids.append(try #require(hello).session)
            await agent.disconnect()
            _ = await task.value
        }
        #expect(ids[0] == ids[1])
    }

    @Test("the wishes' conclude-by deadline ends a negotiation whose company never says hello")
    func concludeByHoldsBeforeHello() async throws {
        let clock = ManualClock(now: World.now)
        let agent = Self.lisa(clock: clock, seed: 7, concludeBy: World.now.adding(seconds: 30))
        let (task, hello, _) = await Self.startBooking(agent)
        #expect(hello?.kind == .hello)
        clock.advance(bySeconds: 30)
        let session = try #require(hello).session
        let ended = await Self.finishes(agent, session, within: 10)
        if !ended { await agent.disconnect() }
        try #require(ended, "book still waits 30 s after the deadline (idle timeout is 600 s)")
        let outcome = await task.value
        guard case .noAgreement = outcome else {
            Issue.record("expected no agreement, got \(String(describing: outcome))")
            return
        }
        let transcript = await agent.transcript(of: session)
        #expect(transcript.last?.kind == .close)
    }

    @Test("the end of the company's input ends the negotiation at once (§4.6)")
    func endOfInputEndsTheNegotiation() async throws {
        let clock = ManualClock(now: World.now)
        let agent = Self.lisa(clock: clock, seed: 8)
        let (task, hello, companyEnd) = await Self.startBooking(agent)
        #expect(hello?.kind == .hello)
        await companyEnd.close()
        let session = try #require(hello).session
        let ended = await Self.finishes(agent, session, within: 10)
        if !ended { await agent.disconnect() }
        try #require(ended, "book still waits after the company's input ended")
        let outcome = await task.value
        guard case .noAgreement = outcome else {
            Issue.record("expected no agreement, got \(String(describing: outcome))")
            return
        }
    }
}
