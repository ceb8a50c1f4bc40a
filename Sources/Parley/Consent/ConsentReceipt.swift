internal import ParleyCrypto

/// A record of one consent grant, kept by both sides (after the Kantara Consent Receipt):
/// who granted what to whom, why, until when, and in which conversation.
public struct ConsentReceipt: Hashable, Sendable, Codable {
    /// The token id (also its revocation id).
    public var tokenID: TokenID
    /// The customer agent that granted consent and minted the token.
    public var issuer: AgentID
    /// The company agent the grant is for.
    public var audience: AgentID
    /// The purposes allowed, in ascending order.
    public var purposes: [Purpose]
    /// The fields covered, in ascending order.
    public var fields: [DataField]
    /// The session the grant was made in (and bound to, when the token says so).
    public var session: SessionID?
    /// When the grant was made.
    public var grantedAt: Instant
    /// When the grant ends (exclusive).
    public var expiry: Instant
    /// How long the company may keep the data, if limited.
    public var retention: RetentionPeriod?
    /// SHA-256 of the session transcript the grant was made in, 64 lowercase hex digits.
    public var transcriptDigest: String
    /// When this side learned of the revocation, if it has been revoked.
    public var revokedAt: Instant?

    /// Creates a receipt for a token minted for `scope`.
    public init(tokenID: TokenID, issuer: AgentID, scope: ConsentScope, grantedAt: Instant, transcriptDigest: String) {
        self.tokenID = tokenID
        self.issuer = issuer
        self.audience = scope.audience
        self.purposes = scope.purposes.sorted()
        self.fields = scope.fields.sorted()
        self.session = scope.session
        self.grantedAt = grantedAt
        self.expiry = scope.expiry
        self.retention = scope.retention
        self.transcriptDigest = transcriptDigest
        self.revokedAt = nil
    }

    /// The SHA-256 digest of `transcript` as 64 lowercase hex digits, the form ``transcriptDigest`` holds.
    public static func transcriptDigest(of transcript: some Sequence<UInt8>) -> String {
        Hex.encode(SHA256.hash(transcript))
    }

    /// The state of a grant at some instant.
    public enum Status: String, Hashable, Sendable, Codable {
        /// Granted, not revoked, not expired.
        case active
        /// Revoked (whether or not it has also expired).
        case revoked
        /// Past its expiry and never revoked.
        case expired
    }

    /// The status at `instant`: revoked wins over expired.
    public func status(at instant: Instant) -> Status {
        if revokedAt != nil { return .revoked }
        return instant >= expiry ? .expired : .active
    }
}

/// The consent receipts and revocations one side keeps. Both customer and company agents hold one.
public struct ConsentLedger: Hashable, Sendable, Codable {
    private var receiptsByID: [String: ConsentReceipt] = [:]
    /// Every token id this side knows to be revoked, with or without a receipt.
    public private(set) var revocations = RevocationList()

    /// Creates an empty ledger.
    public init() {}

    /// Every receipt, ordered by grant time, then token id.
    public var receipts: [ConsentReceipt] {
        receiptsByID.values.sorted { ($0.grantedAt, $0.tokenID) < ($1.grantedAt, $1.tokenID) }
    }

    /// Records a grant. A receipt for a token already known to be revoked is stored as revoked.
    public mutating func record(_ receipt: ConsentReceipt) {
        var receipt = receipt
        if revocations.contains(receipt.tokenID), receipt.revokedAt == nil {
            receipt.revokedAt = receiptsByID[receipt.tokenID.rawValue]?.revokedAt ?? receipt.grantedAt
        }
        receiptsByID[receipt.tokenID.rawValue] = receipt
    }

    /// Records that `id` was revoked at `instant`; the earliest revocation time is kept.
    public mutating func recordRevocation(of id: TokenID, at instant: Instant) {
        revocations.revoke(id)
        guard var receipt = receiptsByID[id.rawValue] else { return }
        receipt.revokedAt = min(receipt.revokedAt ?? instant, instant)
        receiptsByID[id.rawValue] = receipt
    }

    /// The receipt for `id`, if any.
    public func receipt(for id: TokenID) -> ConsentReceipt? { receiptsByID[id.rawValue] }

    /// Whether `id` is revoked.
    public func isRevoked(_ id: TokenID) -> Bool { revocations.contains(id) }

    /// The status of the grant `id` at `instant`; `nil` when there is no receipt for it.
    public func status(of id: TokenID, at instant: Instant) -> ConsentReceipt.Status? {
        receiptsByID[id.rawValue]?.status(at: instant)
    }
}
