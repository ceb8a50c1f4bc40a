/// The one error type Parley throws and puts on the wire.
///
/// Every rule Parley enforces has a stable ``Code`` whose ``Code/wireValue`` is the `code`
/// member of an `error` message (see `Spec/PROTOCOL.md`, "Error codes"). Compare codes, not
/// messages: the human sentence may change between releases, the code never does.
public struct ParleyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which rule was broken.
    public var code: Code
    /// A sentence for people reading logs; never parse it.
    public var message: String
    /// The message that broke the rule, when there is one.
    public var offendingMessage: MessageID?
    /// Whose fault it is: our own code tried to break the protocol (``Fault/local``), or the peer did (``Fault/remote``).
    public var fault: Fault

    /// Creates an error.
    public init(_ code: Code, _ message: String, offendingMessage: MessageID? = nil, fault: Fault = .remote) {
        self.code = code
        self.message = message
        self.offendingMessage = offendingMessage
        self.fault = fault
    }

    /// Whether sending the same message again later may succeed (the wire `retryable` member).
    public var isRetryable: Bool { code.isRetryable }

    public var description: String {
        var text = "\(code.wireValue): \(message)"
        if let offendingMessage { text += " (message \(offendingMessage))" }
        return text
    }

    /// Who broke the rule.
    public enum Fault: String, Hashable, Sendable, Codable {
        /// This side tried to do something the protocol forbids (a bug in the embedding code or in Parley).
        case local
        /// The peer sent something the protocol forbids.
        case remote
    }
}

extension ParleyError {
    /// A stable error code. New codes may be added in later versions; existing ones never change meaning.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let base: Base

        /// The code as it appears in the `code` member of an `error` message.
        public var wireValue: String { base.rawValue }
        public var description: String { base.rawValue }

        /// Looks up a code by its wire value; `nil` for codes this version does not know.
        public init?(wireValue: String) {
            guard let base = Base(rawValue: wireValue) else { return nil }
            self.base = base
        }

        init(_ base: Base) { self.base = base }

        /// Every code this version defines, in the order of the spec's table.
        public static var all: [Code] { Base.allCases.map(Code.init) }

        /// Whether a message rejected with this code may succeed if sent again later.
        public var isRetryable: Bool {
            switch base {
            case .limitExceeded, .internalError, .busy: return true
            default: return false
            }
        }

        // MARK: Wire decoding (Spec/PROTOCOL.md §4)

        /// The bytes are not well-formed UTF-8 JSON (also: invalid UTF-8, trailing data, non-object envelope).
        public static let malformedJSON = Code(.malformedJSON)
        /// An object has the same member name twice.
        public static let duplicateKey = Code(.duplicateKey)
        /// The input is longer than the size limit.
        public static let tooLarge = Code(.tooLarge)
        /// The input nests arrays/objects deeper than the depth limit.
        public static let tooDeep = Code(.tooDeep)
        /// The envelope's protocol version is not one this agent speaks.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The envelope's `type` names no message this version defines.
        public static let unknownMessageType = Code(.unknownMessageType)
        /// A required member is absent.
        public static let missingField = Code(.missingField)
        /// A member has the wrong JSON type or a value outside its rules.
        public static let invalidField = Code(.invalidField)

        // MARK: Session rules (Spec/PROTOCOL.md §6–7)

