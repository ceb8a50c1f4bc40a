import Testing

@testable import ParleyCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Compares SHA-256 and HMAC-SHA256 with Python's hashlib/hmac on seeded random inputs.
///
/// Runs only when `PARLEY_HASH_CROSSCHECK` names a file written by `Tests/interop/hash_crosscheck.py`
/// (`.ci/consent-checks.sh` does this); the seed is in the file and in every failure message.
@Suite("Cross-check against Python hashlib/hmac")
struct CrossCheckTests {
    struct File: Decodable {
        struct Case: Decodable {
            var message, key, sha256, hmac: String
        }
        var seed: UInt64
        var cases: [Case]
    }

    static let path = ProcessInfo.processInfo.environment["PARLEY_HASH_CROSSCHECK"]

    @Test("seeded random inputs agree", .enabled(if: path != nil, "set PARLEY_HASH_CROSSCHECK to a hash_crosscheck.py file"))
    func agree() throws {
        let path = try #require(Self.path)
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(file.cases.count > 300)
        for (index, vector) in file.cases.enumerated() {
            let message = try #require(Hex.decode(vector.message))
            let key = try #require(Hex.decode(vector.key))
            #expect(Hex.encode(SHA256.hash(message)) == vector.sha256, "seed \(file.seed) case \(index) length \(message.count)")
            #expect(
                Hex.encode(HMACSHA256.authenticationCode(for: message, key: key)) == vector.hmac,
                "seed \(file.seed) case \(index) length \(message.count) key length \(key.count)")
        }
    }
}
