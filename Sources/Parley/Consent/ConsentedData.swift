/// Personal data a company received, readable only within the consent token it came with.
///
/// Every read checks the token's caveats for the purpose at hand, the instant and the ledger's
/// revocation state, and throws a typed ``ParleyError`` when the read is outside the grant. It
/// never returns an empty value instead. The values never appear in `description` or `dump`.
public struct ConsentedData: Sendable, CustomStringConvertible, CustomReflectable {
    /// The token the data was disclosed under.
    public let token: ConsentToken
    /// The company agent holding the data (the token's audience).
    public let holder: AgentID
    /// The session the data is used in, if any.
    public let session: SessionID?
    private let values: [DataField: String]

    /// The disclosed values, for saving a session (never shown in descriptions).
    var storedValues: [DataField: String] { values }

    /// Wraps disclosed `values`; throws ``ParleyError/Code/tokenFieldNotCovered`` when a value is
    /// for a field the token does not cover (the peer disclosed more than it granted), or the
    /// token's own caveat errors when they cannot be read.
    public init(values: [DataField: String], token: ConsentToken, holder: AgentID, session: SessionID? = nil) throws(ParleyError) {
        for caveat in try token.caveats() {
            if case .fields(let covered) = caveat, let field = values.keys.sorted().first(where: { !covered.contains($0) }) {
                throw ParleyError(.tokenFieldNotCovered, "disclosed field '\(field)' is not covered by token '\(token.id)'")
            }
        }
        self.values = values
        self.token = token
        self.holder = holder
        self.session = session
    }

    /// The fields that were disclosed (names only).
    public var disclosedFields: Set<DataField> { Set(values.keys) }

    /// The value of `field` for use for `purpose` at `instant`.
    ///
    /// Throws ``ParleyError/Code/tokenRevoked`` when `ledger` knows the token is revoked, the
    /// caveat errors of ``ConsentToken/checkCaveats(for:)`` (expired, purpose not allowed, field
    /// not covered, …), and ``ParleyError/Code/missingField`` when the field is covered but was not disclosed.
    public func value(of field: DataField, for purpose: Purpose, at instant: Instant, ledger: ConsentLedger) throws(ParleyError) -> String {
        guard !ledger.isRevoked(token.id) else {
            throw ParleyError(.tokenRevoked, "consent token '\(token.id)' has been revoked", fault: .local)
        }
        let use = ConsentUse(audience: holder, purpose: purpose, fields: [field], at: instant, session: session)
        do {
            try token.checkCaveats(for: use)
        } catch {
            throw ParleyError(error.code, error.message, fault: .local)
        }
        guard let value = values[field] else {
            throw ParleyError(.missingField, "'\(field)' is covered but was not disclosed", fault: .local)
        }
        return value
    }

    /// Names the token and the disclosed fields, never the values.
    public var description: String {
        "ConsentedData(token: \(token.id), fields: \(values.keys.map(\.rawValue).sorted().joined(separator: ",")))"
    }

    /// A mirror without the values.
    public var customMirror: Mirror {
        Mirror(
            self, children: ["token": token.id, "holder": holder, "fields": values.keys.map(\.rawValue).sorted()], displayStyle: .struct)
    }
}
