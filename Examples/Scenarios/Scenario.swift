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
    public let clock = ManualClock(now: World.now)
    /// Whether every envelope is round-tripped through the JSON wire codec.
    public var throughWire = true

    public init(throughWire: Bool = true) {
        self.throughWire = throughWire
    }

    /// A customer agent for Lisa.
    public func lisa(
        wishes: Wishes, policy: PrivacyPolicy = World.bookingOnlyPolicy, discloseWithAcceptance: Bool = false,
        approval: (@Sendable (ApprovalRequest) async -> Bool)? = nil, id: AgentID = World.lisa, seed: UInt64 = 1
    ) -> CustomerAgent {
        CustomerAgent(
            id: id, wishes: wishes, policy: policy, personalData: World.lisasData, consentKey: World.lisasKey,
            discloseWithAcceptance: discloseWithAcceptance, approval: approval, clock: clock, seed: seed)
    }

    /// Connects `customer` to `company` and starts the company serving the connection.
    public func connect(_ customer: CustomerAgent, to company: CompanyAgent) async {
        let (customerEnd, companyEnd) = InProcessTransport.pair(codec: throughWire ? WireCodec() : nil)
        let clock = self.clock
        Task { await company.serve(companyEnd, clock: clock) }
        await customer.connect(to: company.profile.id, over: customerEnd)
    }
}
