import Testing

@testable import ParleyCrypto

@Suite("SHA-512 (FIPS 180-4)")
struct SHA512Tests {
    /// FIPS 180-4 / NIST CSVP examples: message, expected digest.
    static let examples: [(String, String)] = [
        (
            "",
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        ),
        (
            "abc",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        ),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
        ),
    ]

    @Test("FIPS 180-4 examples", arguments: examples)
    func example(message: String, digest: String) {
        #expect(Hex.encode(SHA512.hash(Array(message.utf8))) == digest)
    }

    @Test("one million 'a', fed in uneven pieces")
    func millionA() {
        var hasher = SHA512()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 997)
        var remaining = 1_000_000
        while remaining > 0 {
            let count = min(remaining, piece.count)
            hasher.update(piece[0..<count])
            remaining -= count
        }
        #expect(
            Hex.encode(hasher.finalize())
                == "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
        )
    }

    @Test("incremental equals one-shot at every split point", arguments: [0, 1, 111, 112, 127, 128, 129, 239, 240, 255, 256, 300])
    func incremental(length: Int) {
        let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA512.hash(message)
        for split in 0...length {
            var hasher = SHA512()
            hasher.update(message[0..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == whole, "split at \(split)")
        }
    }

    @Test("a non-contiguous sequence hashes like its bytes")
    func sequence() {
        let bytes = (0..<300).lazy.map { UInt8(truncatingIfNeeded: $0) }
        #expect(SHA512.hash(bytes) == SHA512.hash(Array(bytes)))
    }
}
