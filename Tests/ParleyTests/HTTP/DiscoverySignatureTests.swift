import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// The discovery document's keys (a JWK Set) and its JWS signatures (`Spec/HTTP.md` §2.5, §2.6).
@Suite struct DiscoverySignatureTests {
    static let current = SigningKey(seed: Array(repeating: 21, count: 32))!
    static let next = SigningKey(seed: Array(repeating: 22, count: 32))!

    static func document(_ keys: [SigningKey]) -> DiscoveryDocument {
        DiscoveryDocument(agent: Salons.salon().0, endpoints: ["/parley"]).signed(with: keys)
    }

    static func text(_ document: DiscoveryDocument) -> String { String(decoding: document.encoded(), as: UTF8.self) }

    @Test func keysArePublishedAsAJWKSetAndTheDocumentVerifies() throws {
        let document = Self.document([Self.current])
        guard case .object(let members) = try JSONParser.parse(document.encoded()), case .array(let keys)? = members["keys"],
            case .object(let jwk)? = keys.first
        else {
            Issue.record("no keys")
            return
        }
        let x = Self.current.publicKey.base64URL
        #expect(
            jwk == [
                "kty": .string("OKP"), "crv": .string("Ed25519"), "x": .string(x), "kid": .string(Self.current.publicKey.keyID),
                "use": .string("sig"), "alg": .string("EdDSA"),
            ])
        let decoded = try DiscoveryDocument.decode(document.encoded())
        #expect(decoded.keys == [Self.current.publicKey])
        #expect(try decoded.verifySignatures() == .verified(keyIDs: [Self.current.publicKey.keyID], pinned: false))
        #expect(
            try decoded.verifySignatures(pinned: [Self.current.publicKey])
                == .verified(keyIDs: [Self.current.publicKey.keyID], pinned: true))
        // The JWS is standard: header {"alg":"EdDSA","kid":…}, content the document without `signatures`.
        let signature = try #require(decoded.signatures.first)
        #expect(signature.keyID == Self.current.publicKey.keyID)
        #expect(!String(decoding: decoded.signingPayload, as: UTF8.self).contains("signatures"))
        // Re-encoding the decoded document gives the same bytes.
        #expect(decoded.encoded() == document.encoded())
    }

    @Test func anyChangeBreaksTheSignature() throws {
        let text = Self.text(Self.document([Self.current]))
        let renamed = try DiscoveryDocument.decode(Array(text.replacingOccurrences(of: "Salon Krause", with: "Salon Krauss").utf8))
        #expect(throws: DiscoveryDocument.Problem("bad-signature", "the signature by \(Self.current.publicKey.keyID) does not verify")) {
            _ = try renamed.verifySignatures()
        }
        // A member this library does not know is signed as well.
        let extended = text.replacingOccurrences(of: "\"versions\"", with: "\"logo\":\"x\",\"versions\"")
        let withExtra = try DiscoveryDocument.decode(Array(extended.utf8))
        #expect(throws: DiscoveryDocument.Problem.self) { _ = try withExtra.verifySignatures() }
        // ... and a signed unknown member verifies and survives re-encoding.
        var original = DiscoveryDocument(agent: Salons.salon().0, endpoints: ["/parley"])
        original.otherMembers = ["logo": .string("x")]
        let signed = original.signed(with: [Self.current])
        let back = try DiscoveryDocument.decode(signed.encoded())
        #expect(try back.verifySignatures() == .verified(keyIDs: [Self.current.publicKey.keyID], pinned: false))
        #expect(back.encoded() == signed.encoded())
    }

    @Test func unsignedKeysForeignSignersAndUnpinnedKeysAreRefused() throws {
        let unsigned = DiscoveryDocument(agent: Salons.salon().0, endpoints: ["/parley"], keys: [Self.current.publicKey])
        #expect(throws: DiscoveryDocument.Problem.self) { _ = try DiscoveryDocument.decode(unsigned.encoded()).verifySignatures() }
        let plain = DiscoveryDocument(agent: Salons.salon().0, endpoints: ["/parley"])
        #expect(try DiscoveryDocument.decode(plain.encoded()).verifySignatures() == .unsigned)
        #expect(throws: DiscoveryDocument.Problem.self) {
            _ = try DiscoveryDocument.decode(plain.encoded()).verifySignatures(pinned: [Self.current.publicKey])
        }
        // Signed by a key the document does not list.
        var foreign = Self.document([Self.current])
        foreign.signatures = Self.document([Self.next]).signatures
        #expect(throws: DiscoveryDocument.Problem.self) { _ = try DiscoveryDocument.decode(foreign.encoded()).verifySignatures() }
        // Valid, but not by the pinned key: an impostor's document served for the company.
        let impostor = Self.document([Self.next])
        #expect(throws: DiscoveryDocument.Problem.self) {
            _ = try DiscoveryDocument.decode(impostor.encoded()).verifySignatures(pinned: [Self.current.publicKey])
        }
    }

    @Test func rotationSignsWithBothKeysSoEitherPinVerifies() throws {
        let rotating = try DiscoveryDocument.decode(Self.document([Self.next, Self.current]).encoded())
        #expect(rotating.keys == [Self.next.publicKey, Self.current.publicKey])
        #expect(rotating.signatures.count == 2)
        for pin in [Self.current.publicKey, Self.next.publicKey] {
            guard case .verified(let ids, let pinned) = try rotating.verifySignatures(pinned: [pin]) else {
                Issue.record("not verified")
                continue
            }
            #expect(pinned)
            #expect(Set(ids) == [Self.current.publicKey.keyID, Self.next.publicKey.keyID])
        }
        // After the overlap the old key is gone; a client that pinned it and missed the overlap must re-pin out of band.
        let after = try DiscoveryDocument.decode(Self.document([Self.next]).encoded())
        #expect(throws: DiscoveryDocument.Problem.self) { _ = try after.verifySignatures(pinned: [Self.current.publicKey]) }
    }

    @Test func badKeysAreRefusedAndUnknownKeyTypesSkipped() throws {
        let text = Self.text(Self.document([Self.current]))
        let kid = Self.current.publicKey.keyID
        func problem(_ replaced: String) -> String? {
            do {
                _ = try DiscoveryDocument.decode(Array(replaced.utf8))
                return nil
            } catch { return error.code }
        }
        #expect(problem(text.replacingOccurrences(of: "\"kid\":\"\(kid)\"", with: "\"kid\":\"mine\"")) == "invalid-member")
        #expect(problem(text.replacingOccurrences(of: "\"use\":\"sig\"", with: "\"use\":\"enc\"")) == "invalid-member")
        #expect(problem(text.replacingOccurrences(of: "\"x\":\"", with: "\"d\":\"secret\",\"x\":\"")) == "invalid-member")
        let smallOrder = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"  // the identity point
        #expect(problem(text.replacingOccurrences(of: Self.current.publicKey.base64URL, with: smallOrder)) == "invalid-member")
        #expect(problem(text.replacingOccurrences(of: "\"keys\":[", with: "\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\"},")) == nil)
        #expect(problem(text.replacingOccurrences(of: "\"signatures\":[", with: "\"signatures\":[7,")) == "invalid-member")
    }

    @Test func theBindingServesASignedDocument() async throws {
        let binding = CompanyHTTPBinding(
            agent: Salons.salon().0, clock: ManualClock(now: World.now), signingKeys: [Self.current, Self.next])
        let response = await binding.respond(to: ParleyHTTPRequest(method: "GET", target: ParleyHTTP.discoveryPath))
        let document = try DiscoveryDocument.decode(response.body)
        #expect(document.keys == [Self.current.publicKey, Self.next.publicKey])
        #expect(try document.verifySignatures(pinned: [Self.next.publicKey]) != .unsigned)
        #expect(response.headers["Signature"] == nil)  // the document carries its own signature
    }
}
