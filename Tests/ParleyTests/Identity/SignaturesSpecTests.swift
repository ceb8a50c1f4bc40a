import Foundation
import Testing

/// `Spec/SIGNATURES.md` §5 names the tests and checks that prove each rule: they must exist.
@Suite("Spec/SIGNATURES.md names tests that exist")
struct SignaturesSpecTests {
    /// Whether `reference` exists: a script path (`.ci/…`, `Tests/…`) as a file, anything else as
    /// `SecurityModelTests` resolves it (`Suite.function`); `nil` when it names neither.
    static func exists(_ reference: String) -> Bool? {
        if reference.hasPrefix(".ci/") || reference.hasPrefix("Tests/") {
            return FileManager.default.fileExists(atPath: Repository.root.appendingPathComponent(reference).path)
        }
        return SecurityModelTests.exists(reference)
    }

    @Test("every test and check in the proved-by table exists")
    func everyReferenceExists() throws {
        let text = try Repository.text("Spec/SIGNATURES.md")
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasSuffix("| proved by |") }
        #expect(rows.count >= 8)
        var checked = 0
        for row in rows {
            let proof = String(row.split(separator: "|").last ?? "")
            let references = SecurityModel.codeSpans(proof).filter { Self.exists($0) != nil }
            #expect(!references.isEmpty, "no test named in: \(row)")
            for reference in references {
                checked += 1
                #expect(Self.exists(reference) == true, "`\(reference)` does not exist")
            }
        }
        #expect(checked >= 12)
    }
}
