public import Parley

/// One named check of the conformance suite: what it tests, which part of the spec it checks, the
/// role of the peer it runs against, and what it covers of the transition table and error codes.
public struct ConformanceCase: Sendable, Identifiable {
    /// The groups the cases fall in.
    public enum Group: String, Sendable, CaseIterable {
        /// Envelope decoding and JSON Lines framing (§3, §4).
        case framing
        /// Each message's validity rules (§5, §7).
        case content
        /// Each role's transition table (§6).
        case table
        /// Consent token verification (`CONSENT.md`).
        case consent
        /// Error handling (§8).
        case errors
        /// Idempotency and replays (§5.5, §9).
        case idempotency
        /// Deadlines and expiry (§6.2).
        case expiry
        /// Privacy: no disclosure without a grant, no field outside the grant (§7, §11, `CONSENT.md` §9).
        case privacy
        /// Whole negotiations (§1, `scenarios.md` S1).
        case flow
    }

    /// A stable id, `group.name` (`framing.oversized-line`); `--case` selects by it.
    public let id: String
    /// The group.
    public let group: Group
    /// What the case checks, in one line.
    public let title: String
    /// The spec section it checks, e.g. `PROTOCOL.md §4.4`.
    public let specSection: String
    /// The role of the peer under test (the suite plays the other one).
    public let role: Role
    /// The transition-table rows the case exercises.
    public let covers: [TransitionTable.Row]
    /// The error codes the case makes the peer send, or (for the suite's own rejections) checks.
    public let codes: [ParleyError.Code]
    /// The check itself: returns normally when the peer passes; throws ``ConformanceFailure`` or ``ConformanceSkip``.
    public let run: @Sendable (ConformanceContext) async throws -> Void

    /// Creates a case.
    public init(
        id: String, group: Group, title: String, specSection: String, role: Role, covers: [TransitionTable.Row] = [],
        codes: [ParleyError.Code] = [], run: @escaping @Sendable (ConformanceContext) async throws -> Void
    ) {
        self.id = id
        self.group = group
        self.title = title
        self.specSection = specSection
        self.role = role
        self.covers = covers
        self.codes = codes
        self.run = run
    }
}

/// How a case ended.
public enum ConformanceOutcome: Sendable, Hashable {
    /// The peer did what the spec requires.
    case pass
    /// It did not: why, and the offending message (canonical JSON) if there is one.
    case fail(reason: String, offending: String?)
    /// The case could not run against this peer, and why.
    case skip(String)
}

/// Thrown by a case when the peer breaks the spec.
public struct ConformanceFailure: Error, Sendable {
    /// Why the case failed.
    public var reason: String
    /// The offending envelope's canonical JSON, or the text the suite sent when the peer stayed silent.
    public var offending: String?

    /// A failure with its reason and, when there is one, the offending wire text.
    public init(_ reason: String, offending: String? = nil) {
        self.reason = reason
        self.offending = offending
    }

    /// A failure with its reason and the envelope that broke the rule.
    public init(_ reason: String, envelope: Envelope?) {
        self.init(reason, offending: envelope.map { WireCodec().encodeText($0) })
    }
}

/// Thrown by a case that cannot run against this peer.
public struct ConformanceSkip: Error, Sendable {
    /// Why.
    public var reason: String

    /// A skip, saying why the case does not apply.
    public init(_ reason: String) { self.reason = reason }
}

extension TransitionTable {
    /// The rows for `phase`, `sender` and `kind` (all conditions), for ``ConformanceCase/covers``.
    static func rows(_ phase: SessionPhase, _ sender: Role, _ kind: Message.Kind, _ condition: Condition? = nil) -> [Row] {
        rows(in: phase, from: sender, kind: kind).filter { condition == nil || $0.condition == condition }
    }
}
