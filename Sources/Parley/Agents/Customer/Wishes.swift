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
    /// Bounds on the terms of a proposal beyond time and price: its duration and its cancellation
    /// terms. ``TermLimits/standard`` unless the person says otherwise.
    public var limits: TermLimits

    /// Creates the wishes: what to book, when, and what the agent may agree to without asking.
    public init(
        service: String, windows: [TimeWindow], preferredStart: Instant? = nil, priceCeiling: Money? = nil, partySize: Int? = nil,
        concludeBy: Instant? = nil, answers: [String: String] = [:], walkInQuestions: [String: String] = [:],
        limits: TermLimits = .standard
    ) {
        self.service = service
        self.windows = windows
        self.preferredStart = preferredStart
        self.priceCeiling = priceCeiling
        self.partySize = partySize
        self.concludeBy = concludeBy
        self.answers = answers
        self.walkInQuestions = walkInQuestions
        self.limits = limits
    }

    /// Decodes wishes; ``limits`` takes ``TermLimits/standard`` when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decode(String.self, forKey: .service)
        windows = try container.decode([TimeWindow].self, forKey: .windows)
        preferredStart = try container.decodeIfPresent(Instant.self, forKey: .preferredStart)
        priceCeiling = try container.decodeIfPresent(Money.self, forKey: .priceCeiling)
        partySize = try container.decodeIfPresent(Int.self, forKey: .partySize)
        concludeBy = try container.decodeIfPresent(Instant.self, forKey: .concludeBy)
        answers = try container.decodeIfPresent([String: String].self, forKey: .answers) ?? [:]
        walkInQuestions = try container.decodeIfPresent([String: String].self, forKey: .walkInQuestions) ?? [:]
        limits = try container.decodeIfPresent(TermLimits.self, forKey: .limits) ?? .standard
    }

    /// Whether `proposal` is within the person's constraints: in a window, under the ceiling,
    /// the service the person answered for (if any), and within ``limits``.
    public func admits(_ proposal: Proposal, price: Money? = nil) -> Bool {
        refusal(of: proposal, price: price) == nil
    }

    /// Why `proposal` (at `price`, its own price by default) is not acceptable, or `nil` when it is.
    public func refusal(of proposal: Proposal, price: Money? = nil) -> ProposalRefusal? {
        let price = price ?? proposal.price
        guard windows.contains(where: { $0.contains(proposal.slot.start) }) else { return .outsideWindows }
        if let ceiling = priceCeiling, ceiling.currency != price.currency || price.amount > ceiling.amount {
            return .priceAboveCeiling(price)
        }
        if let exact = answers["service"], proposal.service != exact, proposal.service != service {
            return .otherService(proposal.service)
        }
        return limits.refusal(of: proposal, priceCeiling: priceCeiling)
    }
}

/// Bounds on a proposal's duration and cancellation terms, which a customer agent refuses to
/// exceed whatever the company offers. The defaults (``standard``) suit appointments and tables:
/// at most four hours, free cancellation until at least two days before, and a late-cancellation
/// fee no higher than the price ceiling.
public struct TermLimits: Hashable, Sendable, Codable {
    /// The longest appointment accepted, in minutes (`slot.end - slot.start`).
    public var maximumDurationMinutes: Int
    /// The longest notice for free cancellation accepted, in minutes: a proposal whose cancellation
    /// stops being free earlier than this before the start is refused (unless late cancellation is
    /// free too).
    public var maximumCancellationNoticeMinutes: Int
    /// The highest late-cancellation fee accepted, in percent of the price ceiling (of the
    /// proposal's own price when the wishes set no ceiling). A fee in another currency is refused.
    public var maximumCancellationFeePercent: Int

    /// Creates limits; each defaults to the ``standard`` value.
    public init(maximumDurationMinutes: Int = 240, maximumCancellationNoticeMinutes: Int = 2880, maximumCancellationFeePercent: Int = 100) {
        self.maximumDurationMinutes = maximumDurationMinutes
        self.maximumCancellationNoticeMinutes = maximumCancellationNoticeMinutes
        self.maximumCancellationFeePercent = maximumCancellationFeePercent
    }

    /// At most 240 minutes; free cancellation until at least 2 days (2,880 minutes) before the
    /// start; a late-cancellation fee of at most 100 % of the price ceiling.
    public static let standard = TermLimits()

    /// Why `proposal` exceeds the limits, or `nil` when it does not.
    public func refusal(of proposal: Proposal, priceCeiling: Money? = nil) -> ProposalRefusal? {
        let minutes = proposal.slot.start.seconds(to: proposal.slot.end) / 60
        if minutes > Int64(maximumDurationMinutes) { return .tooLong(minutes: Int(minutes)) }
        guard let fee = proposal.cancellation.fee, fee.amount > 0 else { return nil }
        if proposal.cancellation.freeUntilMinutesBefore > maximumCancellationNoticeMinutes {
            return .cancellationNoticeTooLong(minutes: proposal.cancellation.freeUntilMinutesBefore)
        }
        let base = priceCeiling ?? proposal.price
        guard fee.currency == base.currency else { return .cancellationFeeTooHigh(fee) }
        // fee / base > percent / 100, without overflow: amounts lie within ±2^53.
        if fee.amount.multipliedFullWidth(by: 100) > max(base.amount, 0).multipliedFullWidth(by: Int64(maximumCancellationFeePercent)) {
            return .cancellationFeeTooHigh(fee)
        }
        return nil
    }
}

/// Why a customer agent does not accept a proposal.
public enum ProposalRefusal: Hashable, Sendable, Codable {
    /// It starts outside every window of the wishes.
    case outsideWindows
    /// Its price (add-ons applied) is above the price ceiling, or in another currency.
    case priceAboveCeiling(Money)
    /// It is another service than the one the person asked for.
    case otherService(String)
    /// It lasts longer than ``TermLimits/maximumDurationMinutes``.
    case tooLong(minutes: Int)
    /// Its cancellation stops being free earlier than ``TermLimits/maximumCancellationNoticeMinutes`` before the start.
    case cancellationNoticeTooLong(minutes: Int)
    /// Its late-cancellation fee is above ``TermLimits/maximumCancellationFeePercent`` of the ceiling.
    case cancellationFeeTooHigh(Money)
    /// It requires data the person's privacy policy does not share.
    case requiresRefusedData(fields: [DataField], purpose: Purpose)

    /// The `reject` reason that says it on the wire (`Spec/PROTOCOL.md` §5.2).
    public var rejectReason: String {
        switch self {
        case .outsideWindows: return "outside-window"
        case .priceAboveCeiling: return "price-too-high"
        case .otherService, .tooLong, .cancellationNoticeTooLong, .cancellationFeeTooHigh, .requiresRefusedData:
            return "no-suitable-proposal"
        }
    }

    /// One line for people and logs, without personal data.
    public var summary: String {
        switch self {
        case .outsideWindows: return "starts outside the wished times"
        case .priceAboveCeiling(let price): return "costs \(price), above the price ceiling"
        case .otherService(let service): return "is for '\(service)', not the wished service"
        case .tooLong(let minutes): return "lasts \(minutes) minutes, longer than the limit"
        case .cancellationNoticeTooLong(let minutes): return "free cancellation ends \(minutes) minutes before the start, too early"
        case .cancellationFeeTooHigh(let fee): return "charges \(fee) for a late cancellation, above the limit"
        case .requiresRefusedData(let fields, let purpose):
            return "requires \(fields.map(\.rawValue).joined(separator: ", ")) for \(purpose), which the privacy policy does not share"
        }
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
