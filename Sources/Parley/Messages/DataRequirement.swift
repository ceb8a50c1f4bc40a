/// Personal data a proposal or add-on needs: which fields, for what, and for how long.
///
/// Declaring requirements up front lets the customer's policy decide before accepting; a
/// later `consent-request` may only ask for fields a requirement of the accepted proposal
/// (or of an accepted add-on) declared for the same purpose.
public struct DataRequirement: Hashable, Sendable, Codable {
    /// The fields needed.
    public var fields: [DataField]
    /// What they are needed for.
    public var purpose: Purpose
    /// How many days the company keeps them after the appointment.
    public var retentionDays: Int

    /// Creates a data requirement from its members.
    public init(fields: [DataField], purpose: Purpose, retentionDays: Int) {
        self.fields = fields
        self.purpose = purpose
        self.retentionDays = retentionDays
    }

    /// Whether this requirement declares every field of `fields` for `purpose`, keeping them no longer than `retentionDays`.
    public func covers(fields requested: [DataField], purpose requestedPurpose: Purpose, retentionDays requestedDays: Int) -> Bool {
        requestedPurpose == purpose && requestedDays <= retentionDays && requested.allSatisfy(fields.contains)
    }
}

extension DataRequirement: WireObject {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        fields = try reader.fields("fields")
        purpose = try reader.required("purpose")
        retentionDays = try reader.retentionDays("retentionDays")
    }

    func writeMembers<W: MemberWriter>(to writer: inout W) {
        writer.set("fields", fields)
        writer.set("purpose", purpose)
        writer.set("retentionDays", retentionDays)
    }
}
