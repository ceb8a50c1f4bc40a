import Foundation
import Parley
import Testing

/// `parley key …` as a script uses it: the built binary, its output and its exit status.
@Suite("parley key")
struct KeyCommandTests {
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs the built `parley` with `arguments`, feeding `input` on standard input.
    static func parley(_ arguments: [String], input: [UInt8] = []) throws -> Run? {
        guard let path = Binaries.path("parley") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            error: String(decoding: error, as: UTF8.self))
    }

    /// RFC 8032 §7.1 TEST 2: a one-byte message 0x72.
    static let seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
    static let publicKey = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
    static let signature = "kqAJqfDUyrhyDoILX2QlQKKye1QWUD-Ps3YiI-vbadoIWsHkPhWZbkWPNhPQ8R2MOHsurrQwKu6wDSkWErsMAA"

    @Test("public and sign reproduce RFC 8032 TEST 2; verify accepts it and rejects a changed message")
    func rfcVector() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("message").path
        try Data([0x72]).write(to: URL(fileURLWithPath: file))

        let pub = try #require(try Self.parley(["key", "public", "--seed", Self.seed]))
        #expect(pub.status == 0 && pub.output == Self.publicKey + "\n")
        let sign = try #require(try Self.parley(["key", "sign", "--seed", Self.seed, file]))
        #expect(sign.status == 0 && sign.output == Self.signature + "\n")
        #expect(Signature(base64URL: Self.signature)?.hex.hasPrefix("92a009a9f0d4cab8") == true)
        let fromStandardInput = try #require(try Self.parley(["key", "sign", "--seed", Self.seed, "-"], input: [0x72]))
        #expect(fromStandardInput.output == Self.signature + "\n")

        let valid = try #require(try Self.parley(["key", "verify", "--public", Self.publicKey, "--signature", Self.signature, file]))
        #expect(valid.status == 0, "\(valid.error)")
        let invalid = try #require(
            try Self.parley(["key", "verify", "--public", Self.publicKey, "--signature", Self.signature, "-"], input: [0x73]))
        #expect(invalid.status == 1)
    }

    @Test("new prints a fresh 32-byte seed that works with the other subcommands")
    func newSeed() throws {
        let first = try #require(try Self.parley(["key", "new"]))
        let second = try #require(try Self.parley(["key", "new"]))
        #expect(first.status == 0 && second.status == 0)
        let seed = first.output.trimmingCharacters(in: .newlines)
        #expect(seed.count == 64 && seed.allSatisfy(\.isHexDigit) && seed == seed.lowercased())
        #expect(seed != second.output.trimmingCharacters(in: .newlines))
        let publicKey = try #require(try Self.parley(["key", "public", "--seed", seed])).output.trimmingCharacters(in: .newlines)
        let signature = try #require(try Self.parley(["key", "sign", "--seed", seed, "-"], input: Array("hello".utf8)))
            .output.trimmingCharacters(in: .newlines)
        let verify = try #require(
            try Self.parley(["key", "verify", "--public", publicKey, "--signature", signature, "-"], input: Array("hello".utf8)))
        #expect(verify.status == 0)
    }

    /// Bad command lines and inputs: exit 64 with exactly one line on standard error, nothing on standard output.
    static let badInputs: [[String]] = [
        ["key"],
        ["key", "frobnicate"],
        ["key", "new", "extra"],
        ["key", "public"],
        ["key", "public", "--seed"],
        ["key", "public", "--seed", "abc"],
        ["key", "public", "--seed", String(repeating: "zz", count: 32)],
        ["key", "public", "--seed", String(repeating: "00", count: 31)],
        ["key", "public", "--seed", seed, "--seed", seed],
        ["key", "public", "--seed", seed, "--colour", "red"],
        ["key", "sign", "--seed", seed],
        ["key", "sign", "--seed", seed, "--public", publicKey, "-"],
        ["key", "verify", "--signature", signature, "-"],
        ["key", "verify", "--public", publicKey, "-"],
        ["key", "verify", "--public", "00", "--signature", signature, "-"],
        // The identity point (y = 1): a small-order key that the verification rule refuses.
        ["key", "verify", "--public", "01" + String(repeating: "00", count: 31), "--signature", signature, "-"],
        ["key", "verify", "--public", publicKey, "--signature", "not base64url!", "-"],
        ["key", "verify", "--public", publicKey, "--signature", String(signature.dropLast(2)), "-"],
    ]

    @Test("bad input: one line on standard error, exit 64", arguments: badInputs)
    func badInput(_ arguments: [String]) throws {
        let run = try #require(try Self.parley(arguments, input: [0x72]))
        #expect(run.status == 64, "\(arguments)")
        #expect(run.output.isEmpty, "\(arguments)")
        #expect(run.error.hasPrefix("parley key") && run.error.filter { $0 == "\n" }.count == 1, "\(arguments): \(run.error)")
    }

    @Test("an unreadable FILE: one line on standard error, exit 66")
    func unreadableFile() throws {
        let run = try #require(try Self.parley(["key", "sign", "--seed", Self.seed, "/nonexistent/parley-message"]))
        #expect(run.status == 66)
        #expect(run.output.isEmpty)
        #expect(run.error == "parley key sign: cannot read '/nonexistent/parley-message'\n", "\(run.error)")
    }

    @Test("help prints the usage and exits 0")
    func help() throws {
        let run = try #require(try Self.parley(["key", "help"]))
        #expect(run.status == 0 && run.output.contains("parley key verify --public HEX --signature B64URL FILE"))
    }
}