        /// The hellos share no protocol version.
        public static let noCommonVersion = Code(.noCommonVersion)
        /// The message is not allowed in the session's current state (or not from this sender).
        public static let unexpectedMessage = Code(.unexpectedMessage)
        /// The envelope is addressed to another agent, comes from an agent other than the session's peer, or has the sender's own role.
        public static let misaddressed = Code(.misaddressed)
        /// A message id was seen before with a different body.
        public static let duplicateConflict = Code(.duplicateConflict)
        /// A new message id reuses a sequence number already used.
        public static let replayedMessage = Code(.replayedMessage)
        /// The session has ended; nothing more is processed.
        public static let sessionClosed = Code(.sessionClosed)
        /// The accept names a proposal that is not on the table.
        public static let unknownProposal = Code(.unknownProposal)
        /// The accept names a proposal whose expiry has passed.
        public static let offerExpired = Code(.offerExpired)
        /// An offer's proposal starts outside every window of the request it answers.
        public static let offerOutsideWindow = Code(.offerOutsideWindow)
        /// A consent request asks for data the accepted proposal did not declare it needs.
        public static let excessiveDataRequest = Code(.excessiveDataRequest)
        /// A disclosure carries a field no grant of this session covers.
        public static let fieldNotGranted = Code(.fieldNotGranted)
        /// An answer refers to no open question, or a grant/deny to no open consent request.
        public static let unknownReference = Code(.unknownReference)
        /// A `confirm` does not match the negotiation: its agreement digest or its terms differ from what was accepted.
        public static let agreementMismatch = Code(.agreementMismatch)
        /// A `confirm` carries no signature, although the customer trusts a signing key of the company (`Spec/PROTOCOL.md` §5.7).
        public static let confirmUnsigned = Code(.confirmUnsigned)
        /// A `confirm` is signed with a key (named by its `kid`) that the customer does not trust for the company.
        public static let confirmUnknownKey = Code(.confirmUnknownKey)
        /// A `confirm`'s signature does not verify over the confirm as stated: a term was changed after
        /// signing, the signature covers something else, or it is malformed (`Spec/PROTOCOL.md` §5.7).
        public static let confirmBadSignature = Code(.confirmBadSignature)
        /// The conclude-by deadline passed before agreement.
        public static let deadlineExceeded = Code(.deadlineExceeded)
        /// A resource limit was hit (sessions per peer, messages per session, rounds...).
        public static let limitExceeded = Code(.limitExceeded)
        /// The agent is temporarily unable to take the message; try again later.
        public static let busy = Code(.busy)

        // MARK: Consent tokens (Spec/CONSENT.md)

        /// The token cannot be parsed (bad base64url, bad macaroon encoding, bad caveat syntax).
        public static let tokenMalformed = Code(.tokenMalformed)
        /// The token's signature does not verify against the issuer's root key.
        public static let tokenBadSignature = Code(.tokenBadSignature)
        /// The token's expiry has passed.
        public static let tokenExpired = Code(.tokenExpired)
        /// The token is for another company.
        public static let tokenWrongAudience = Code(.tokenWrongAudience)
        /// The token does not allow this purpose.
        public static let tokenPurposeNotAllowed = Code(.tokenPurposeNotAllowed)
        /// The token does not cover a requested field.
        public static let tokenFieldNotCovered = Code(.tokenFieldNotCovered)
        /// The token is bound to another session.
        public static let tokenWrongSession = Code(.tokenWrongSession)
        /// The requested retention exceeds what the token allows.
        public static let tokenRetentionExceeded = Code(.tokenRetentionExceeded)
        /// The token (or a token it was narrowed from) has been revoked.
        public static let tokenRevoked = Code(.tokenRevoked)
        /// The token carries a caveat this verifier does not understand.
        public static let tokenUnknownCaveat = Code(.tokenUnknownCaveat)
        /// A consent grant's signature does not verify over its consent statement (`Spec/CONSENT.md` §10.1).
        public static let consentBadSignature = Code(.consentBadSignature)

        /// Something failed inside the agent that is not the peer's fault.
        public static let internalError = Code(.internalError)
    }
}

