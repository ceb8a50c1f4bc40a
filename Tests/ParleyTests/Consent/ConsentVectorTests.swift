import Parley
import ParleyCrypto
import Testing

@Suite("Spec/vectors/consent.json")
struct ConsentVectorTests {
    @Test("the file has every group")
    func nonEmpty() {
        let vectors = ConsentVectors.shared
        #expect(vectors.macaroons.count >= 2)
        #expect(vectors.macaroonVerify.count >= 8)
        #expect(!vectors.mint.isEmpty && !vectors.attenuate.isEmpty && vectors.verify.count >= 30)
    }

    @Test("libmacaroons examples: signature and v2 encoding reproduce", arguments: ConsentVectors.shared.macaroons)
    func macaroon(_ vector: ConsentVectors.MacaroonCase) throws {
        let key = try #require(Hex.decode(vector.rootKey))
        var macaroon = Macaroon(rootKey: key, identifier: Array(vector.identifier.utf8), location: Array(vector.location.utf8))
        for caveat in vector.caveats { macaroon = macaroon.addingFirstPartyCaveat(Array(caveat.utf8)) }
        #expect(Hex.encode(macaroon.signature) == vector.signature)
        #expect(Base64URL.encode(macaroon.serializedV2()) == vector.serialized)
        #expect(try Macaroon(v2: try #require(Base64URL.decode(vector.serialized))) == macaroon)
    }

    @Test("libmacaroons vtest cases (exact first-party caveats)", arguments: ConsentVectors.shared.macaroonVerify)
    func macaroonVerify(_ vector: ConsentVectors.MacaroonVerifyCase) throws {
        let key = try #require(Hex.decode(vector.rootKey))
        let macaroon = try Macaroon(v2: try #require(Base64URL.decode(vector.serialized)))
        let satisfied = Set(vector.satisfied.map { Array($0.utf8) })
        let authorized =
            macaroon.hasValidSignature(rootKey: key)
            && macaroon.caveats.allSatisfy { $0.isFirstParty && satisfied.contains($0.identifier) }
        #expect(authorized == vector.authorized)
    }

    @Test("mint", arguments: ConsentVectors.shared.mint)
    func mint(_ vector: ConsentVectors.MintCase) throws {
        let key = try #require(ConsentRootKey(hex: vector.rootKey))
        let issuer = ConsentIssuer(agent: try #require(AgentID(rawValue: vector.location)), rootKey: key)
        let token = try issuer.mint(id: try #require(TokenID(rawValue: vector.id)), scope: try Self.scope(vector.scope))
        #expect(token.serialized == vector.serialized)
        #expect(token.caveatTexts == vector.caveats)
        let parsed = try ConsentToken(serialized: vector.serialized)
        #expect(parsed == token)
        #expect(parsed.id.rawValue == vector.id && parsed.location?.rawValue == vector.location)
    }

    @Test("attenuate", arguments: ConsentVectors.shared.attenuate)
    func attenuate(_ vector: ConsentVectors.AttenuateCase) throws {
        var caveats: [Caveat] = []
        for text in vector.caveats { caveats.append(try Caveat(parsing: text)) }
        let narrowed = try ConsentToken(serialized: vector.token).attenuated(by: caveats)
        #expect(narrowed.serialized == vector.serialized)
    }

    @Test("verify", arguments: ConsentVectors.shared.verify)
    func verify(_ vector: ConsentVectors.VerifyCase) throws {
        let key = try #require(ConsentRootKey(hex: vector.rootKey))
        let revoked = try vector.revoked.map { try #require(TokenID(rawValue: $0)) }
        let issuer = ConsentIssuer(agent: "lisa.example/assistant", rootKey: key, revocations: RevocationList(revoked))
        let use = try Self.use(vector.use)
        let expected = ParleyError.Code(wireValue: vector.expect)
        #expect(expected != nil || vector.expect == "ok", "unknown expected code \(vector.expect)")
        var actual: ParleyError.Code?
        do {
            try issuer.verify(serialized: vector.token, for: use)
        } catch {
            actual = error.code
        }
        #expect(actual == expected)
    }

    static func scope(_ scope: ConsentVectors.Scope) throws -> ConsentScope {
        ConsentScope(
            audience: try #require(AgentID(rawValue: scope.audience)),
            purposes: Set(try scope.purposes.map { try #require(Purpose(rawValue: $0)) }),
            fields: Set(try scope.fields.map { try #require(DataField(rawValue: $0)) }),
            expiry: try #require(Instant(rfc3339: scope.expiry)),
            session: try scope.session.map { try #require(SessionID(rawValue: $0)) },
            retention: try scope.retention.map { try #require(RetentionPeriod(iso8601: $0)) })
    }

    static func use(_ use: ConsentVectors.Use) throws -> ConsentUse {
        ConsentUse(
            audience: try #require(AgentID(rawValue: use.audience)),
            purpose: try #require(Purpose(rawValue: use.purpose)),
            fields: Set(try use.fields.map { try #require(DataField(rawValue: $0)) }),
            at: try #require(Instant(rfc3339: use.at)),
            session: try use.session.map { try #require(SessionID(rawValue: $0)) },
            retention: try use.retention.map { try #require(RetentionPeriod(iso8601: $0)) })
    }
}
