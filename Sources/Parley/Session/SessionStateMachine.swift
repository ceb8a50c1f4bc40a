/// The sans-I/O state machine of one Parley session, for either role.
///
/// Feed it events — ``start(now:)``, ``send(_:inReplyTo:now:)``, ``messageReceived(_:now:screen:)``,
/// ``malformedMessageReceived(_:sequence:now:)``, ``timerFired(_:now:)`` — and execute the
/// ``SessionAction``s it returns. It reads no clock, draws no random numbers and performs no I/O:
/// time comes in as `now`, message ids are derived from the sequence number, so a run replays exactly.
///
/// One machine serves both roles: the transition table (``TransitionTable``) is the same for
/// both sides, and each side applies it to what it sends and what it receives alike, so both
/// always agree on the ``phase``. A message we try to send against the rules throws a
/// ``ParleyError`` with fault ``ParleyError/Fault/local``; one the peer sends against them is
/// answered with an `error` message and reported as a `rejected` action.
///
/// The machine is `Codable`: store it, and resume the session in another process.
public struct SessionStateMachine: Hashable, Sendable, Codable {
    /// Tunables, with the spec's defaults (`Spec/PROTOCOL.md` §4.4, §9).
    ///
    /// A configuration is one pointer: its values live in an immutable shared object, so the
    /// machines of an agent's sessions, which all hold the agent's configuration, share one copy.
    /// Changing a value gives this configuration an object of its own.
    public struct Configuration: Hashable, Sendable, Codable {
        private struct Values: Hashable, Sendable {
            var idleTimeout: Int64 = 600
            var retransmitInterval: Int64 = 2
            var maximumRetransmitInterval: Int64 = 60
            var maximumErrors = 8
            var maximumMessages = 256
            var maximumBuffered = 16
            var maximumRounds = 16
            var supportedVersions = ParleyProtocol.supportedVersions
        }

        private final class Storage: Sendable {
            let values: Values
            init(_ values: Values) { self.values = values }
        }

        private static let defaults = Storage(Values())
        private var storage: Storage

        private var values: Values {
            get { storage.values }
            set { storage = Storage(newValue) }
        }

        /// `SESSION_IDLE_TIMEOUT`: seconds without any message before the session closes with outcome `timeout`.
        public var idleTimeout: Int64 {
            get { values.idleTimeout }
            set { values.idleTimeout = newValue }
        }
        /// `RETRANSMIT_INTERVAL`: seconds before unacknowledged messages are sent again the first
        /// time; each further wait doubles, up to ``maximumRetransmitInterval`` (§9).
        public var retransmitInterval: Int64 {
            get { values.retransmitInterval }
            set { values.retransmitInterval = newValue }
        }
        /// `RETRANSMIT_MAX_INTERVAL`: the longest wait between two retransmissions, before jitter (§9).
        public var maximumRetransmitInterval: Int64 {
            get { values.maximumRetransmitInterval }
            set { values.maximumRetransmitInterval = newValue }
        }
        /// `MAX_ERRORS`: rejected messages a session tolerates before it fails with `limit-exceeded`.
        public var maximumErrors: Int {
            get { values.maximumErrors }
            set { values.maximumErrors = newValue }
        }
        /// `MAX_MESSAGES`: messages received in one session before it fails with `limit-exceeded`.
        public var maximumMessages: Int {
            get { values.maximumMessages }
            set { values.maximumMessages = newValue }
        }
        /// `MAX_REORDER`: out-of-order messages buffered while waiting for a missing one.
        public var maximumBuffered: Int {
            get { values.maximumBuffered }
            set { values.maximumBuffered = newValue }
        }
        /// `MAX_ROUNDS`: negotiation rounds in one session. A round starts each time the session
        /// enters `requested` or `rescheduling` (a `request`, `counter-request`, `reschedule`, or an
        /// `answer` to the company's question); the message that would start one more fails the
        /// session with `limit-exceeded`.
        public var maximumRounds: Int {
            get { values.maximumRounds }
            set { values.maximumRounds = newValue }
        }
        /// Protocol versions spoken.
        public var supportedVersions: [Int] {
            get { values.supportedVersions }
            set { values.supportedVersions = newValue }
        }