extension ParleyError.Code {
    /// One line saying when the code is used, as the spec's table (§8) prints it.
    public var summary: String {
        switch base {
        case .malformedJSON: return "not well-formed UTF-8 JSON, trailing data, a byte-order mark, or not an object"
        case .duplicateKey: return "an object repeats a member name"
        case .tooLarge: return "the envelope or line exceeds MAX_ENVELOPE_BYTES"
        case .tooDeep: return "nesting exceeds MAX_DEPTH"
        case .unsupportedVersion: return "the envelope's `parley` version is not spoken"
        case .unknownMessageType: return "the envelope's `type` is not defined"
        case .missingField: return "a required member is absent"
        case .invalidField: return "a member has the wrong type or breaks its rule"
        case .noCommonVersion: return "the hellos share no version"
        case .unexpectedMessage: return "no transition admits the message in the current phase"
        case .misaddressed: return "wrong session, recipient or sender for this session (dropped, reported locally)"
        case .duplicateConflict: return "a processed message id arrives with a different body"
        case .replayedMessage: return "a new message id reuses an old sequence number"
        case .sessionClosed: return "the session has ended"
        case .unknownProposal: return "the named proposal is not on the table"
        case .offerExpired: return "the accepted proposal has expired"
        case .offerOutsideWindow: return "an offer's proposal starts outside every asked window"
        case .excessiveDataRequest: return "a consent request exceeds the declared data requirements"
        case .fieldNotGranted: return "a disclosed field is not covered by a live grant"
        case .unknownReference: return "an answer, grant, deny, add-on or booking names nothing open or known"
        case .agreementMismatch: return "a confirm disagrees with the transcript or the accepted proposal"
        case .confirmUnsigned: return "a confirm has no signature, but the customer trusts a key of the company (§5.7)"
        case .confirmUnknownKey: return "a confirm's `kid` names no key the customer trusts for the company (§5.7)"
        case .confirmBadSignature: return "a confirm's signature does not verify over the confirm as stated (§5.7)"
        case .deadlineExceeded: return "the conclude-by deadline passed"
        case .limitExceeded: return "a resource limit was reached"
        case .busy: return "the agent is temporarily overloaded"
        case .tokenMalformed: return "the consent token cannot be parsed"
        case .tokenBadSignature: return "the consent token's signature does not verify"
        case .tokenExpired: return "the consent token has expired"
        case .tokenWrongAudience: return "the consent token is for another company"
        case .tokenPurposeNotAllowed: return "the consent token does not allow the purpose"
        case .tokenFieldNotCovered: return "the consent token does not cover a field"
        case .tokenWrongSession: return "the consent token is bound to another session"
        case .tokenRetentionExceeded: return "the requested retention exceeds the token's"
        case .tokenRevoked: return "the consent token, or one it was narrowed from, is revoked"
        case .tokenUnknownCaveat: return "the consent token has a caveat the verifier does not understand"
        case .consentBadSignature: return "a consent grant's signature does not verify over its consent statement"
        case .internalError: return "the agent failed for a reason that is not the peer's fault"
        }
    }

    /// Whether an `error` with this code ends the session (`Spec/PROTOCOL.md` §8).
    public var isFatal: Bool { TransitionTable.fatalErrorCodes.contains(self) }

    /// The spec's table of error codes (§8), as `parley spec-table` prints it.
    public static func markdown() -> String {
        var lines = ["| code | when | fatal | retryable |", "|---|---|---|---|"]
        for code in all {
            lines.append("| `\(code.wireValue)` | \(code.summary) | \(code.isFatal ? "yes" : "no") | \(code.isRetryable ? "yes" : "no") |")
        }
        return lines.joined(separator: "\n")
    }

    enum Base: String, CaseIterable, Sendable {
        case malformedJSON = "malformed-json"
        case duplicateKey = "duplicate-key"
        case tooLarge = "too-large"
        case tooDeep = "too-deep"
        case unsupportedVersion = "unsupported-version"
        case unknownMessageType = "unknown-message-type"
        case missingField = "missing-field"
        case invalidField = "invalid-field"
        case noCommonVersion = "no-common-version"
        case unexpectedMessage = "unexpected-message"
        case misaddressed = "misaddressed"
        case duplicateConflict = "duplicate-conflict"
        case replayedMessage = "replayed-message"
        case sessionClosed = "session-closed"
        case unknownProposal = "unknown-proposal"
        case offerExpired = "offer-expired"
        case offerOutsideWindow = "offer-outside-window"
        case excessiveDataRequest = "excessive-data-request"
        case fieldNotGranted = "field-not-granted"
        case unknownReference = "unknown-reference"
        case agreementMismatch = "agreement-mismatch"
        case confirmUnsigned = "confirm-unsigned"
        case confirmUnknownKey = "confirm-unknown-key"
        case confirmBadSignature = "confirm-bad-signature"
        case deadlineExceeded = "deadline-exceeded"
        case limitExceeded = "limit-exceeded"
        case busy = "busy"
        case tokenMalformed = "token-malformed"
        case tokenBadSignature = "token-bad-signature"
        case tokenExpired = "token-expired"
        case tokenWrongAudience = "token-wrong-audience"
        case tokenPurposeNotAllowed = "token-purpose-not-allowed"
        case tokenFieldNotCovered = "token-field-not-covered"
        case tokenWrongSession = "token-wrong-session"
        case tokenRetentionExceeded = "token-retention-exceeded"
        case tokenRevoked = "token-revoked"
        case tokenUnknownCaveat = "token-unknown-caveat"
        case consentBadSignature = "consent-bad-signature"
        case internalError = "internal-error"
    }
}
