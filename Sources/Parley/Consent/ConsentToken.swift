internal import ParleyCrypto

/// A consent token: a macaroon minted by a customer agent that lets one company use some of
/// the person's data for some purposes until some time (see `Spec/CONSENT.md`).
///
/// On the wire a token is the base64url (unpadded) text of the macaroon's version 2 binary
/// encoding. Anyone holding a token can narrow it with ``attenuated(by:)-([Caveat])``; nobody can widen
/// it. Only the issuer, who holds the root key, can tell a genuine token from a forged one
/// (``ConsentIssuer/verify(_:for:)``).
public struct ConsentToken: Hashable, Sendable, CustomStringConvertible {
    let macaroon: Macaroon

    /// The token id: the macaroon identifier, also the revocation id. Narrowed tokens keep it.
    public let id: TokenID
    /// The issuer (customer agent) named in the macaroon location, if any. A hint, not signed.
    public let location: AgentID?

    /// The largest token text accepted, in characters: `MAX_TOKEN_BYTES`
    /// (``ProtocolLimits/maximumTokenBytes``), the one limit for tokens in messages and alone.
    public static let maximumTextLength = ProtocolLimits.maximumTokenBytes

    init(macaroon: Macaroon, id: TokenID, location: AgentID?) {
        self.macaroon = macaroon
        self.id = id
        self.location = location
    }

    /// Parses a token from its wire text; throws ``ParleyError/Code/tokenMalformed`` for anything
    /// that is not base64url of a well-formed version 2 macaroon with a valid token id and location.
    ///
    /// Parsing checks structure only: caveats are interpreted, and the signature checked, by
    /// ``ConsentIssuer/verify(_:for:)``.
    public init(serialized text: String) throws(ParleyError) {
        guard text.utf8.count <= ConsentToken.maximumTextLength else {
            throw ParleyError(
                .tokenMalformed,
                "the token is \(text.utf8.count) characters long; MAX_TOKEN_BYTES allows \(ConsentToken.maximumTextLength)")
        }
        guard let bytes = Base64URL.decode(text) else { throw ParleyError(.tokenMalformed, "token is not base64url text") }
        let macaroon: Macaroon
        do {
            macaroon = try Macaroon(v2: bytes)
        } catch {
            throw ParleyError(.tokenMalformed, "token is not a version 2 macaroon: \(Self.explain(error))")
        }
        guard let id = TokenID(rawValue: String(decoding: macaroon.identifier, as: UTF8.self)),
            Array(id.rawValue.utf8) == macaroon.identifier
        else { throw ParleyError(.tokenMalformed, "token identifier is not a valid token id") }
        var location: AgentID?
        if !macaroon.location.isEmpty {
            guard let agent = AgentID(rawValue: String(decoding: macaroon.location, as: UTF8.self)),
                Array(agent.rawValue.utf8) == macaroon.location
            else { throw ParleyError(.tokenMalformed, "token location is not a valid agent id") }
            location = agent
        }
        self.init(macaroon: macaroon, id: id, location: location)
    }

    /// Why bytes are not a version 2 macaroon, in words (never a Swift debug description).
    static func explain(_ error: MacaroonFormatError) -> String {
        switch error {
        case .tooLarge(let byteCount, let limit): return "it is \(byteCount) bytes long; at most \(limit) are accepted"
        case .tooManyCaveats(let limit): return "it has more than \(limit) caveats (MAX_CAVEATS)"
        case .unsupportedVersion: return "its first byte is not 2 (the version 2 format)"
        case .truncated(let offset): return "it ends in the middle of a field or before the signature (at byte \(offset))"
        case .badVarint(let offset): return "the length at byte \(offset) is not a minimal varint of at most 9 bytes"
        case .unexpectedField(let offset, let expected):
            return "byte \(offset) starts a field of the wrong type (a field of type \(expected) must come there)"
        case .emptyOptionalField(let offset): return "the optional field at byte \(offset) is present but empty (it must be omitted)"
        case .badSignatureLength(let length): return "its signature is \(length) bytes long, not 32"
        case .trailingBytes(let offset): return "bytes follow the signature (from byte \(offset))"
        }
    }

    /// The wire text: base64url without padding of the version 2 binary macaroon.
    public var serialized: String { Base64URL.encode(macaroon.serializedV2()) }

    /// `ConsentToken(<id>)`: names the token without printing the bearer credential itself.
    public var description: String { "ConsentToken(\(id))" }

