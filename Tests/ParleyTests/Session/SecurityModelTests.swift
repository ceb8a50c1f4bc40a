import Foundation
import Testing

@testable import Parley

/// Reads the "proved by" column of every table in `Spec/SECURITY.md`.
enum SecurityModel {
    struct Row {
        let table: String
        let threat: String
        let proof: String
    }

    static func rows() throws -> [Row] {
        let text = try Repository.text("Spec/SECURITY.md")
        var rows: [Row] = []
        var heading = ""
        var provedBy = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") { heading = String(line) }
            guard line.hasPrefix("|") else {
                provedBy = false
                continue
            }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let last = cells.last, let first = cells.first else { continue }
            if last == "proved by" {
                provedBy = true
                continue
            }
            if provedBy, !first.hasPrefix("---") { rows.append(Row(table: heading, threat: first, proof: last)) }
        }
        return rows
    }

    /// The backticked names in `text`.
    static func codeSpans(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }
}

@Suite("Spec/SECURITY.md maps every threat to tests that exist")
struct SecurityModelTests {
    /// Every Swift test source, by path.
    static let testSources: [(path: String, text: String)] = {
        let root = Repository.root.appendingPathComponent("Tests")
        let paths = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return paths.filter { $0.hasSuffix(".swift") }.sorted().compactMap { path in
            (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)).map { ("Tests/" + path, $0) }
        }
    }()

    static let conformanceSources: String = {
        let root = Repository.root.appendingPathComponent("Sources/ParleyConformance")
        let paths = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return paths.filter { $0.hasSuffix(".swift") }.compactMap {
            try? String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)
        }
        .joined()
    }()

    static let caseGroups = ["framing", "content", "flow", "consent", "privacy", "idempotency", "errors", "expiry", "table"]

    /// Whether `reference` names something that exists: `Suite.function` in Tests, a conformance case id, or a file.
    static func exists(_ reference: String) -> Bool? {
        let parts = reference.split(separator: ".")
        if parts.count == 2, caseGroups.contains(String(parts[0])) {
            return conformanceSources.contains("\"\(reference)\"")
        }
        if parts.count == 2, parts[0].first?.isUppercase == true, parts[1].first?.isLowercase == true {
            let (suite, function) = (parts[0], parts[1])
            return testSources.contains { source in
                source.text.contains("struct \(suite) ") && source.text.contains("func \(function)(")
            }
        }
        if reference.hasPrefix(".ci/") || reference.hasPrefix("Tests/") {
            return FileManager.default.fileExists(atPath: Repository.root.appendingPathComponent(reference).path)
        }
        return nil
    }

    @Test("Every row of every threat and limit table is proved by at least one test, case or check")
    func everyRowHasAProof() throws {
        let rows = try SecurityModel.rows()
        #expect(rows.count >= 30, "rows read: \(rows.count)")
        for row in rows {
            let references = SecurityModel.codeSpans(row.proof).filter { Self.exists($0) != nil }
            let outOfScope = row.proof.contains("out of scope")
            #expect(!references.isEmpty || outOfScope, "\(row.table) — \(row.threat): no test named")
        }
    }

    @Test("Every test, conformance case and check named in SECURITY.md exists")
    func everyReferenceExists() throws {
        var checked = 0
        for row in try SecurityModel.rows() {
            for reference in SecurityModel.codeSpans(row.proof) {
                guard let found = Self.exists(reference) else { continue }
                checked += 1
                #expect(found, "\(row.table) — \(row.threat): `\(reference)` does not exist")
            }
        }
        #expect(checked >= 60, "references checked: \(checked)")
    }
}
