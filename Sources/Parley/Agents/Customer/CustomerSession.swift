/// What a customer agent keeps for one session besides the state machine.
///
/// `Codable`: the agent saves it in its ``SessionStore`` after every event and before anything
/// the event produced is sent, so that an assistant restarted by its platform continues the
/// session from here (``CustomerAgent/resume(_:)``).
struct CustomerSession: Sendable, Codable {
    /// What the session is for.
    enum Goal: Sendable, Codable {
        /// Book per the wishes; `collecting` stops at the best acceptable proposal (contract net).
        case book(collecting: Bool)
        /// Move a booking into new windows.
        case reschedule(Booking, windows: [TimeWindow], preferred: Instant?)
        /// Cancel a booking.
        case cancel(Booking)
        /// Revoke a consent token.
        case revoke(TokenID)
    }

    /// A walk-in question still to ask: its topic and text.
    struct WalkInQuestion: Sendable, Codable {
        var topic: String
        var text: String
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
    var walkInQuestions: [WalkInQuestion] = []
    var walkInAnswers: [String: String] = [:]
    var askedTopic: String?
    var questionCounter = 0
    /// Grants made in this session.
    var grants: [Message.ConsentGrant] = []
    /// Requirements the person approved through the approval hook before the accept.
    var approved: [DataRequirement] = []
    /// The outcome, once known.
    var outcome: NegotiationOutcome?

    // What the agent keeps beyond the session, saved with it so that a restarted agent has it back.

    /// The session's timers and when each is due, re-armed on resume.
    var timers: [SessionTimer: Instant] = [:]
    /// When the session ended, once it has.
    var endedAt: Instant?
    /// The consent receipts of the grants made in this session, as the agent's ledger holds them.
    var receipts: [ConsentReceipt] = []
    /// The signed consent receipts of the grants made in this session.
    var consentProofs: [SignedReceipt] = []
    /// For a revocation session: when the token was revoked in the agent's ledger.
    var revokedAt: Instant?

    init(machine: SessionStateMachine, company: AgentID, goal: Goal) {
        self.machine = machine
        self.company = company
        self.goal = goal
    }

    /// Applies the timer changes of `requests` that concern `session`.
    mutating func noteTimers(_ requests: [AgentOutput.TimerRequest], session: SessionID) {
        for request in requests where request.session == session {
            if let at = request.at { timers[request.timer] = at } else { timers[request.timer] = nil }
        }
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
