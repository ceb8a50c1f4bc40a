import Testing

@testable import ParleyCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Project Wycheproof's `ed25519_test.json` (Apache-2.0), used as it is from
/// `../shared/vectors/wycheproof/` beside the repository root. A missing file fails the test.
///
/// Every `valid` case must verify and every `invalid` case must not; `acceptable` cases (the
/// file has none today) must follow the rule of Spec/SIGNATURES.md, which the test restates.
@Suite("Wycheproof Ed25519 vectors")
struct WycheproofEd25519Tests {
    struct File: Decodable {
        struct Group: Decodable {
            struct Key: Decodable { var pk: String }
            var publicKey: Key
            var tests: [Case]
        }
        struct Case: Decodable {
            var tcId: Int
            var comment: String
            var msg: String
            var sig: String
            var result: String
            var flags: [String]
        }
        var numberOfTests: Int
        var testGroups: [Group]
    }

    static var path: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/vectors/wycheproof/ed25519_test.json").standardizedFileURL
    }

    @Test("every valid case verifies, every invalid case is rejected")
    func vectors() throws {
        let data = try Data(contentsOf: Self.path)
        let file = try JSONDecoder().decode(File.self, from: data)
        var counts: [String: Int] = [:]
        for group in file.testGroups {
            let publicKey = try #require(Hex.decode(group.publicKey.pk))
            for vector in group.tests {
                counts[vector.result, default: 0] += 1
                let message = try #require(Hex.decode(vector.msg))
                let signature = try #require(Hex.decode(vector.sig))
                let accepted = Ed25519.isValidSignature(signature, for: message, publicKey: publicKey)
                switch vector.result {
                case "valid": #expect(accepted, "tcId \(vector.tcId): \(vector.comment)")
                case "invalid": #expect(!accepted, "tcId \(vector.tcId): \(vector.comment)")
                case "acceptable": #expect(accepted == Self.acceptedByOurRule(signature, message, publicKey), "tcId \(vector.tcId)")
                default: Issue.record("tcId \(vector.tcId): unknown result \(vector.result)")
                }
            }
        }
        #expect(counts.values.reduce(0, +) == file.numberOfTests)
        #expect(file.numberOfTests == 151)
    }

    /// The rule of Spec/SIGNATURES.md §3, step by step, for `acceptable` cases.
    static func acceptedByOurRule(_ signature: [UInt8], _ message: [UInt8], _ publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, Scalar.isCanonical(Array(signature[32...])) else { return false }
        guard let a = EdwardsPoint(decoding: publicKey), !a.hasSmallOrder else { return false }
        guard let r = EdwardsPoint(decoding: Array(signature[..<32])), !r.hasSmallOrder else { return false }
        return Ed25519.isValidSignature(signature, for: message, publicKey: publicKey)
    }
}
