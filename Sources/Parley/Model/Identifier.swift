/// A typed identifier on the wire: 1 to 256 printable ASCII characters (`!` to `~`, no spaces).
///
/// The phantom `Kind` keeps a message id from being passed where a session id is expected,
/// while all identifiers share one implementation and one wire rule.
///
/// Like every Parley type whose value is a string on the wire (``DataField``, ``Purpose``), an
/// identifier is `RawRepresentable`: ``init(rawValue:)`` checks a string from outside and returns
/// `nil` when it breaks the rule; a string literal is checked when it is created.
public struct Identifier<Kind: IdentifierKind>: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The identifier's text, exactly as it travels on the wire.
    public let rawValue: String

    /// The maximum length in bytes of any identifier.
    public static var maximumLength: Int { 256 }

    /// Creates an identifier, or returns `nil` when `rawValue` breaks the wire rule.
    public init?(rawValue: String) {
        guard Identifier.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Creates an identifier, or returns `nil` when `rawValue` breaks the wire rule.
    @available(*, deprecated, renamed: "init(rawValue:)", message: "identifiers, like every string-valued wire type, use init(rawValue:)")
    public init?(_ rawValue: String) {
        self.init(rawValue: rawValue)
    }

    /// Creates an identifier from a literal; a literal that breaks the wire rule is a programming error.
    public init(stringLiteral value: String) {
        precondition(Identifier.isValid(value), "invalid \(Kind.name): \(value)")
        self.rawValue = value
    }

    /// Whether `text` is a valid identifier: 1 to 256 bytes, each from `!` (0x21) to `~` (0x7E).
    public static func isValid(_ text: String) -> Bool {
        var count = 0
        for byte in text.utf8 {
            guard byte >= 0x21, byte <= 0x7E else { return false }
            count += 1
            if count > maximumLength { return false }
        }
        return count > 0
    }

    public var description: String { rawValue }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Identifier(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid \(Kind.name): \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What an ``Identifier`` identifies. Only used as a phantom type.
public protocol IdentifierKind: Sendable {
    /// A human name for error messages, e.g. `"message id"`.
    static var name: String { get }
}

/// Marker for ``MessageID``.
public enum MessageKind: IdentifierKind { public static var name: String { "message id" } }
/// Marker for ``SessionID``.
public enum SessionKind: IdentifierKind { public static var name: String { "session id" } }
/// Marker for ``AgentID``.
public enum AgentKind: IdentifierKind { public static var name: String { "agent id" } }
/// Marker for ``ProposalID``.
public enum ProposalKind: IdentifierKind { public static var name: String { "proposal id" } }
/// Marker for ``BookingReference``.
public enum BookingKind: IdentifierKind { public static var name: String { "booking reference" } }
/// Marker for ``QuestionID``.
public enum QuestionKind: IdentifierKind { public static var name: String { "question id" } }
/// Marker for ``ConsentRequestID``.
public enum ConsentRequestKind: IdentifierKind { public static var name: String { "consent request id" } }
/// Marker for ``TokenID``.
public enum TokenKind: IdentifierKind { public static var name: String { "token id" } }
/// Marker for ``AddOnID``.
public enum AddOnKind: IdentifierKind { public static var name: String { "add-on id" } }

/// Identifies one envelope; unique per sender within a session. Retransmissions reuse it.
public typealias MessageID = Identifier<MessageKind>
/// Identifies one negotiation between one customer agent and one company agent.
public typealias SessionID = Identifier<SessionKind>
/// Identifies an agent (a customer assistant or a company bot), e.g. `salon.example/bot`.
public typealias AgentID = Identifier<AgentKind>
/// Identifies one proposal inside an offer; unique within a session.
public typealias ProposalID = Identifier<ProposalKind>
/// The company's reference for a confirmed booking.
public typealias BookingReference = Identifier<BookingKind>
/// Identifies a question so that its answer can refer to it.
public typealias QuestionID = Identifier<QuestionKind>
/// Identifies a consent request so that its grant or denial can refer to it.
public typealias ConsentRequestID = Identifier<ConsentRequestKind>
/// Identifies a consent token; also its revocation id.
public typealias TokenID = Identifier<TokenKind>
/// Identifies an optional add-on of a proposal.
public typealias AddOnID = Identifier<AddOnKind>
