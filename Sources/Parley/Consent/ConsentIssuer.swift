internal import ParleyCrypto

/// The token ids an issuer has revoked. Revoking an id revokes every token narrowed from it,
/// because narrowing keeps the id.
public struct RevocationList: Hashable, Sendable, Codable {
    /// The revoked ids.
    public private(set) var ids: Set<TokenID>

    /// Creates a list holding `ids`.
    public init(_ ids: some Sequence<TokenID> = []) { self.ids = Set(ids) }

    /// Revokes `id`. Revocation is permanent.
    public mutating func revoke(_ id: TokenID) { ids.insert(id) }

    /// Whether `id` is revoked.
    public func contains(_ id: TokenID) -> Bool { ids.contains(id) }
}

/// The customer agent's authority over its consent tokens: mints them, verifies them, revokes them.
///
/// A sans-I/O value: token ids and time are inputs. Keep one issuer per root key; persist
/// ``revocations`` with the rest of the agent's state.
public struct ConsentIssuer: Sendable {
    /// The issuing agent; written into each token's location.
    public let agent: AgentID
    /// The tokens this issuer has revoked.
    public var revocations: RevocationList
    private let rootKey: ConsentRootKey

    /// Creates an issuer.
    public init(agent: AgentID, rootKey: ConsentRootKey, revocations: RevocationList = RevocationList()) {
        self.agent = agent
        self.rootKey = rootKey
        self.revocations = revocations
    }

    /// Mints a token for `scope` under `id`, which must be unique and unguessable (at least 128
    /// random bits, e.g. 32 hex digits).
    ///
    /// Throws ``ParleyError/Code/invalidField`` (a local fault) when the scope lists no purpose or no field.
    public func mint(id: TokenID, scope: ConsentScope) throws(ParleyError) -> ConsentToken {
        guard !scope.purposes.isEmpty, !scope.fields.isEmpty else {
            throw ParleyError(.invalidField, "a consent scope needs at least one purpose and one field", fault: .local)
        }
        let macaroon = Macaroon(keyedBy: rootKey.keyed, identifier: Array(id.rawValue.utf8), location: Array(agent.rawValue.utf8))
        return ConsentToken(macaroon: macaroon, id: id, location: agent).attenuated(by: scope.caveats)
    }

    /// Verifies that `token` is genuine, not revoked, and allows `use`; throws the first failure
    /// in the order of `Spec/CONSENT.md` §5: signature, revocation, caveat syntax, expiry,
    /// audience, session, purpose, fields, retention.
    public func verify(_ token: ConsentToken, for use: ConsentUse) throws(ParleyError) {
        guard constantTimeEquals(token.macaroon.expectedSignature(keyedBy: rootKey.keyed), token.macaroon.signature) else {
            throw ParleyError(.tokenBadSignature, "token signature does not verify")
        }
        guard !revocations.contains(token.id) else {
            throw ParleyError(.tokenRevoked, "token '\(token.id)' has been revoked")
        }
        try token.checkCaveats(for: use)
    }

    /// Parses `text` and verifies the token for `use`; returns the token when the use is allowed.
    @discardableResult
    public func verify(serialized text: String, for use: ConsentUse) throws(ParleyError) -> ConsentToken {
        let token = try ConsentToken(serialized: text)
        try verify(token, for: use)
        return token
    }

    /// Revokes `id` and with it every token narrowed from that token.
    public mutating func revoke(_ id: TokenID) { revocations.revoke(id) }
}
