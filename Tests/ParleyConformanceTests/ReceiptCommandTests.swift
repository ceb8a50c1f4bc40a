import Foundation
import Parley
import Testing

/// `parley receipt verify FILE [--public HEX]` as a script uses it, on the demo's receipt and on
/// every receipt of `Spec/vectors/signatures.json`.
@Suite("parley receipt")
struct ReceiptCommandTests {
    static let salonKey = "88773b4b5e3e639c87828c886c866a383cf41975bc307573cf8f2fdc4399c127"
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-receipt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("the demo's booking receipt verifies, with its own key and with the salon's; tampered, it does not")
    func demoReceipt() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("receipt.json").path
        let demo = try #require(try KeyCommandTests.parley(["demo", "haircut", "--receipt", file]))
        #expect(demo.status == 0, "\(demo.error)")
        #expect(demo.output.contains("Booking receipt: signed by salon.example/bot with key "))
        #expect(demo.output.contains("; the signature verifies."))

        let own = try #require(try KeyCommandTests.parley(["receipt", "verify", file]))
        #expect(own.status == 0, "\(own.output)\(own.error)")
        #expect(own.output.hasPrefix("valid booking receipt: booked B-"))
        #expect(own.output.contains("key taken from the receipt"))
        let trusted = try #require(try KeyCommandTests.parley(["receipt", "verify", file, "--public", Self.salonKey]))
        #expect(trusted.status == 0 && !trusted.output.contains("key taken from the receipt"))

        let stranger = try #require(SigningKey(seed: Array("parley conformance: stranger key".utf8))?.publicKey.hex)
        let other = try #require(try KeyCommandTests.parley(["receipt", "verify", file, "--public", stranger]))
        #expect(other.status == 1 && other.output.hasPrefix("invalid: confirm-unknown-key"))

        let text = try String(contentsOfFile: file, encoding: .utf8)
        let cheaper = text.replacingOccurrences(of: #""amount":4500"#, with: #""amount":450"#)
        #expect(cheaper != text)
        let tampered = try #require(try KeyCommandTests.parley(["receipt", "verify", "-"], input: Array(cheaper.utf8)))
        #expect(tampered.status == 1 && tampered.output.hasPrefix("invalid: confirm-bad-signature"), "\(tampered.output)")
        let garbage = try #require(try KeyCommandTests.parley(["receipt", "verify", "-"], input: Array("{\"statement\":1".utf8)))
        #expect(garbage.status == 1 && garbage.output.hasPrefix("invalid: not a receipt"))
    }

    @Test("usage mistakes exit 64, an unreadable file 66, --help 0")
    func exitStatuses() throws {
        let help = try #require(try KeyCommandTests.parley(["receipt", "verify", "--help"]))
        #expect(help.status == 0 && help.output.hasPrefix("usage: parley receipt verify FILE [--public HEX]"))
        let top = try #require(try KeyCommandTests.parley(["receipt", "--help"]))
        #expect(top.status == 0 && top.output.hasPrefix("usage: parley receipt verify FILE [--public HEX]"))
        for arguments in [
            ["receipt"], ["receipt", "sign"], ["receipt", "verify"], ["receipt", "verify", "a", "b"],
            ["receipt", "verify", "x.json", "--public", "zz"], ["receipt", "verify", "x.json", "--loud"],
        ] {
            let run = try #require(try KeyCommandTests.parley(arguments))
            #expect(run.status == 64, "\(arguments)")
            #expect(run.error.split(separator: "\n").count == 1, "\(arguments): \(run.error)")
        }
        let missing = try #require(try KeyCommandTests.parley(["receipt", "verify", "/nonexistent/receipt.json"]))
        #expect(missing.status == 66)
    }

    @Test("every receipt of Spec/vectors/signatures.json: exit 0 exactly when it is expected valid")
    func vectorReceipts() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Spec/vectors/signatures.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(object["verify"] as? [[String: Any]])
        #expect(cases.count >= 20)
        for vector in cases {
            let receipt = try JSONSerialization.data(withJSONObject: try #require(vector["receipt"]))
            let key = try #require(vector["publicKey"] as? String)
            let expect = try #require(vector["expect"] as? String)
            let run = try #require(try KeyCommandTests.parley(["receipt", "verify", "-", "--public", key], input: Array(receipt)))
            #expect(run.status == (expect == "valid" ? 0 : 1), "\(vector["name"] ?? "")")
            if expect != "valid" { #expect(run.output.hasPrefix("invalid: \(expect)"), "\(vector["name"] ?? ""): \(run.output)") }
        }
    }
}
