import Testing

@testable import ParleyCrypto

/// The verification rule of Spec/SIGNATURES.md §3, one clause at a time. Each test builds a
/// signature that the cofactorless equation alone would accept, and shows that the clause
/// rejects it.
@Suite("Ed25519 verification rule (Spec/SIGNATURES.md)")
struct Ed25519RuleTests {
    /// RFC 8032 TEST 1.
    static let seed = Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!
    static let order = Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")!

    /// The eight points of small order (order 1, 2, 4 and 8), canonically encoded.
    static let smallOrder = [
        "0100000000000000000000000000000000000000000000000000000000000000",  // identity
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // order 2 (y = −1)
        "0000000000000000000000000000000000000000000000000000000000000000",  // order 4
        "0000000000000000000000000000000000000000000000000000000000000080",  // order 4
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  // order 8
    ]

    /// Non-canonical encodings: y ≥ p (of y = 0, 1, 2 and the order-2 point), and "−0" (x = 0 with the sign bit set).
    static let nonCanonical = [
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p ≡ 0
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p + 1 ≡ 1
        "efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p + 2 ≡ 2
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // y = 2^255 − 1 ≡ 18, sign set
        "0100000000000000000000000000000000000000000000000000000000000080",  // y = 1, x = 0, sign set
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // y = −1, x = 0, sign set
    ]

    @Test("S ≥ L is rejected, though S + L satisfies the equation")
    func nonCanonicalScalar() {
        let key = Ed25519.ExpandedKey(seed: Self.seed)
        let signature = key.signature(for: [UInt8]())
        let s = Array(signature[32...])
        let sPlusL = Self.add(s, Self.order)
        #expect(EdwardsPoint.baseMultiplied(bySecretScalar: sPlusL).encoded == EdwardsPoint.baseMultiplied(bySecretScalar: s).encoded)
        #expect(!Ed25519.isValidSignature(Array(signature[..<32]) + sPlusL, for: [UInt8](), publicKey: key.publicKey))
        #expect(!Ed25519.isValidSignature(Array(signature[..<32]) + Self.order, for: [UInt8](), publicKey: key.publicKey))
        #expect(Ed25519.isValidSignature(signature, for: [UInt8](), publicKey: key.publicKey))
    }

    @Test("every small-order point decodes, has small order, and is refused as a public key")
    func smallOrderPublicKeys() throws {
        for hex in Self.smallOrder {
            let bytes = try #require(Hex.decode(hex))
            let point = try #require(EdwardsPoint(decoding: bytes), "\(hex)")
            #expect(point.hasSmallOrder, "\(hex)")
            #expect(point.encoded == bytes, "\(hex) round-trips")
            #expect(!Ed25519.isValidPublicKey(bytes), "\(hex)")
        }
    }

    @Test("a small-order public key is refused even where the equation holds for any message")
    func smallOrderKeyForgery() throws {
        // A = identity, R = identity, S = 0: [0]B = R + [k]A for every k, so every message "verifies".
        let identity = try #require(Hex.decode(Self.smallOrder[0]))
        let forged = identity + [UInt8](repeating: 0, count: 32)
        let equation = EdwardsPoint.baseMultiplied(bySecretScalar: [UInt8](repeating: 0, count: 32))
        #expect(equation.encoded == identity)
        #expect(!Ed25519.isValidSignature(forged, for: Array("pay 1000 EUR".utf8), publicKey: identity))
        // With R = A of small order and S = 0, the equation holds whenever k ≡ −1 modulo the order of A.
        for hex in Self.smallOrder {
            let a = try #require(Hex.decode(hex))
            #expect(!Ed25519.isValidSignature(a + [UInt8](repeating: 0, count: 32), for: [UInt8](), publicKey: a), "\(hex)")
        }
    }

    @Test("a small-order R is refused even where the equation holds")
    func smallOrderCommitment() throws {
        // With the secret scalar a, S = k·a makes [S]B = R + [k]A hold for R = identity.
        let digest = SHA512.hash(Self.seed)
        var scalar = Array(digest[0..<32])
        scalar[0] &= 248
        scalar[31] &= 127
        scalar[31] |= 64
        let key = Ed25519.ExpandedKey(seed: Self.seed)
        let message = Array("confirm".utf8)
        let zero = [UInt8](repeating: 0, count: 32)
        for hex in Self.smallOrder {
            let r = try #require(Hex.decode(hex))
            let k = Scalar.reduce(wide: SHA512.hash(r + key.publicKey + message))
            let s = Scalar.multiplyAdd(k, scalar, zero)
            let a = try #require(EdwardsPoint(decoding: key.publicKey))
            let rPoint = try #require(EdwardsPoint(decoding: r))
            // [S]B − [k]A = R + (a multiple of nothing): equal to R only for R = identity; for the
            // others it is the identity, so the byte comparison already fails — either way, refused.
            let holds = (EdwardsPoint.baseMultiplied(bySecretScalar: s) + a.negated.multiplied(byPublicScalar: k).cached).encoded == r
            #expect(holds == (hex == Self.smallOrder[0]), "\(hex)")
            #expect(rPoint.hasSmallOrder)
            #expect(!Ed25519.isValidSignature(r + s, for: message, publicKey: key.publicKey), "\(hex)")
        }
    }

    @Test("non-canonical encodings of A and R are refused")
    func nonCanonicalPoints() throws {
        let key = Ed25519.ExpandedKey(seed: Self.seed)
        let signature = key.signature(for: [UInt8]())
        for hex in Self.nonCanonical {
            let bytes = try #require(Hex.decode(hex))
            #expect(EdwardsPoint(decoding: bytes) == nil, "\(hex)")
            #expect(!Ed25519.isValidPublicKey(bytes), "\(hex)")
            #expect(!Ed25519.isValidSignature(bytes + Array(signature[32...]), for: [UInt8](), publicKey: key.publicKey), "\(hex)")
            #expect(!Ed25519.isValidSignature(signature, for: [UInt8](), publicKey: bytes), "\(hex)")
        }
        // A y below p that is not on the curve (y = 2) is refused too.
        #expect(EdwardsPoint(decoding: Hex.decode("0200000000000000000000000000000000000000000000000000000000000000")!) == nil)
    }

    @Test("wrong lengths are refused")
    func lengths() {
        let key = Ed25519.ExpandedKey(seed: Self.seed)
        let signature = key.signature(for: [UInt8]())
        #expect(!Ed25519.isValidSignature(signature + [0], for: [UInt8](), publicKey: key.publicKey))
        #expect(!Ed25519.isValidSignature(Array(signature.dropLast()), for: [UInt8](), publicKey: key.publicKey))
        #expect(!Ed25519.isValidSignature(signature, for: [UInt8](), publicKey: key.publicKey + [0]))
    }

    /// a + b for 32-byte little-endian numbers whose sum fits.
    static func add(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        var carry = 0
        for index in 0..<32 {
            let sum = Int(a[index]) + Int(b[index]) + carry
            result[index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        return result
    }
}
