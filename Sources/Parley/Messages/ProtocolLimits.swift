/// Bounds on list lengths and text sizes inside message bodies (`Spec/PROTOCOL.md` §4.4).
/// A body over any bound is rejected with ``ParleyError/Code/invalidField``.
public enum ProtocolLimits {
    /// `MAX_WINDOWS`: time windows in one request.
    public static let maximumWindows = 8
    /// `MAX_PROPOSALS`: proposals in one offer.
    public static let maximumProposals = 20
    /// `MAX_ADDONS`: add-ons in one proposal.
    public static let maximumAddOns = 8
    /// `MAX_OPTIONS`: options in one question.
    public static let maximumOptions = 16
    /// `MAX_FIELDS`: data fields in one requirement, consent message or disclosure.
    public static let maximumFields = 32
    /// `MAX_REQUIREMENTS`: data requirements in one proposal or add-on.
    public static let maximumRequirements = 8
    /// `MAX_VERSIONS`: protocol versions listed in one hello.
    public static let maximumVersions = 16
    /// `MAX_SERVICES`: services listed in one hello.
    public static let maximumServices = 64
    /// `MAX_TEXT_BYTES`: UTF-8 bytes of a human-readable text member.
    public static let maximumTextBytes = 2048
    /// `MAX_VALUE_BYTES`: UTF-8 bytes of one disclosed value.
    public static let maximumValueBytes = 1024
    /// `MAX_TOKEN_BYTES`: characters of a serialised consent token (base64url, so also its bytes):
    /// 22 000, room for the 16 384-byte binary tokens with 64 caveats that `Spec/CONSENT.md` §3.3
    /// requires verifiers to accept.
    public static let maximumTokenBytes = 22_000
    /// `MAX_RETENTION_DAYS`: the longest retention a requirement or grant may state (ten years).
    public static let maximumRetentionDays: Int64 = 3660
    /// The largest party size.
    public static let maximumPartySize: Int64 = 1000
    /// The longest duration in minutes (one week).
    public static let maximumDurationMinutes: Int64 = 10_080
}

extension String {
    /// The longest prefix of the string of at most `maximumBytes` UTF-8 bytes that ends on a
    /// character boundary: the string itself when it fits. Text members are bounded in bytes
    /// (`MAX_TEXT_BYTES`), so a text an agent composes is cut with this before it is sent.
    func prefix(utf8Bytes maximumBytes: Int) -> String {
        guard utf8.count > maximumBytes else { return self }
        var end = startIndex
        var bytes = 0
        for index in indices {
            let next = self.index(after: index)
            bytes += utf8.distance(from: index, to: next)
            guard bytes <= maximumBytes else { break }
            end = next
        }
        return String(self[..<end])
    }
}

/// Whether `text` looks like an IANA time zone name (`Europe/Berlin`, `UTC`, `Etc/GMT+1`).
func isTimeZoneName(_ text: String) -> Bool {
    var count = 0
    for byte in text.utf8 {
        let ok =
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2F || byte == 0x5F || byte == 0x2B || byte == 0x2D
        guard ok else { return false }
        count += 1
        if count > 64 { return false }
    }
    return count > 0
}

extension ObjectReader {
    /// An IANA time zone name member.
    func timeZone(_ key: String) throws(ParleyError) -> String {
        let text: String = try required(key)
        guard isTimeZoneName(text) else { throw invalid(key, "'\(text)' is not an IANA time zone name") }
        return text
    }

    /// A list of field names without repeats.
    func fields(_ key: String, required isRequired: Bool = true) throws(ParleyError) -> [DataField] {
        let fields: [DataField] = try list(
            key, required: isRequired, minimum: isRequired ? 1 : 0, maximum: ProtocolLimits.maximumFields)
        guard Set(fields).count == fields.count else { throw invalid(key, "a field is listed twice") }
        return fields
    }

    /// A retention period in days, 0 to `MAX_RETENTION_DAYS`.
    func retentionDays(_ key: String) throws(ParleyError) -> Int {
        Int(try integer(key, in: 0...ProtocolLimits.maximumRetentionDays))
    }
}
