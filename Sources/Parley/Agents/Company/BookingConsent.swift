/// A consent a booking was made with, kept with the booking in the company's ``BookingStore``:
/// the consent token, the company's receipt for it, and the values disclosed under it.
///
/// Stored with the booking, the consent outlives the session and the process that received it,
/// and every instance of a fleet reads it alike. The values are never shown by `description` or
/// a mirror; read them through ``CompanyAgent/personalData(_:of:for:at:)``, which checks the
/// token's scope, expiry and revocation on every read. A store keeps the value as it is (in
/// memory) or its `Codable` encoding (e.g. a JSON column).
public struct BookingConsent: Hashable, Sendable, Codable, CustomStringConvertible, CustomReflectable {
    /// The consent token, in its wire text (`Spec/CONSENT.md`).
    public var token: String
    /// The company's receipt: who granted what, for which purposes, until when, bound to the
    /// agreement digest of the booking's negotiation; `revokedAt` is set once the customer revokes.
    public var receipt: ConsentReceipt
    /// The disclosed values, by field name.
    private var values: [String: String]

    /// Keeps the consent `token`, the company's `receipt` for it and the `data` disclosed under it
    /// (`nil` when nothing was disclosed), e.g. to move bookings between stores.
    public init(token: ConsentToken, receipt: ConsentReceipt, data: ConsentedData?) {
        self.token = token.serialized
        self.receipt = receipt
        self.values = Dictionary(uniqueKeysWithValues: (data?.storedValues ?? [:]).map { ($0.key.rawValue, $0.value) })
    }

    /// The fields whose values were disclosed under this consent (names only).
    public var disclosedFields: Set<DataField> { Set(values.keys.compactMap { DataField(rawValue: $0) }) }

    /// The consent as ``ConsentedData`` held by `holder`: readable only within the token's scope.
    /// Throws `token-malformed` when the stored token cannot be read, or a field error when a stored
    /// value is outside the token's fields.
    func consentedData(holder: AgentID) throws(ParleyError) -> ConsentedData {
        let parsed = try ConsentToken(serialized: token)
        var disclosed: [DataField: String] = [:]
        for (name, value) in values {
            guard let field = DataField(rawValue: name) else {
                throw ParleyError(.tokenFieldNotCovered, "stored field '\(name)' is not a data field", fault: .local)
            }
            disclosed[field] = value
        }
        return try ConsentedData(values: disclosed, token: parsed, holder: holder, session: receipt.session)
    }

    /// Names the token and the disclosed fields, never the values.
    public var description: String {
        "BookingConsent(token: \(receipt.tokenID), fields: \(values.keys.sorted().joined(separator: ",")), revoked: \(receipt.revokedAt != nil))"
    }

    /// A mirror without the values.
    public var customMirror: Mirror {
        Mirror(self, children: ["receipt": receipt, "fields": values.keys.sorted()], displayStyle: .struct)
    }
}
