/// What a customer agent keeps for one session besides the state machine.
struct CustomerSession: Sendable {
    /// What the session is for.
    enum Goal: Sendable {
        /// Book per the wishes; `collecting` stops at the best acceptable proposal (contract net).
        case book(collecting: Bool)
        /// Move a booking into new windows.
        case reschedule(Booking, windows: [TimeWindow], preferred: Instant?)
        /// Cancel a booking.
        case cancel(Booking)
        /// Revoke a consent token.
        case revoke(TokenID)
    }

    var machine: SessionStateMachine
    let company: AgentID
    let goal: Goal
    var transcript: [Envelope] = []
    /// The index of the wish window asked for last.
    var windowIndex = 0
    /// The best acceptable proposal seen while collecting.
    var candidate: Proposal?
    /// Walk-in conversation: the company's text, questions still to ask, answers so far.
    var walkInText: String?
    var walkInQuestions: [(topic: String, text: String)] = []
    var walkInAnswers: [String: String] = [:]
    var askedTopic: String?
    var questionCounter = 0
    /// Grants made in this session.
    var grants: [Message.ConsentGrant] = []
    /// Requirements the person approved through the approval hook before the accept.
    var approved: [DataRequirement] = []
    /// The outcome, once known.
    var outcome: NegotiationOutcome?

    init(machine: SessionStateMachine, company: AgentID, goal: Goal) {
        self.machine = machine
        self.company = company
        self.goal = goal
    }
}

/// Scores proposals for the person: lower is better.
public struct OfferStrategy: Sendable {
    /// Returns the score of `proposal` at `price` given the wishes; `nil` when not acceptable.
    public var score: @Sendable (_ proposal: Proposal, _ price: Money, _ wishes: Wishes) -> Int64?

    /// Creates a strategy that takes the proposal `score` ranks highest.
    public init(score: @escaping @Sendable (_ proposal: Proposal, _ price: Money, _ wishes: Wishes) -> Int64?) {
        self.score = score
    }

    /// The default: only proposals the wishes admit; nearest to the preferred start first, then cheapest.
    public static let nearestThenCheapest = OfferStrategy { proposal, price, wishes in
        guard wishes.admits(proposal, price: price) else { return nil }
        guard let target = wishes.preferredStart ?? wishes.windows.first?.start else { return nil }
        let minutes = abs(proposal.slot.start.seconds(to: target)) / 60
        return minutes * 1_000_000 + min(price.amount, 999_999)
    }
}