        /// How long a finished session must still answer duplicates: twice the idle timeout.
        public var idempotencyWindow: Int64 { 2 * idleTimeout }

        /// The spec's defaults.
        public init() { storage = Self.defaults }

        public static func == (lhs: Configuration, rhs: Configuration) -> Bool {
            lhs.storage === rhs.storage || lhs.values == rhs.values
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(values) }

        private enum CodingKeys: String, CodingKey {
            case idleTimeout, retransmitInterval, maximumRetransmitInterval, maximumErrors, maximumMessages, maximumBuffered
            case maximumRounds, supportedVersions
        }

        /// Decodes a configuration; a value that is absent keeps its default.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var values = Values()
            values.idleTimeout = try container.decodeIfPresent(Int64.self, forKey: .idleTimeout) ?? values.idleTimeout
            values.retransmitInterval = try container.decodeIfPresent(Int64.self, forKey: .retransmitInterval) ?? values.retransmitInterval
            values.maximumRetransmitInterval =
                try container.decodeIfPresent(Int64.self, forKey: .maximumRetransmitInterval) ?? values.maximumRetransmitInterval
            values.maximumErrors = try container.decodeIfPresent(Int.self, forKey: .maximumErrors) ?? values.maximumErrors
            values.maximumMessages = try container.decodeIfPresent(Int.self, forKey: .maximumMessages) ?? values.maximumMessages
            values.maximumBuffered = try container.decodeIfPresent(Int.self, forKey: .maximumBuffered) ?? values.maximumBuffered
            values.maximumRounds = try container.decodeIfPresent(Int.self, forKey: .maximumRounds) ?? values.maximumRounds
            values.supportedVersions = try container.decodeIfPresent([Int].self, forKey: .supportedVersions) ?? values.supportedVersions
            storage = values == Self.defaults.values ? Self.defaults : Storage(values)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(idleTimeout, forKey: .idleTimeout)
            try container.encode(retransmitInterval, forKey: .retransmitInterval)
            try container.encode(maximumRetransmitInterval, forKey: .maximumRetransmitInterval)
            try container.encode(maximumErrors, forKey: .maximumErrors)
            try container.encode(maximumMessages, forKey: .maximumMessages)
            try container.encode(maximumBuffered, forKey: .maximumBuffered)
            try container.encode(maximumRounds, forKey: .maximumRounds)
            try container.encode(supportedVersions, forKey: .supportedVersions)
        }
    }

    /// The role this side plays.
    public let role: Role
    /// The session.
    public let session: SessionID
    /// This side's agent id.
    public let local: AgentID
    /// The peer's agent id (known to the customer from the start, to the company from the customer's first message).
    public private(set) var peer: AgentID?
    /// Where the session stands.
    public internal(set) var phase: SessionPhase = .start
    /// How the session ended, once it has.
    public internal(set) var end: SessionEnd? {
        get { endBox?.value }
        set { endBox = newValue.map(SharedBox.init) }
    }
    /// ``end`` in a shared box: most machines have not ended, and inline it would cost 64 bytes.
    private var endBox: SharedBox<SessionEnd>?
    /// The tunables.
    public let configuration: Configuration

    var context = NegotiationContext()
    var digest = TranscriptDigest()
    var nextSequence = 1
    /// The highest sequence number received from the peer without gaps.
    var received = 0
    var processed = ProcessedLog()
    /// Sent messages the peer has not acknowledged yet, oldest first.
    var unacknowledged: [Envelope] = []
    /// Retransmissions since the peer last acknowledged anything (§9 backoff); saturates at 255.
    var retransmissions: UInt8 = 0
    /// Messages that arrived ahead of a missing one, by sequence number.
    var buffered: [Int: Envelope] = [:]
    var errorCount = 0
    var receivedCount = 0
    /// Negotiation rounds started so far (``Configuration/maximumRounds``).
    var rounds = 0

    private enum CodingKeys: String, CodingKey {
        case role, session, local, peer, phase, configuration, context, digest, nextSequence, received, processed
        case unacknowledged, buffered, errorCount, receivedCount, rounds, retransmissions
        case endBox = "end"
    }

    /// The received message ids and what the machine remembers of each, in arrival order.
    ///
    /// A session receives at most ``Configuration/maximumMessages`` messages, so a linear search
    /// is cheap, and for the few ids most sessions hold an array takes far less memory than a
    /// hash table. Compares, hashes and encodes as the dictionary `[MessageID: Processed]` it replaced.
    struct ProcessedLog: Hashable, Sendable, Codable {
        private var entries: [(id: MessageID, record: Processed)] = []

        init() {}

        subscript(id: MessageID) -> Processed? {
            get { entries.first { $0.id == id }?.record }
            set {
                if let index = entries.firstIndex(where: { $0.id == id }) {
                    if let newValue { entries[index].record = newValue } else { entries.remove(at: index) }
                } else if let newValue {
                    entries.append((id, newValue))
                }
            }
        }

        private var dictionary: [MessageID: Processed] {
            Dictionary(entries.map { ($0.id, $0.record) }, uniquingKeysWith: { _, last in last })
        }

        static func == (lhs: ProcessedLog, rhs: ProcessedLog) -> Bool { lhs.dictionary == rhs.dictionary }
        func hash(into hasher: inout Hasher) { hasher.combine(dictionary) }

        /// Reads the dictionary's encoding (id, record, id, record, …) keeping the order it lists.
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            while !container.isAtEnd {
                let id = try container.decode(MessageID.self)
                guard !container.isAtEnd else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "message id '\(id)' has no record")
                }
                self[id] = try container.decode(Processed.self)
            }
        }

        /// Writes what the dictionary's encoding writes, in arrival order rather than hash order,
        /// so that one log always gives the same bytes and keeps its order through a round trip.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            for entry in entries {
                try container.encode(entry.id)
                try container.encode(entry.record)
            }
        }
    }

    /// What the machine remembers of a received message id, to answer duplicates.
    struct Processed: Hashable, Sendable, Codable {
        /// SHA-256 of the canonical `type` and `body`.
        var bodyDigest: [UInt8]
        /// Our replies to it, resent verbatim when it arrives again.
        var replies: [Envelope]
    }

    /// Creates the machine for one session. A customer knows its peer from the start; a company learns it from the first message.
    public init(role: Role, session: SessionID, local: AgentID, peer: AgentID?, configuration: Configuration = Configuration()) {
        self.role = role
        self.session = session
        self.local = local
        self.peer = peer
        self.configuration = configuration
    }

    /// The agreement digest so far: lowercase hex, `Spec/PROTOCOL.md` §5.4. A company puts it into `confirm`.
    public var agreementDigest: String { digest.hex }

    /// The proposals on the table.
    public var proposalsOnTable: [Proposal] { context.table }
    /// The accepted proposal, once there is one.
    public var acceptedProposal: Proposal? { context.accepted }
    /// The add-ons accepted with it.
    public var acceptedAddOns: [AddOnID] { context.acceptedAddOns }
    /// The booking this session confirmed, as last confirmed.
    public var booking: Message.Confirm? { context.booking }

    /// Gives the machine the last confirmation of a booking from an earlier session, which this
    /// session is about to cancel or reschedule, so that the company's confirm is checked term by
    /// term against it (`Spec/PROTOCOL.md` §7) as if this session had confirmed it.
    mutating func recall(_ confirmation: Message.Confirm) {
        context.booking = confirmation
    }
    /// Consent grants made in this session and not revoked.
    public var liveGrants: [Message.ConsentGrant] { context.grants.filter { !context.revoked.contains($0.tokenID) } }
    /// The consent request awaiting an answer.
    public var openConsentRequest: Message.ConsentRequest? { context.openConsentRequest }
    /// The windows the current ask allows.
    public var askedWindows: [TimeWindow] { context.windows }
    /// The booking a reschedule is moving, while it negotiates.
    public var reschedulingBooking: BookingReference? { context.rescheduling }
    /// The highest sequence number received from the peer without gaps.
    public var receivedSequence: Int { received }
    /// Messages sent and not yet acknowledged.
    public var unacknowledgedCount: Int { unacknowledged.count }

    // MARK: - Events

    /// Starts the session's idle timer. Call once when the session begins.
    public mutating func start(now: Instant) -> [SessionAction] {
        [.setTimer(.idle, at: now.adding(seconds: configuration.idleTimeout))]
    }

    /// Sends `message`: checks it against the table and the content rules, advances the phase,
    /// and returns the envelope to transmit with any timers.
    ///
    /// A message that would start more than ``Configuration/maximumRounds`` negotiation rounds is
    /// not sent: the session fails with `limit-exceeded` instead, and the returned actions tell the
    /// peer so and finish the session.
    ///
    /// - Throws: ``ParleyError`` with fault `local` when the message is not allowed now; nothing changes then.
    public mutating func send(_ message: Message, inReplyTo: MessageID? = nil, now: Instant) throws(ParleyError) -> [SessionAction] {
        guard let peer else {
            throw ParleyError(.unexpectedMessage, "the peer is not known yet: wait for its first message", fault: .local)
        }
        let row: TransitionTable.Row
        do {
            row = try admissibleRow(for: message, from: role, now: now)
        } catch {
            var error = error
            error.fault = .local
            throw error
        }
        if let limit = roundLimit(row) {
            var error = limit
            error.fault = .local
            return fail(error, now: now)
        }
        let envelope = Envelope(
            id: MessageID(stringLiteral: "\(role == .customer ? "c" : "k")\(nextSequence)"), session: session, from: local, to: peer,
            sequence: nextSequence, acknowledged: received, inReplyTo: inReplyTo, sentAt: now, message: message)
        nextSequence += 1
        var actions: [SessionAction] = [.send(envelope)]
        if let inReplyTo { processed[inReplyTo]?.replies.append(envelope) }
        apply(envelope, row: row, now: now, actions: &actions)
        if case .close = message {
        } else if !phase.isTerminal {
            unacknowledged.append(envelope)
            if unacknowledged.count == 1 {
                actions.append(.setTimer(.retransmit, at: now.adding(seconds: configuration.retransmitInterval)))
            }
        }
        return actions
    }

    /// Consumes an envelope received from the peer.
    ///
    /// - Parameters:
    ///   - envelope: the decoded envelope.
    ///   - now: the current instant.
    ///   - screen: the embedding agent's own check of a message the transition table and
    ///     the content rules admit (for example, a company verifying a consent grant's token, or a
    ///     customer verifying a confirm's signature). It runs after those rules and before the
    ///     message changes anything; an error it returns rejects the message exactly as a broken
    ///     content rule would, so a rejected message changes nothing but the reply
    ///     (`Spec/PROTOCOL.md` §8).
    public mutating func messageReceived(
        _ envelope: Envelope, now: Instant, screen: (Envelope) -> ParleyError? = { _ in nil }
    ) -> [SessionAction] {
        if envelope.session == session, let record = processed[envelope.id] {
            guard record.bodyDigest == TranscriptDigest.bodyDigest(of: envelope) else {
                let conflict = ParleyError(.duplicateConflict, "message id \(envelope.id) was already used for another message")
                return reject(envelope, conflict, now: now)
            }
            return record.replies.map { .send($0) }
        }
        if phase.isTerminal {
            if envelope.kind == .close || envelope.kind == .error { return [] }
            return reject(envelope, ParleyError(.sessionClosed, "the session has ended (\(phase))"), now: now)
        }
        guard envelope.session == session, envelope.to == local, peer == nil || envelope.from == peer else {
            // Not part of this session: it must not touch it, not even with a reply in its sequence (§8).
            return [.rejected(ParleyError(.misaddressed, "envelope is not for this session and agent", offendingMessage: envelope.id))]
        }
        if peer == nil { peer = envelope.from }
        acknowledge(upTo: envelope.acknowledged)
        if envelope.sequence <= received {
            return reject(envelope, ParleyError(.replayedMessage, "sequence number \(envelope.sequence) was already used"), now: now)
        }
        if envelope.sequence > received + 1 {
            guard buffered.count < configuration.maximumBuffered else {
                return fail(ParleyError(.limitExceeded, "more than \(configuration.maximumBuffered) messages out of order"), now: now)
            }
            buffered[envelope.sequence] = envelope
            return []
        }
        var actions = process(envelope, now: now, screen: screen)
        while !phase.isTerminal, let next = buffered.removeValue(forKey: received + 1) {
            actions += process(next, now: now, screen: screen)
        }
        return actions
    }

    /// Reports bytes from the peer that could not be decoded into an envelope. Replies with an
    /// `error`; if the sequence number could be read and is the next one, it is consumed so the
    /// session goes on.
    public mutating func malformedMessageReceived(_ error: ParleyError, sequence: Int?, now: Instant) -> [SessionAction] {
        guard !phase.isTerminal, let peer else { return [.rejected(error)] }
        if sequence == received + 1 { received += 1 }
        let isFatal = TransitionTable.fatalErrorCodes.contains(error.code)
        if !isFatal, let limit = errorLimit(rejecting: error) { return [.rejected(error)] + fail(limit, now: now) }
        var actions = [sendError(error, to: peer, now: now), .rejected(error)]
        if isFatal {
            // A fatal code (e.g. `unsupported-version`) ends the session for both sides (§8).
            finish(SessionEnd(outcome: "failed", error: error, endedBy: role), actions: &actions)
            return actions
        }
        errorCount += 1
        return actions
    }

    /// Consumes one transport event: a decoded envelope, or input that could not be decoded.
    ///
    /// - Parameters:
    ///   - event: what the transport delivered.
    ///   - now: the current instant.
    ///   - screen: as for ``messageReceived(_:now:screen:)``.
    public mutating func consume(
        _ event: TransportEvent, now: Instant, screen: (Envelope) -> ParleyError? = { _ in nil }
    ) -> [SessionAction] {
        switch event {
        case .envelope(let envelope): return messageReceived(envelope, now: now, screen: screen)
        case .undecodable(let error, _, _, let sequence): return malformedMessageReceived(error, sequence: sequence, now: now)
        }
    }

    /// Consumes a timer expiry.
    public mutating func timerFired(_ timer: SessionTimer, now: Instant) -> [SessionAction] {
        guard !phase.isTerminal else { return [] }
        switch timer {
        case .idle:
            return closeLocally(outcome: "timeout", text: "no message for \(configuration.idleTimeout) seconds", now: now)
        case .concludeBy:
            guard phase != .booked, let deadline = context.concludeBy, now >= deadline else { return [] }
            return closeLocally(outcome: "no-agreement", text: "the conclude-by deadline \(deadline) passed", now: now)
        case .offerExpiry:
            context.table.removeAll { $0.expiresAt <= now }
            var actions: [SessionAction] = []
            if let next = context.table.map(\.expiresAt).min() { actions.append(.setTimer(.offerExpiry, at: next)) }
            return actions
        case .retransmit:
            guard !unacknowledged.isEmpty else { return [] }
            if retransmissions < .max { retransmissions += 1 }
            return unacknowledged.map { SessionAction.send($0) }
                + [.setTimer(.retransmit, at: now.adding(seconds: retransmitWait(after: Int(retransmissions))))]
        }
    }

    // MARK: - Internals

    private mutating func process(_ envelope: Envelope, now: Instant, screen: (Envelope) -> ParleyError?) -> [SessionAction] {
        received = envelope.sequence
        receivedCount += 1
        processed[envelope.id] = Processed(bodyDigest: TranscriptDigest.bodyDigest(of: envelope), replies: [])
        guard receivedCount <= configuration.maximumMessages else {
            return fail(ParleyError(.limitExceeded, "more than \(configuration.maximumMessages) messages in one session"), now: now)
        }
        let row: TransitionTable.Row
        do {
            row = try admissibleRow(for: envelope.message, from: role.peer, now: now)
        } catch  where TransitionTable.fatalErrorCodes.contains(error.code) {
            return rejectFatally(envelope, error, now: now)
        } catch {
            return reject(envelope, error, now: now, alreadyRecorded: true)
        }
        if var limit = roundLimit(row) {
            limit.offendingMessage = envelope.id
            return fail(limit, now: now)
        }
        if let refusal = screen(envelope) {
            if TransitionTable.fatalErrorCodes.contains(refusal.code) { return rejectFatally(envelope, refusal, now: now) }
            return reject(envelope, refusal, now: now, alreadyRecorded: true)
        }
        var actions: [SessionAction] = [.deliver(envelope)]
        apply(envelope, row: row, now: now, actions: &actions)
        return actions
    }

    /// The `limit-exceeded` error when `row` would start one negotiation round too many, else `nil`.
    private func roundLimit(_ row: TransitionTable.Row) -> ParleyError? {
        guard row.startsRound, rounds >= configuration.maximumRounds else { return nil }
        return ParleyError(.limitExceeded, "more than \(configuration.maximumRounds) negotiation rounds in one session")
    }

    /// The highest version both sides speak.
    func commonVersion(with hello: Message.Hello) -> Int? {
        Set(hello.versions).intersection(configuration.supportedVersions).max()
    }

    private mutating func acknowledge(upTo sequence: Int) {
        let before = unacknowledged.count
        unacknowledged.removeAll { $0.sequence <= sequence }
        if unacknowledged.count < before { retransmissions = 0 }  // progress: the backoff starts over
    }

    /// Seconds to wait before the next retransmission after `count` of them without progress
    /// (§9): `RETRANSMIT_INTERVAL` doubled `count` times, at most `RETRANSMIT_MAX_INTERVAL`, plus
    /// a jitter of up to a quarter of that. The jitter is drawn from SplitMix64 over the session
    /// id, this side's role and `count`: session ids are random (or seeded), so sessions spread
    /// their retransmissions apart, and a seeded run replays exactly.
    func retransmitWait(after count: Int) -> Int64 {
        let base = configuration.retransmitInterval
        var wait = base
        for _ in 0..<min(count, 62) where wait < configuration.maximumRetransmitInterval { wait *= 2 }
        wait = max(min(wait, configuration.maximumRetransmitInterval), base)
        let spread = wait / 4
        guard spread > 0 else { return wait }
        var seed: UInt64 = role == .customer ? 0x9E37_79B9 : 0x7F4A_7C15
        for byte in session.rawValue.utf8 { seed = (seed ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var generator = SeededRandom(seed: seed ^ UInt64(count))
        return wait + Int64(generator.next(below: Int(spread) + 1))
    }

    /// Answers `envelope` with an `error` and reports it rejected. The rejection counts toward
    /// `MAX_ERRORS` unless `counted` is false (a fatal rejection, which ends the session itself).
    mutating func reject(
        _ envelope: Envelope, _ error: ParleyError, now: Instant, alreadyRecorded: Bool = false, counted: Bool = true
    ) -> [SessionAction] {
        var error = error
        error.offendingMessage = envelope.id
        error.fault = .remote
        let isCounted = counted && !phase.isTerminal
        if isCounted, let limit = errorLimit(rejecting: error) {
            // One rejection too many: the message is answered with the session's end, not its own error.
            let actions = fail(limit, now: now)
            if alreadyRecorded {
                for case .send(let sent) in actions { processed[envelope.id]?.replies.append(sent) }
            }
            return [.rejected(error)] + actions
        }
        let reply = sendError(error, to: peer ?? envelope.from, now: now)
        if alreadyRecorded, case .send(let sent) = reply { processed[envelope.id]?.replies.append(sent) }
        if isCounted { errorCount += 1 }
        return [reply, .rejected(error)]
    }

    /// Rejects `envelope` with a fatal error and fails the session. Not counted toward
    /// `MAX_ERRORS`: counting it could fail the session a second time (§8).
    private mutating func rejectFatally(_ envelope: Envelope, _ error: ParleyError, now: Instant) -> [SessionAction] {
        var actions = reject(envelope, error, now: now, alreadyRecorded: true, counted: false)
        finish(SessionEnd(outcome: "failed", error: error, endedBy: role), actions: &actions)
        return actions
    }

    /// The fatal `limit-exceeded` that replaces the rejection `error` when the session has already
    /// answered `MAX_ERRORS` rejected messages (§8), else `nil`. It names the same message.
    private func errorLimit(rejecting error: ParleyError) -> ParleyError? {
        guard errorCount >= configuration.maximumErrors else { return nil }
        return ParleyError(
            .limitExceeded,
            "\(configuration.maximumErrors) messages were already rejected in this session (MAX_ERRORS); "
                + "this one (\(error.code)) ends it", offendingMessage: error.offendingMessage)
    }

    /// Refuses the session that `envelope` would open, for `reason` (typically `limit-exceeded`):
    /// answers it with an `error` and ends the session without delivering it. Use a fatal code
    /// (§8), so that the peer's session ends too.
    ///
    /// An agent calls this instead of ``messageReceived(_:now:screen:)`` for the first envelope of a
    /// session it will not serve, and need not keep the machine afterwards: a retransmission of the
    /// same envelope gets the same refusal from a fresh machine.
    public mutating func refuse(_ envelope: Envelope, reason: ParleyError, now: Instant) -> [SessionAction] {
        guard !phase.isTerminal, envelope.session == session, envelope.to == local, peer == nil || envelope.from == peer else {
            return [.rejected(reason)]
        }
        if peer == nil { peer = envelope.from }
        var error = reason
        error.offendingMessage = envelope.id
        error.fault = .local
        var actions = [sendError(error, to: envelope.from, now: now), .rejected(error)]
        finish(SessionEnd(outcome: "failed", error: error, endedBy: role), actions: &actions)
        return actions
    }

    /// Ends the session because of `error`: tells the peer (a fatal `error`) and finishes.
    mutating func fail(_ error: ParleyError, now: Instant) -> [SessionAction] {
        var actions: [SessionAction] = []
        if let peer { actions.append(sendError(error, to: peer, now: now)) }
        finish(SessionEnd(outcome: "failed", error: error, endedBy: role), actions: &actions)
        return actions
    }

    private mutating func closeLocally(outcome: String, text: String, now: Instant) -> [SessionAction] {
        (try? send(.close(Message.Close(outcome: outcome, text: text)), now: now)) ?? []
    }

    /// Builds an `error` envelope (not part of the transcript; never retransmitted).
    private mutating func sendError(_ error: ParleyError, to peer: AgentID, now: Instant) -> SessionAction {
        let envelope = Envelope(
            id: MessageID(stringLiteral: "\(role == .customer ? "c" : "k")\(nextSequence)"), session: session, from: local, to: peer,
            sequence: nextSequence, acknowledged: received, inReplyTo: error.offendingMessage, sentAt: now,
            message: .error(Message.ErrorReport(error)))
        nextSequence += 1
        return .send(envelope)
    }

    mutating func finish(_ end: SessionEnd, actions: inout [SessionAction]) {
        phase = end.outcome == "failed" ? .failed : .closed
        self.end = end
        unacknowledged.removeAll()
        buffered.removeAll()
        for timer in SessionTimer.allCases { actions.append(.cancelTimer(timer)) }
        actions.append(.finish(end))
    }
}
