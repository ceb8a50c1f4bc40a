import Foundation
import Testing

@testable import Parley

/// Compares ``CanonicalJSON`` with the Python `rfc8785` package on seeded random doubles and
/// documents. Runs only when `PARLEY_CANONICAL_CROSSCHECK` names a file written by
/// `Tests/interop/canonical_crosscheck.py` (`.ci/wire-checks.sh` does both).
@Suite("Wire: RFC 8785 cross-check against Python rfc8785")
struct WireCanonicalCrossCheck {
    static let path = getenvString("PARLEY_CANONICAL_CROSSCHECK")
    /// The case file's lines and documents may be larger than an envelope.
    static let limits = WireLimits(maximumBytes: 1 << 26, maximumDepth: 64)

    @Test("Every case canonicalises exactly as rfc8785 does", .enabled(if: path != nil))
    func crossCheck() throws {
        let path = try #require(Self.path)
        let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
        var checked = 0, failures = 0
        for (index, line) in data.split(separator: 0x0A).enumerated() {
            guard case .object(let members) = try JSONParser.parse(Array(line), limits: Self.limits),
                case .string(let expected)? = members["canonical"]
            else {
                Issue.record("line \(index + 1): not a case")
                continue
            }
            let actual: String
            let label: String
            if case .string(let bits)? = members["bits"], let pattern = UInt64(bits, radix: 16) {
                label = "double 0x\(bits)"
                actual = CanonicalJSON.canonicalText(.number(Double(bitPattern: pattern)))
            } else if case .string(let input)? = members["input"] {
                label = "document \(input)"
                actual = CanonicalJSON.canonicalText(try JSONParser.parse(Array(input.utf8), limits: Self.limits))
            } else {
                Issue.record("line \(index + 1): neither bits nor input")
                continue
            }
            checked += 1
            if actual != expected {
                failures += 1
                if failures <= 20 { Issue.record("line \(index + 1), \(label): Swift \(actual), rfc8785 \(expected)") }
            }
        }
        #expect(failures == 0, "\(failures) of \(checked) cases differ")
        #expect(checked > 0)
        print("canonical cross-check: \(checked) cases, \(failures) differences")
    }
}
