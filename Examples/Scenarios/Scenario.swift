public import Parley

/// One played-out scenario: the outcome and everything needed to check its privacy facts.
public struct ScenarioRun: Sendable {
    /// What the customer agent reports.
    public var outcome: NegotiationOutcome
    /// The customer agent, for its receipts and bookings.
    public var customer: CustomerAgent
    /// The company agents, by id.
    public var companies: [AgentID: CompanyAgent]
    /// Their stores, by company id.
    public var stores: [AgentID: InMemoryBookingStore]
    /// The envelopes of every session, in order, as the customer side recorded them.
    public var transcripts: [[Envelope]]
}

/// Wires agents together over in-process transports on a manual clock.
public struct Stage: Sendable {
    /// The clock every agent reads.
    public let clock: ManualClock
    /// The day S1 and the other salon scenarios play on: three days after the clock's start
    /// (3 May 2026 for the fixed world).
    public let day: ScenarioDay
    /// The day S2 plays on: six days after the clock's start (Wednesday 6 May 2026 for the fixed world).
    public let restaurantDay: ScenarioDay
    /// Whether every envelope is round-tripped through the JSON wire codec.
    public var throughWire = true

    /// A stage whose clock starts at `now` (by default the fixed world's 30 April 2026, 11:00 in
    /// Berlin, so that runs replay exactly); the scenarios' calendars are laid out relative to it.
    public init(throughWire: Bool = true, now: Instant = World.now) {
        self.throughWire = throughWire
        clock = ManualClock(now: now)
        day = ScenarioDay.following(now, days: 3)
        restaurantDay = ScenarioDay.following(now, days: 6)
    }

    /// A customer agent for Lisa.
    public func lisa(
        wishes: Wishes, policy: PrivacyPolicy = World.bookingOnlyPolicy, discloseWithAcceptance: Bool = false,
        approval: (@Sendable (ApprovalRequest) async -> Bool)? = nil, id: AgentID = World.lisa, seed: UInt64 = 1
    ) -> CustomerAgent {
        CustomerAgent(
            id: id, wishes: wishes, policy: policy, personalData: World.lisasData, consentKey: World.lisasKey,
            discloseWithAcceptance: discloseWithAcceptance, approval: approval, clock: clock, seed: seed,
            signingKey: World.lisasSigningKey, trustedCompanyKeys: World.trustedCompanyKeys)
    }

    /// Connects `customer` to `company` and starts the company serving the connection.
    public func connect(_ customer: CustomerAgent, to company: CompanyAgent) async {
        let (customerEnd, companyEnd) = InProcessTransport.pair(codec: throughWire ? WireCodec() : nil)
        let clock = self.clock
        Task { await company.serve(companyEnd, clock: clock) }
        await customer.connect(to: company.profile.id, over: customerEnd)
    }
}
