import Testing

@testable import ParleyCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Cross-checks Ed25519 and SHA-512 with Python's `cryptography` package, both ways.
///
/// Runs only when `PARLEY_ED25519_CROSSCHECK` names a file written by
/// `Tests/interop/ed25519_crosscheck.py generate` (`.ci/crypto-checks.sh` does this). Python's
/// keys and signatures are checked here; then Swift makes as many keys and messages of its own
/// (seeded from the file's seed, printed) and writes its signatures to
/// `PARLEY_ED25519_CROSSCHECK_OUT`, for `ed25519_crosscheck.py verify` to check in Python.
@Suite("Cross-check Ed25519 against Python cryptography")
struct Ed25519InteropTests {
    struct Case: Codable {
        var seed, message, publicKey, signature: String
        var sha512: String?
    }
    struct File: Codable {
        var seed: UInt64
        var count: Int
        var cases: [Case]
    }

    static let path = ProcessInfo.processInfo.environment["PARLEY_ED25519_CROSSCHECK"]

    @Test(
        "Python's keys and signatures agree with ours, and ours are written for Python",
        .enabled(if: path != nil, "set PARLEY_ED25519_CROSSCHECK to an ed25519_crosscheck.py file"))
    func agree() throws {
        let path = try #require(Self.path)
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(file.cases.count == file.count && file.count > 0)
        var mismatches = 0
        for (index, vector) in file.cases.enumerated() {
            let seed = try #require(Hex.decode(vector.seed))
            let message = try #require(Hex.decode(vector.message))
            let signature = try #require(Hex.decode(vector.signature))
            let key = Ed25519.ExpandedKey(seed: seed)
            let ok =
                Hex.encode(key.publicKey) == vector.publicKey && Hex.encode(key.signature(for: message)) == vector.signature
                && Ed25519.isValidSignature(signature, for: message, publicKey: key.publicKey)
                && Hex.encode(SHA512.hash(message)) == vector.sha512
            if !ok {
                mismatches += 1
                Issue.record("Python seed \(file.seed), case \(index): seed \(vector.seed), message length \(message.count)")
                if mismatches >= 10 { break }
            }
        }

        // The other way: Swift's own keys and messages, for Python to verify.
        guard let out = ProcessInfo.processInfo.environment["PARLEY_ED25519_CROSSCHECK_OUT"] else { return }
        let swiftSeed = file.seed &+ 1
        var random = Ed25519InteropTests.Generator(state: swiftSeed)
        var cases: [Case] = []
        cases.reserveCapacity(file.count)
        for _ in 0..<file.count {
            let seed = (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let message = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let key = Ed25519.ExpandedKey(seed: seed)
            cases.append(
                Case(
                    seed: Hex.encode(seed), message: Hex.encode(message), publicKey: Hex.encode(key.publicKey),
                    signature: Hex.encode(key.signature(for: message))))
        }
        try JSONEncoder().encode(File(seed: swiftSeed, count: cases.count, cases: cases)).write(to: URL(fileURLWithPath: out))
        print("swift: \(cases.count) keys, messages and signatures written (seed \(swiftSeed))")
    }

    /// SplitMix64.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
