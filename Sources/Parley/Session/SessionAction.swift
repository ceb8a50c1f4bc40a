/// What the I/O layer must do after the state machine consumed an event. Exactly one executor
/// per agent switches over these; the machine itself never performs I/O.
public enum SessionAction: Hashable, Sendable {
    /// Transmit this envelope to the peer (a new message, an `error` reply, or a resend of a
    /// cached reply to a duplicate).
    case send(Envelope)
    /// A received message is legal and new: hand it to the agent's logic, which decides what to send next.
    case deliver(Envelope)
    /// Start `timer`, replacing a running timer of the same kind; call
    /// ``SessionStateMachine/timerFired(_:now:)`` when the clock reaches `at`.
    case setTimer(SessionTimer, at: Instant)
    /// Stop `timer` if it runs.
    case cancelTimer(SessionTimer)
    /// A received message was rejected (an `error` reply has been queued by a `send` action
    /// before this one). Report it to observers; the session goes on unless a `finish` follows.
    case rejected(ParleyError)
    /// The session has ended: stop its timers and release its resources after the idempotency
    /// window (``SessionStateMachine/Configuration/idempotencyWindow``).
    case finish(SessionEnd)
}

/// The timers a session uses. Time arrives only through ``SessionStateMachine/timerFired(_:now:)``.
public enum SessionTimer: String, Hashable, Sendable, Codable, CaseIterable {
    /// The earliest expiry among the proposals on the table (customer side).
    case offerExpiry
    /// The request's conclude-by deadline.
    case concludeBy
    /// No message in either direction for ``SessionStateMachine/Configuration/idleTimeout``.
    case idle
    /// Unacknowledged messages are due for retransmission.
    case retransmit
}

/// How a session ended.
public struct SessionEnd: Hashable, Sendable, Codable {
    /// The `close` outcome (`booked`, `no-agreement`, …), or `failed`.
    public var outcome: String
    /// The error that ended the session, if one did.
    public var error: ParleyError?
    /// Who ended it.
    public var endedBy: Role

    /// Creates the record of how a session ended.
    public init(outcome: String, error: ParleyError? = nil, endedBy: Role) {
        self.outcome = outcome
        self.error = error
        self.endedBy = endedBy
    }
}

extension ParleyError: Codable {
    private enum CodingKeys: String, CodingKey { case code, message, offendingMessage, fault }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let wire = try container.decode(String.self, forKey: .code)
        self.init(
            Code(wireValue: wire) ?? .internalError, try container.decode(String.self, forKey: .message),
            offendingMessage: try container.decodeIfPresent(MessageID.self, forKey: .offendingMessage),
            fault: try container.decode(Fault.self, forKey: .fault))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code.wireValue, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(offendingMessage, forKey: .offendingMessage)
        try container.encode(fault, forKey: .fault)
    }
}