    /// The caveats as text, for people: first-party caveats verbatim (non-ASCII bytes escaped as `\xNN`),
    /// third-party caveats as `third-party caveat at <location>`.
    public var caveatTexts: [String] {
        macaroon.caveats.map { caveat in
            guard caveat.isFirstParty, caveat.location == nil else {
                return "third-party caveat at " + String(decoding: caveat.location ?? [], as: UTF8.self)
            }
            return caveat.identifier.map { byte in
                (0x20...0x7E).contains(byte) && byte != 0x5C
                    ? String(UnicodeScalar(byte)) : "\\x" + Hex.encode([byte])
            }.joined()
        }
    }

    /// The typed caveats, in token order.
    ///
    /// Throws ``ParleyError/Code/tokenUnknownCaveat`` for a third-party caveat or a caveat
    /// outside the grammar, ``ParleyError/Code/tokenMalformed`` for a known caveat with a bad value.
    public func caveats() throws(ParleyError) -> [Caveat] {
        var result: [Caveat] = []
        for caveat in macaroon.caveats {
            guard caveat.isFirstParty, caveat.location == nil else {
                throw ParleyError(.tokenUnknownCaveat, "token carries a third-party caveat; Parley tokens have none")
            }
            result.append(try Caveat(parsing: caveat.identifier))
        }
        return result
    }

    /// A narrower token: this token with `caveats` appended. Works without the root key.
    ///
    /// A use must satisfy every caveat, old and new, so the result never allows more than this token.
    public func attenuated(by caveats: [Caveat]) -> ConsentToken {
        var narrowed = macaroon
        for caveat in caveats { narrowed.appendFirstPartyCaveat(Array(caveat.text.utf8)) }
        return ConsentToken(macaroon: narrowed, id: id, location: location)
    }

    /// A narrower token: this token with `caveats` appended.
    public func attenuated(by caveats: Caveat...) -> ConsentToken { attenuated(by: caveats) }

    /// Checks the caveats alone against `use`, in the order of `Spec/CONSENT.md` §5 steps 4–10.
    ///
    /// This does **not** prove the token genuine (only the issuer can check the signature); a
    /// company uses it to stay inside the scope it was given, e.g. through ``ConsentedData``.
    public func checkCaveats(for use: ConsentUse) throws(ParleyError) {
        let caveats = try caveats()
        for kind in Caveat.Kind.allCases where !caveats.contains(where: { $0.kind == kind }) && kind.isRequired {
            throw ParleyError(.tokenMalformed, "token has no '\(kind.prefix)…' caveat")
        }
        for caveat in caveats {
            if case .expiry(let expiry) = caveat, use.instant >= expiry {
                throw ParleyError(.tokenExpired, "token expired at \(expiry)")
            }
        }
        for caveat in caveats {
            if case .audience(let audience) = caveat, audience != use.audience {
                throw ParleyError(.tokenWrongAudience, "token is for '\(audience)', not '\(use.audience)'")
            }
        }
        for caveat in caveats {
            if case .session(let session) = caveat, session != use.session {
                throw ParleyError(.tokenWrongSession, "token is bound to session '\(session)'")
            }
        }
        for caveat in caveats {
            if case .purposes(let purposes) = caveat, !purposes.contains(use.purpose) {
                throw ParleyError(.tokenPurposeNotAllowed, "token does not allow purpose '\(use.purpose)'")
            }
        }
        for caveat in caveats {
            if case .fields(let fields) = caveat, let field = use.fields.sorted().first(where: { !fields.contains($0) }) {
                throw ParleyError(.tokenFieldNotCovered, "token does not cover field '\(field)'")
            }
        }
        let retention = use.retention ?? .none
        for caveat in caveats {
            if case .retention(let limit) = caveat, retention > limit {
                throw ParleyError(.tokenRetentionExceeded, "retention \(retention) exceeds the token's \(limit)")
            }
        }
    }
}

extension Caveat {
    var kind: Kind {
        switch self {
        case .audience: return .audience
        case .purposes: return .purposes
        case .fields: return .fields
        case .expiry: return .expiry
        case .session: return .session
        case .retention: return .retention
        }
    }
}

extension Caveat.Kind {
    /// Whether every Parley token must carry at least one caveat of this kind.
    var isRequired: Bool {
        switch self {
        case .audience, .purposes, .fields, .expiry: return true
        case .session, .retention: return false
        }
    }

    var prefix: String { Caveat.prefixes.first { $0.1 == self }?.0 ?? "" }
}
