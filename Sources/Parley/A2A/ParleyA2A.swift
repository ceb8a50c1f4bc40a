/// The constants of Parley as an A2A extension (`Spec/A2A.md`): the extension URI, the media type
/// of the data parts that carry envelopes, the A2A protocol version spoken and the JSON-RPC error
/// codes the binding answers with.
public enum ParleyA2A {
    /// The extension's URI, version 1: declared in the agent card's `capabilities.extensions` and
    /// activated per request in the `A2A-Extensions` header (`Spec/A2A.md` §2).
    public static let extensionURI = "urn:parley:a2a:v1"
    /// The media type of an A2A data part whose `data` is one Parley envelope (a JSON object).
    public static let partMediaType = "application/parley+json"
    /// The A2A protocol version this binding speaks (`A2A-Version`).
    public static let protocolVersion = "1.0"
    /// The agent card's well-known path on a company's origin.
    public static let agentCardPath = "/.well-known/agent-card.json"
    /// The header a client activates extensions with.
    public static let extensionsHeader = "A2A-Extensions"
    /// The older spelling of ``extensionsHeader``, still accepted.
    public static let legacyExtensionsHeader = "X-A2A-Extensions"
    /// The header naming the A2A protocol version of a request.
    public static let versionHeader = "A2A-Version"
    /// The `domain` of the `google.rpc.ErrorInfo` detail in the binding's JSON-RPC errors.
    public static let errorDomain = "parley"
}

/// An A2A JSON-RPC error as the binding answers it (`Spec/A2A.md` §6): the JSON-RPC `code`, a
/// stable `reason` (in the `google.rpc.ErrorInfo` detail) and a message for people.
public struct A2AError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON-RPC error code, e.g. `-32001` for a task that is not found.
    public var code: Int
    /// A stable, upper-case reason, e.g. `TASK_NOT_FOUND` or `PARLEY_PART_MISSING`.
    public var reason: String
    /// A human-readable explanation.
    public var message: String
    /// Seconds to wait before retrying, for refusals because of load (sent as `Retry-After`).
    var retryAfter: Int? = nil

    /// Creates an error.
    public init(code: Int, reason: String, message: String) {
        self.code = code
        self.reason = reason
        self.message = message
    }

    public var description: String { "A2A error \(code) \(reason): \(message)" }

    /// JSON-RPC `-32700`: the body is not JSON.
    public static let parseErrorCode = -32700
    /// JSON-RPC `-32600`: the body is not a JSON-RPC 2.0 request object.
    public static let invalidRequestCode = -32600
    /// JSON-RPC `-32601`: the method is not an A2A method.
    public static let methodNotFoundCode = -32601
    /// JSON-RPC `-32602`: the parameters are invalid (including a Parley part that holds no valid envelope).
    public static let invalidParamsCode = -32602
    /// JSON-RPC `-32603`: the server failed, or refused for load (`reason` says which).
    public static let internalErrorCode = -32603
    /// A2A `TaskNotFoundError`.
    public static let taskNotFoundCode = -32001
    /// A2A `TaskNotCancelableError`.
    public static let taskNotCancelableCode = -32002
    /// A2A `PushNotificationNotSupportedError`.
    public static let pushNotificationNotSupportedCode = -32003
    /// A2A `UnsupportedOperationError`.
    public static let unsupportedOperationCode = -32004
    /// A2A `ContentTypeNotSupportedError`: the message carries no Parley part.
    public static let contentTypeNotSupportedCode = -32005
    /// A2A `ExtendedAgentCardNotConfiguredError`.
    public static let extendedAgentCardNotConfiguredCode = -32007
    /// A2A `ExtensionSupportRequiredError`: the request did not activate the Parley extension.
    public static let extensionSupportRequiredCode = -32008
    /// A2A `VersionNotSupportedError`.
    public static let versionNotSupportedCode = -32009
}

/// The A2A task states the binding reports (`Spec/A2A.md` §5), with their A2A 1.0 wire names.
public enum A2ATaskState: String, Sendable, Hashable, CaseIterable {
    /// The company is working: it is the company's turn in the session.
    case working = "TASK_STATE_WORKING"
    /// The customer's move: a question, offers, a consent request, or a decline to answer.
    case inputRequired = "TASK_STATE_INPUT_REQUIRED"
    /// A booking stands. Terminal for A2A; the Parley session may still carry a `close`.
    case completed = "TASK_STATE_COMPLETED"
    /// The session failed with a fatal error.
    case failed = "TASK_STATE_FAILED"
    /// The session was closed without a booking.
    case canceled = "TASK_STATE_CANCELED"
    /// The company handed the session to a person: the bot will not complete it.
    case rejected = "TASK_STATE_REJECTED"

    /// The state that the company's view of a session's phase maps to.
    public init(phase: SessionPhase) {
        switch phase {
        case .start, .greeting, .requested, .inquiring, .accepted, .cancelling, .rescheduling: self = .working
        case .ready, .questioned, .offered, .consentRequested, .disclosing, .declined: self = .inputRequired
        case .booked: self = .completed
        case .handedOff: self = .rejected
        case .closed: self = .canceled
        case .failed: self = .failed
        }
    }

    /// Whether A2A treats the state as terminal: the task takes no further messages by its id.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .canceled, .rejected: return true
        case .working, .inputRequired: return false
        }
    }
}
