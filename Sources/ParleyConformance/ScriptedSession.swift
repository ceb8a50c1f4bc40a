public import Parley
import ParleyCrypto

/// The suite's own side of one session. It writes envelopes with the right ids, `seq` and `ack`,
/// follows the phase by the transition table (`Spec/PROTOCOL.md` §6) for what both sides send,
/// and keeps the agreement digest (§5.6), so that legal envelopes are exactly what a conforming
/// agent would send, while crafted ones (wrong phase, wrong content, replays) are easy to make.
///
/// It deliberately does not use `SessionStateMachine`: the machine refuses to send what the
/// negative cases need, and the suite should not trust the implementation it helps to test.
public struct ScriptedSession: Sendable {
    /// The suite's role in the session.
    public let role: Role
    /// The session id.
    public let session: SessionID
    /// The suite's agent id.
    public let local: AgentID
    /// The peer's agent id.
    public let peer: AgentID
    /// The phase, as the suite computes it.
    public private(set) var phase: SessionPhase = .start
    /// The highest `seq` received from the peer without gaps.
    public private(set) var received = 0
    /// The proposals on the table (the last offer, counter-offer or decline with proposals).
    public private(set) var table: [Proposal] = []
    /// The first proposal on the table; a case failure, not a crash, when the peer put none there
    /// (it declined, say, where the case needs an offer).
    public func firstProposal() throws -> Proposal {
        guard let proposal = table.first else {
            throw ConformanceFailure(
                "the peer put no proposal on the table (its last message: \(lastReceived.map { "'\($0.message.kind)'" } ?? "none"))",
                envelope: lastReceived)
        }
        return proposal
    }
    /// The windows of the current ask.
    public private(set) var windows: [TimeWindow] = []
    /// The accepted proposal.
    public private(set) var accepted: Proposal?
    /// The last envelope the suite made.
    public private(set) var lastSent: Envelope?
    /// The last envelope the peer sent.
    public private(set) var lastReceived: Envelope?
    private var resume: SessionPhase?
    private var seen: [MessageID: TransitionTable.Row] = [:]
    private var nextSequence = 1
    private var digest = [UInt8](repeating: 0, count: 32)
    private let codec = WireCodec()

    /// The instant the suite writes into `sentAt`. Receivers must not decide anything on it.
    public let now: Instant

    /// The instant the suite writes into `sentAt`: an `Instant`, not a clock, hence the new name.
    @available(*, deprecated, renamed: "now")
    public var clock: Instant { now }

    /// Starts a session in which the suite plays `role`, writing `now` into `sentAt`.
    public init(role: Role, session: SessionID, local: AgentID, peer: AgentID, now: Instant) {
        self.role = role
        self.session = session
        self.local = local
        self.peer = peer
        self.now = now
    }

    /// The agreement digest so far (lowercase hex).
    public var agreementDigest: String { Hex.encode(digest) }

    /// The sequence number the next new envelope will carry.
    public var upcomingSequence: Int { nextSequence }

    /// Makes the next envelope carrying `message`. Unless `expectRejection` is set, a message
    /// the table admits moves the suite's phase and digest as the peer's should move. `sentAt`
    /// defaults to the suite's fixed instant.
    public mutating func envelope(
        _ message: Message, inReplyTo: MessageID? = nil, expectRejection: Bool = false, sentAt: Instant? = nil
    ) -> Envelope {
        var envelope = crafted(message, id: nextID(), sequence: nextSequence, inReplyTo: inReplyTo)
        if let sentAt {
            envelope = Envelope(
                id: envelope.id, session: session, from: local, to: peer, sequence: envelope.sequence, acknowledged: received,
                inReplyTo: inReplyTo, sentAt: sentAt, message: message)
        }
        nextSequence += 1
        lastSent = envelope
        if !expectRejection, let row = Self.row(for: message, from: role, in: phase) { apply(envelope, row: row) }
        return envelope
    }

    /// An envelope with the given id and sequence number, changing nothing (for duplicates and replays).
    public func crafted(_ message: Message, id: MessageID, sequence: Int, inReplyTo: MessageID? = nil, version: Int = 1) -> Envelope {
        Envelope(
            version: version, id: id, session: session, from: local, to: peer, sequence: sequence, acknowledged: received,
            inReplyTo: inReplyTo, sentAt: now, message: message)
    }

    /// Reserves the next sequence number for crafted bytes the peer will consume (§8).
    public mutating func reserveSequence() -> (id: MessageID, sequence: Int) {
        defer { nextSequence += 1 }
        return (nextID(), nextSequence)
    }

    /// Takes in an envelope the peer sent. Returns the table row that admits it, or `nil` when no
    /// row does (the peer broke the table). Errors and closes after the end are tolerated.
    @discardableResult
    public mutating func received(_ envelope: Envelope) -> TransitionTable.Row? {
        if let known = seen[envelope.id] { return known }  // a resend (§5.5): taken in once
        if envelope.sequence == received + 1 { received = envelope.sequence }
        lastReceived = envelope
        guard let row = Self.row(for: envelope.message, from: role.peer, in: phase) else { return nil }
        seen[envelope.id] = row
        apply(envelope, row: row)
        return row
    }

    /// Whether the peer sent a message with this id before (a retransmission, §9).
    public func hasSeen(_ id: MessageID) -> Bool { seen[id] != nil }

    /// The row that admits `message` from `sender` in `phase`, choosing by the row's condition.
    public static func row(for message: Message, from sender: Role, in phase: SessionPhase) -> TransitionTable.Row? {
        let condition: TransitionTable.Condition
        switch message {
        case .decline(let decline): condition = decline.proposals.isEmpty ? .withoutProposals : .withProposals
        case .confirm(let confirm): condition = confirm.status == .cancelled ? .cancelledStatus : .bookedOrRescheduled
        case .error(let report): condition = TransitionTable.isFatal(code: report.code) ? .fatal : .nonFatal
        default: condition = .always
        }
        return TransitionTable.rows(in: phase, from: sender, kind: message.kind).first {
            $0.condition == .always || $0.condition == condition
        }
    }

    private func nextID() -> MessageID {
        MessageID(stringLiteral: "\(role == .customer ? "cc" : "ck")\(nextSequence)")
    }

    private mutating func apply(_ envelope: Envelope, row: TransitionTable.Row) {
        if envelope.kind != .error, envelope.kind != .close, envelope.kind != .consentRevoke {
            digest = SHA256.hash(digest + codec.encode(envelope))
        }
        switch envelope.message {
        case .request(let request), .counterRequest(let request):
            windows = request.windows
            table = []
        case .reschedule(let reschedule):
            windows = reschedule.windows
            table = []
        case .offer(let offer), .counterOffer(let offer):
            table = offer.proposals
        case .decline(let decline):
            table = decline.proposals
        case .accept(let accept):
            accepted = table.first { $0.id == accept.proposal }
            table = []
        case .reject(let reject):
            table.removeAll { reject.proposals.isEmpty || reject.proposals.contains($0.id) }
        default:
            break
        }
        switch row.next {
        case .phase(let next):
            if next == .inquiring || next == .cancelling || next == .rescheduling { resume = phase }
            phase = next
        case .resume:
            phase = resume ?? .ready
            resume = nil
        case .unchanged:
            break
        }
    }
}
