/// What a consent grant allows: which company, for which purposes, which fields, until when,
/// in which session and for how long the data may be kept.
///
/// The customer agent decides a scope (by policy or by asking the person) and mints a token
/// for it with ``ConsentIssuer/mint(id:scope:)``.
public struct ConsentScope: Hashable, Sendable, Codable {
    /// The company agent the grant is for.
    public var audience: AgentID
    /// The purposes the data may be used for; must not be empty.
    public var purposes: Set<Purpose>
    /// The personal data fields covered; must not be empty.
    public var fields: Set<DataField>
    /// The grant holds strictly before this instant.
    public var expiry: Instant
    /// The session the grant is bound to, or `nil` for use outside any one session.
    public var session: SessionID?
    /// How long the company may keep the data, or `nil` for no limit beyond ``expiry``.
    public var retention: RetentionPeriod?

    /// Creates a scope.
    public init(
        audience: AgentID, purposes: Set<Purpose>, fields: Set<DataField>, expiry: Instant,
        session: SessionID? = nil, retention: RetentionPeriod? = nil
    ) {
        self.audience = audience
        self.purposes = purposes
        self.fields = fields
        self.expiry = expiry
        self.session = session
        self.retention = retention
    }

    /// The caveats a token for this scope carries, in the order `Spec/CONSENT.md` §4 fixes.
    public var caveats: [Caveat] {
        var result: [Caveat] = [.audience(audience), .purposes(purposes), .fields(fields), .expiry(expiry)]
        if let session { result.append(.session(session)) }
        if let retention { result.append(.retention(retention)) }
        return result
    }

    /// Customer side: picks the values to disclose for `requested` fields from the person's `profile`.
    ///
    /// Throws ``ParleyError/Code/tokenFieldNotCovered`` (a local fault) when a requested field is
    /// outside this scope, and ``ParleyError/Code/missingField`` when the profile has no value for
    /// a requested field. Never returns a field the scope does not cover.
    public func disclosure(of requested: Set<DataField>, from profile: [DataField: String]) throws(ParleyError) -> [DataField: String] {
        var result: [DataField: String] = [:]
        for field in requested.sorted() {
            guard fields.contains(field) else {
                throw ParleyError(.tokenFieldNotCovered, "the grant does not cover '\(field)'; refusing to disclose it", fault: .local)
            }
            guard let value = profile[field] else {
                throw ParleyError(.missingField, "no value for '\(field)' to disclose", fault: .local)
            }
            result[field] = value
        }
        return result
    }
}

/// One use of personal data that a verifier checks a token against.
public struct ConsentUse: Hashable, Sendable {
    /// The company agent that uses the data.
    public var audience: AgentID
    /// The purpose at hand.
    public var purpose: Purpose
    /// The fields the use reads; may be empty when only the purpose is checked.
    public var fields: Set<DataField>
    /// When the use happens.
    public var instant: Instant
    /// The session the use happens in, if any.
    public var session: SessionID?
    /// How long the user will keep the data; `nil` means not at all beyond this use (`P0D`).
    public var retention: RetentionPeriod?

    /// Creates a use.
    public init(
        audience: AgentID, purpose: Purpose, fields: Set<DataField>, at instant: Instant,
        session: SessionID? = nil, retention: RetentionPeriod? = nil
    ) {
        self.audience = audience
        self.purpose = purpose
        self.fields = fields
        self.instant = instant
        self.session = session
        self.retention = retention
    }
}
