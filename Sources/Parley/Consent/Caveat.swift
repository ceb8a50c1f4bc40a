/// A first-party caveat of a consent token: one restriction on its use.
///
/// A token allows a use only when **every** caveat allows it, so adding a caveat can only
/// narrow a token. The exact text forms are specified in `Spec/CONSENT.md` §3:
///
/// | case | text |
/// |---|---|
/// | ``audience(_:)`` | `aud = salon.example/bot` |
/// | ``purposes(_:)`` | `purpose in booking,reminder` |
/// | ``fields(_:)`` | `fields in givenName,phone` |
/// | ``expiry(_:)`` | `time < 2026-05-03T12:00:00Z` |
/// | ``session(_:)`` | `session = s-42` |
/// | ``retention(_:)`` | `retention <= P30D` |
public enum Caveat: Hashable, Sendable, CustomStringConvertible {
    /// Only this company (agent) may use the token.
    case audience(AgentID)
    /// Only for one of these purposes; never empty.
    case purposes(Set<Purpose>)
    /// Only these fields; never empty.
    case fields(Set<DataField>)
    /// Only before this instant (exclusive).
    case expiry(Instant)
    /// Only within this session.
    case session(SessionID)
    /// The data may be kept for at most this long.
    case retention(RetentionPeriod)

    /// The caveat's text, as it is signed into the token. Lists are written in ascending byte order.
    public var text: String {
        switch self {
        case .audience(let agent): return "aud = \(agent.rawValue)"
        case .purposes(let purposes): return "purpose in " + purposes.map(\.rawValue).sorted().joined(separator: ",")
        case .fields(let fields): return "fields in " + fields.map(\.rawValue).sorted().joined(separator: ",")
        case .expiry(let instant): return "time < \(instant.rfc3339)"
        case .session(let session): return "session = \(session.rawValue)"
        case .retention(let period): return "retention <= \(period.iso8601)"
        }
    }

    /// The caveat's text.
    public var description: String { text }

    /// Parses a caveat's text.
    ///
    /// Text that starts with none of the six prefixes (`aud = `, `purpose in `, `fields in `,
    /// `time < `, `session = `, `retention <= `) throws ``ParleyError/Code/tokenUnknownCaveat``;
    /// text that starts with one but breaks its value syntax throws ``ParleyError/Code/tokenMalformed``.
    public init(parsing text: String) throws(ParleyError) {
        for (prefix, kind) in Caveat.prefixes where text.hasPrefix(prefix) {
            let value = String(text.utf8.dropFirst(prefix.utf8.count)) ?? ""
            if let caveat = Caveat.parse(kind, value) {
                self = caveat
                return
            }
            throw ParleyError(.tokenMalformed, "caveat '\(Caveat.printable(text))' breaks the syntax of '\(prefix)…'")
        }
        throw ParleyError(.tokenUnknownCaveat, "caveat '\(Caveat.printable(text))' is not one this verifier understands")
    }

    /// The caveat parsed from the bytes of a token, which must be printable ASCII.
    init(parsing bytes: [UInt8]) throws(ParleyError) {
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else {
            throw ParleyError(.tokenUnknownCaveat, "a caveat is not printable ASCII text")
        }
        try self.init(parsing: String(decoding: bytes, as: UTF8.self))
    }

    enum Kind: CaseIterable { case audience, purposes, fields, expiry, session, retention }

    static let prefixes: [(String, Kind)] = [
        ("aud = ", .audience), ("purpose in ", .purposes), ("fields in ", .fields),
        ("time < ", .expiry), ("session = ", .session), ("retention <= ", .retention),
    ]

    private static func parse(_ kind: Kind, _ value: String) -> Caveat? {
        switch kind {
        case .audience: return AgentID(rawValue: value).map(Caveat.audience)
        case .purposes: return names(value, Purpose.init(rawValue:)).map(Caveat.purposes)
        case .fields: return names(value, DataField.init(rawValue:)).map(Caveat.fields)
        case .expiry: return Instant(rfc3339: value).map(Caveat.expiry)
        case .session: return SessionID(rawValue: value).map(Caveat.session)
        case .retention: return RetentionPeriod(iso8601: value).map(Caveat.retention)
        }
    }

    /// A non-empty comma-separated list of registry names, without duplicates.
    private static func names<Name: Hashable>(_ value: String, _ make: (String) -> Name?) -> Set<Name>? {
        var result = Set<Name>()
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard let name = make(String(part)), result.insert(name).inserted else { return nil }
        }
        return result.isEmpty ? nil : result
    }

    /// The text cut to 80 characters for error messages.
    static func printable(_ text: String) -> String {
        text.utf8.count <= 80 ? text : String(decoding: text.utf8.prefix(80), as: UTF8.self) + "…"
    }
}
