import Foundation
import Testing

@testable import Parley

@Suite("Signing keys, public keys and signatures")
struct SigningKeyTests {
    @Test("a key signs, its public key verifies, and nothing else does")
    func signAndVerify() throws {
        let seed = UInt64(Environment.seed ?? 16)
        var random = SplitMix64(seed: seed)
        let key = SigningKey(using: &random)
        let other = SigningKey(using: &random)
        let message = Array("confirm booking B-1 at 2026-05-02T09:00:00Z".utf8)
        let signature = key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message), "seed \(seed)")
        #expect(key.publicKey.isValidSignature(signature, for: Data(message)), "Data works as a message")
        #expect(!other.publicKey.isValidSignature(signature, for: message), "seed \(seed)")
        #expect(!key.publicKey.isValidSignature(signature, for: message.dropLast()), "seed \(seed)")
        #expect(key.signature(for: message) == signature, "signing is deterministic")
        #expect(SigningKey(seed: key.seed)?.publicKey == key.publicKey)
    }

    @Test("text forms round-trip: seed hex, public key hex and base64url, signature base64url and hex")
    func textForms() throws {
        let key = try #require(SigningKey(seedHex: "9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60"))
        #expect(key.publicKey.hex == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        #expect(PublicSigningKey(base64URL: key.publicKey.base64URL) == key.publicKey)
        #expect(PublicSigningKey(hex: key.publicKey.hex) == key.publicKey)
        let signature = key.signature(for: [UInt8]())
        #expect(signature.base64URL.count == 86)
        #expect(Signature(base64URL: signature.base64URL) == signature)
        #expect(Signature(hex: signature.hex) == signature)
        #expect(signature.hex.hasPrefix("e5564300c360ac72"))  // RFC 8032 TEST 1
    }

    @Test("a key's id is its RFC 7638 JWK thumbprint (RFC 8037 Appendix A.3)")
    func keyIDIsTheThumbprint() throws {
        let key = try #require(PublicSigningKey(base64URL: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"))
        #expect(key.keyID == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        let other = SigningKey(seedHex: String(repeating: "01", count: 32))!.publicKey
        #expect(other.keyID != key.keyID && other.keyID.count == 43)
    }

    @Test("malformed or unacceptable inputs give nil")
    func rejects() {
        #expect(SigningKey(seed: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(SigningKey(seedHex: "xyz") == nil)
        #expect(Signature(rawRepresentation: [UInt8](repeating: 0, count: 63)) == nil)
        #expect(Signature(base64URL: "A") == nil)
        #expect(PublicSigningKey(rawRepresentation: [UInt8](repeating: 0, count: 31)) == nil)
        // The identity (y = 1) has small order; y = p is a non-canonical encoding of y = 0.
        #expect(PublicSigningKey(hex: "01" + String(repeating: "00", count: 31)) == nil)
        #expect(PublicSigningKey(hex: "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f") == nil)
    }

    @Test("description, debugDescription and dump of a signing key never show the seed")
    func noSecretInText() {
        var random = SplitMix64(seed: 7)
        let key = SigningKey(using: &random)
        let secret = SecretForms(bytes: key.seed)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, key.debugDescription, String(describing: key), String(reflecting: key), "\(key)", dumped] {
            #expect(secret.leak(in: text) == nil, "\(text)")
            #expect(text.contains(key.publicKey.hex), "\(text)")
        }
    }
}
