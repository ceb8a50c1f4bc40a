/// What the person wants, stated once by the assistant's developer.
public struct Wishes: Hashable, Sendable, Codable {
    /// The service or category to ask for (`haircut`, `table`).
    public var service: String
    /// Acceptable start times, most preferred first. The agent asks for one window at a time,
    /// revealing the next only when the previous one yields nothing acceptable.
    public var windows: [TimeWindow]
    /// The ideal start time; offers nearer to it score better.
    public var preferredStart: Instant?
    /// The most the person pays.
    public var priceCeiling: Money?
    /// How many people.
    public var partySize: Int?
    /// After this instant the agent gives up.
    public var concludeBy: Instant?
    /// Answers the agent may give to the company's questions, by topic (`service`: `haircut-women`).
    public var answers: [String: String]
    /// Questions the agent asks when the company says no reservation is needed, by topic
    /// (`wait-time`: "How long is the wait usually?").
    public var walkInQuestions: [String: String]

    /// Creates the wishes: what to book, when, and what the agent may agree to without asking.
    public init(
        service: String, windows: [TimeWindow], preferredStart: Instant? = nil, priceCeiling: Money? = nil, partySize: Int? = nil,
        concludeBy: Instant? = nil, answers: [String: String] = [:], walkInQuestions: [String: String] = [:]
    ) {
        self.service = service
        self.windows = windows
        self.preferredStart = preferredStart
        self.priceCeiling = priceCeiling
        self.partySize = partySize
        self.concludeBy = concludeBy
        self.answers = answers
        self.walkInQuestions = walkInQuestions
    }

    /// Whether `proposal` is within the person's constraints: in a window, under the ceiling,
    /// the service the person answered for (if any).
    public func admits(_ proposal: Proposal, price: Money? = nil) -> Bool {
        let price = price ?? proposal.price
        guard windows.contains(where: { $0.contains(proposal.slot.start) }) else { return false }
        if let ceiling = priceCeiling, ceiling.currency != price.currency || price.amount > ceiling.amount { return false }
        if let exact = answers["service"], proposal.service != exact, proposal.service != service { return false }
        return true
    }
}

/// How the person's data may be shared: per purpose, which fields, and on what terms.
///
/// Anything the policy does not mention is denied. The company's bot never decides what is shared:
/// only this policy, and the person through the approval hook.
public struct PrivacyPolicy: Hashable, Sendable, Codable {
    /// What to do with a request for data.
    public enum Decision: String, Hashable, Sendable, Codable {
        /// Share without asking.
        case allow
        /// Never share.
        case deny
        /// Ask the person through the approval hook.
        case ask
    }

    /// The rule for one purpose.
    public struct Rule: Hashable, Sendable, Codable {
        /// The fields the rule applies to; a request for any other field is denied.
        public var fields: Set<DataField>
        /// What to do.
        public var decision: Decision
        /// Give and take: share only when the offer gives at least this discount (percent).
        public var minimumDiscountPercent: Int?
        /// The longest retention accepted, in days.
        public var maximumRetentionDays: Int?

        /// Creates the rule for one purpose.
        public init(fields: Set<DataField>, decision: Decision, minimumDiscountPercent: Int? = nil, maximumRetentionDays: Int? = nil) {
            self.fields = fields
            self.decision = decision
            self.minimumDiscountPercent = minimumDiscountPercent
            self.maximumRetentionDays = maximumRetentionDays
        }
    }

    /// Rules by purpose.
    public var rules: [Purpose: Rule]

    /// Creates a policy from one rule per purpose; a purpose without a rule is denied.
    public init(rules: [Purpose: Rule] = [:]) {
        self.rules = rules
    }

    /// The decision for sharing `fields` for `purpose`, kept `retentionDays`, in exchange for `discountPercent`.
    public func decision(fields: [DataField], purpose: Purpose, retentionDays: Int, discountPercent: Int? = nil) -> Decision {
        guard let rule = rules[purpose], fields.allSatisfy(rule.fields.contains) else { return .deny }
        if let maximum = rule.maximumRetentionDays, retentionDays > maximum { return .deny }
        if let minimum = rule.minimumDiscountPercent, (discountPercent ?? 0) < minimum { return .deny }
        return rule.decision
    }
}

/// What the person is asked through the approval hook.
public struct ApprovalRequest: Hashable, Sendable {
    /// The company asking.
    public var company: AgentID
    /// The fields.
    public var fields: [DataField]
    /// The purpose.
    public var purpose: Purpose
    /// How long the company keeps them.
    public var retentionDays: Int
    /// What the person gets in return, when the request comes from a promotional add-on.
    public var inExchangeFor: AddOn?
}
