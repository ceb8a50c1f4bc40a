import Testing

@testable import ParleyCrypto

@Suite("Macaroon chain and v2 binary format")
struct MacaroonTests {
    static let key = Array("this is our super secret key; only we should know it".utf8)

    @Test("libmacaroons README example reproduces exactly")
    func libmacaroonsExample() throws {
        let root = Macaroon(rootKey: Self.key, identifier: Array("we used our secret key".utf8), location: Array("http://mybank/".utf8))
        #expect(Hex.encode(root.signature) == "e3d9e02908526c4c0039ae15114115d97fdd68bf2ba379b342aaf0f617d0552f")
        let caveated = root.addingFirstPartyCaveat(Array("test = caveat".utf8))
        #expect(Hex.encode(caveated.signature) == "197bac7a044af33332865b9266e26d493bdd668a660e44d88ce1a998c23dbd67")
        let wire =
            "AgEOaHR0cDovL215YmFuay8CFndlIHVzZWQgb3VyIHNlY3JldCBrZXkAAg10ZXN0ID0gY2F2ZWF0AAAGIBl7rHoESvMzMoZbkmbibUk73WaKZg5E2IzhqZjCPb1n"
        #expect(Base64URL.encode(caveated.serializedV2()) == wire)
        let parsed = try Macaroon(v2: try #require(Base64URL.decode(wire)))
        #expect(parsed == caveated)
        #expect(parsed.hasValidSignature(rootKey: Self.key))
        #expect(!parsed.hasValidSignature(rootKey: Array("another key".utf8)))
    }

    @Test("every truncation of a valid encoding fails with a typed error")
    func truncations() {
        let bytes = Macaroon(rootKey: Self.key, identifier: [1, 2, 3], location: [])
            .addingFirstPartyCaveat(Array("a = b".utf8)).serializedV2()
        for count in 0..<bytes.count {
            #expect(throws: MacaroonFormatError.self) { try Macaroon(v2: Array(bytes[0..<count])) }
        }
        #expect(throws: MacaroonFormatError.trailingBytes(offset: bytes.count)) { try Macaroon(v2: bytes + [0]) }
    }

    @Test("hostile inputs: huge lengths, over-long varints, limits")
    func hostile() {
        #expect(throws: MacaroonFormatError.unsupportedVersion) { try Macaroon(v2: [1]) }
        #expect(throws: MacaroonFormatError.truncated(offset: 7)) { try Macaroon(v2: [2, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }
        #expect(throws: MacaroonFormatError.badVarint(offset: 2)) { try Macaroon(v2: [2, 2] + [UInt8](repeating: 0xFF, count: 12)) }
        #expect(throws: MacaroonFormatError.badVarint(offset: 2)) { try Macaroon(v2: [2, 2, 0x81, 0x00]) }
        #expect(throws: MacaroonFormatError.emptyOptionalField(offset: 1)) { try Macaroon(v2: [2, 1, 0, 2, 0, 0, 0, 6, 32]) }
        #expect(throws: MacaroonFormatError.tooLarge(byteCount: 20, limit: 10)) {
            try Macaroon(v2: [UInt8](repeating: 2, count: 20), limits: .init(maximumBytes: 10))
        }
        var many = Macaroon(rootKey: Self.key, identifier: [1], location: [])
        for _ in 0..<3 { many = many.addingFirstPartyCaveat([0x41]) }
        #expect(throws: MacaroonFormatError.tooManyCaveats(limit: 2)) {
            try Macaroon(v2: many.serializedV2(), limits: .init(maximumCaveats: 2))
        }
        var badSignature = many.serializedV2()
        badSignature.removeLast()
        badSignature[badSignature.count - 32] = 31
        #expect(throws: MacaroonFormatError.badSignatureLength(31)) { try Macaroon(v2: badSignature) }
    }

    @Test("third-party caveats parse and chain like libmacaroons' hash2")
    func thirdParty() throws {
        let base = Macaroon(rootKey: Self.key, identifier: [7], location: Array("loc".utf8))
        let caveat = Macaroon.Caveat(
            identifier: Array("tp".utf8), verificationID: [UInt8](repeating: 9, count: 72),
            location: Array("https://auth/".utf8))
        let withThirdParty = Macaroon(location: base.location, identifier: base.identifier, caveats: [caveat], signature: base.signature)
        let signature = withThirdParty.expectedSignature(rootKey: Self.key)
        let inner =
            HMACSHA256.authenticationCode(for: caveat.verificationID ?? [], key: base.signature)
            + HMACSHA256.authenticationCode(for: caveat.identifier, key: base.signature)
        #expect(signature == HMACSHA256.authenticationCode(for: inner, key: base.signature))
        let signed = Macaroon(location: base.location, identifier: base.identifier, caveats: [caveat], signature: signature)
        let parsed = try Macaroon(v2: signed.serializedV2())
        #expect(parsed == signed)
        #expect(!parsed.caveats[0].isFirstParty)
        #expect(parsed.hasValidSignature(rootKey: Self.key))
    }
}

@Suite("base64url and hex")
struct EncodingTests {
    @Test("round trip at every length", arguments: 0..<20)
    func roundTrip(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 251) }
        let text = Base64URL.encode(bytes)
        #expect(!text.contains("="))
        #expect(Base64URL.decode(text) == bytes)
        let padded = text + String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
        #expect(Base64URL.decode(padded) == bytes)
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
    }

    @Test("strict decoding", arguments: ["A", "AB=", "AB===", "A===", "AB+/", "AB/_", "AB C", "AB\n", "AR", "AAB", "=", "AB=A"])
    func rejects(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test("known base64url values")
    func known() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("") == [])
        #expect(Hex.decode("0A0b") == [10, 11])
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("abc") == nil)
    }
}

@Suite("Hostile input never traps")
struct MacaroonFuzzTests {
    /// SplitMix64, so a failure replays from its seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("random bytes and mutated tokens parse or throw", arguments: [UInt64(1), 2, 3])
    func fuzz(seed: UInt64) {
        var random = SeededGenerator(state: seed)
        let valid = Macaroon(rootKey: [1, 2, 3], identifier: Array("tok-1".utf8), location: Array("loc".utf8))
            .addingFirstPartyCaveat(Array("aud = x".utf8)).addingFirstPartyCaveat(Array("fields in a,b".utf8)).serializedV2()
        var parsed = 0
        for round in 0..<4_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                if !bytes.isEmpty { bytes[0] = 2 }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            if let macaroon = try? Macaroon(v2: bytes) {
                parsed += 1
                #expect(macaroon.serializedV2() == bytes, "seed \(seed) round \(round): parse is not canonical")
            }
            _ = Base64URL.decode(String(decoding: bytes, as: UTF8.self))
        }
        #expect(parsed > 0, "seed \(seed): mutations should sometimes still parse")
    }
}
