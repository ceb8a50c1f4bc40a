/// What an agent asks its runtime to do after handling an event: envelopes to send and timers to
/// set or cancel. ``CompanyAgent/serve(_:clock:)`` and ``CustomerAgent`` execute these; a
/// simulator can execute them under virtual time instead.
public struct AgentOutput: Sendable, Hashable {
    /// Envelopes to send, in order.
    public var envelopes: [Envelope] = []
    /// Timers to start (with an instant) or stop (`nil`).
    public var timers: [TimerRequest] = []
    /// Sessions that ended while handling the event.
    public var finished: [SessionID: SessionEnd] = [:]
    /// Why the event could not be handled, when the agent's ``SessionStore`` failed: nothing was
    /// changed and nothing is to be sent. Handle the event again later; a peer's retransmission
    /// does that by itself (the HTTP binding answers `503` with `Retry-After`).
    public var storeFailure: SessionStoreError?
    /// Whether the agent keeps the event's session after handling it (`false` for input it
    /// refused without opening a session).
    var sessionKept = false

    /// Creates an empty output: nothing to send, no timers, no events.
    public init() {}

    /// An output that only reports a failure of the session store.
    init(storeFailure: SessionStoreError) {
        self.storeFailure = storeFailure
    }

    /// A timer change for one session.
    public struct TimerRequest: Sendable, Hashable {
        /// The session the timer belongs to.
        public var session: SessionID
        /// Which timer.
        public var timer: SessionTimer
        /// When it fires, or `nil` to stop it.
        public var at: Instant?
    }

    /// Adds the I/O parts of `actions` (sends, timers, finishes) for `session`.
    mutating func absorb(_ actions: [SessionAction], session: SessionID) {
        for action in actions {
            switch action {
            case .send(let envelope): envelopes.append(envelope)
            case .setTimer(let timer, let at): timers.append(TimerRequest(session: session, timer: timer, at: at))
            case .cancelTimer(let timer): timers.append(TimerRequest(session: session, timer: timer, at: nil))
            case .finish(let end): finished[session] = end
            case .deliver, .rejected: break
            }
        }
    }

    mutating func append(_ other: AgentOutput) {
        envelopes += other.envelopes
        timers += other.timers
        finished.merge(other.finished) { _, new in new }
        storeFailure = storeFailure ?? other.storeFailure
        sessionKept = sessionKept || other.sessionKept
    }
}

/// Structured events an agent emits for logging and tracing. The library never prints; bridge
/// ``CompanyAgent/events`` or ``CustomerAgent/events`` to your own logging.
public enum AgentEvent: Sendable, Hashable {
    /// A session began.
    case sessionOpened(SessionID, peer: AgentID?)
    /// An envelope was sent.
    case messageSent(Envelope)
    /// An envelope was received and admitted.
    case messageReceived(Envelope)
    /// A received message was rejected with an error.
    case messageRejected(SessionID, ParleyError)
    /// Input that could not be decoded and names no session the agent holds (or none at all) was
    /// dropped without a reply: there is no session to answer in (`Spec/PROTOCOL.md` §8).
    case inputRejected(ParleyError, session: SessionID?)
    /// The session moved to another phase.
    case phaseChanged(SessionID, from: SessionPhase, to: SessionPhase)
    /// Consent was granted (customer side: minted; company side: received).
    case consentGranted(SessionID, tokenID: TokenID, fields: [DataField], purpose: Purpose)
    /// Consent-checked data was read (company side), or refused.
    case consentUsed(tokenID: TokenID, field: DataField, purpose: Purpose, allowed: Bool)
    /// A consent was revoked.
    case consentRevoked(TokenID)
    /// The session ended.
    case sessionEnded(SessionID, SessionEnd)
}
