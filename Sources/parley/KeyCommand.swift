import Parley

/// `parley key …`: make Ed25519 signing keys, sign files and verify signatures from a shell.
///
/// Scripts can rely on these forms: exit 0 on success (for `verify`: the signature is valid), 1
/// when a signature does not verify, 64 with one line on standard error when the command line is
/// wrong (including a malformed seed, key or signature), 66 when FILE cannot be read.
enum KeyCommand {
    static let newUsage = "usage: parley key new"
    static let publicUsage = "usage: parley key public --seed HEX"
    static let signUsage = "usage: parley key sign --seed HEX FILE"
    static let verifyUsage = "usage: parley key verify --public HEX --signature B64URL FILE"
    static let notes = """
        HEX is 64 hex digits; FILE may be - for standard input. Exit status 64 means the command line
        is wrong (a malformed seed, key or signature, or a public key that Spec/SIGNATURES.md does not
        accept), 66 that FILE cannot be read.
        """

    static let usage = """
        usage: parley key new|public|sign|verify … (each answers --help)

          parley key new                                         a new 32-byte seed (hex), from the system's secure random source
          parley key public --seed HEX                           the seed's public key (hex)
          parley key sign --seed HEX FILE                        the signature of FILE's bytes (base64url, no padding)
          parley key verify --public HEX --signature B64URL FILE exit 0 when the signature is valid, 1 when not

        \(notes)
        """

    static let new = CommandSpec(
        name: "parley key new", usage: newUsage + "\n\nPrints a new 32-byte Ed25519 seed (hex) from the system's secure random source.")
    static let publicKey = CommandSpec(
        name: "parley key public", usage: publicUsage + "\n\nPrints the public key (hex) of the seed.\n\n" + notes,
        options: ["--seed"])
    static let sign = CommandSpec(
        name: "parley key sign", usage: signUsage + "\n\nPrints the Ed25519 signature of FILE's bytes (base64url).\n\n" + notes,
        options: ["--seed"], positionals: 1...1)
    static let verify = CommandSpec(
        name: "parley key verify",
        usage: verifyUsage + "\n\nChecks the signature of FILE's bytes: prints valid (exit 0) or invalid (exit 1).\n\n" + notes,
        options: ["--public", "--signature"], positionals: 1...1)

    /// Runs the subcommand given the arguments after `key`; returns the process exit status.
    static func run(_ arguments: [String]) throws -> Int32 {
        let rest = Array(arguments.dropFirst())
        switch arguments.first {
        case "new":
            _ = try Options(rest, for: new)
            Console.output(SigningKey().seed.hexText)
        case "public":
            let options = try Options(rest, for: publicKey)
            Console.output(try seed(options).publicKey.hex)
        case "sign":
            let options = try Options(rest, for: sign)
            let key = try seed(options)
            guard let message = file(options) else { return ExitStatus.noInput }
            Console.output(key.signature(for: message).base64URL)
        case "verify":
            let options = try Options(rest, for: verify)
            let key = try options.required("--public") { PublicSigningKey(hex: $0) }
            let signature = try options.required("--signature") { Signature(base64URL: $0) }
            guard let message = file(options) else { return ExitStatus.noInput }
            guard key.isValidSignature(signature, for: message) else {
                Console.output("invalid")
                return ExitStatus.failure
            }
            Console.output("valid")
        case "help", "--help", "-h":
            Console.output(usage)
        case nil: throw CommandLineExit.usage(command: "parley key", message: "missing subcommand: new, public, sign or verify")
        case let other?: throw CommandLineExit.usage(command: "parley key", message: "unknown subcommand '\(other)'")
        }
        return ExitStatus.success
    }

    /// The signing key from `--seed HEX`.
    private static func seed(_ options: Options) throws(CommandLineExit) -> SigningKey {
        let text = try options.required("--seed")
        guard let key = SigningKey(seedHex: text) else { throw options.mistake("--seed must be 64 hex digits (a 32-byte seed)") }
        return key
    }

    /// The bytes of the positional FILE (`-` for standard input); `nil`, reported, when it cannot be read.
    private static func file(_ options: Options) -> [UInt8]? {
        let path = options.positional[0]
        guard let bytes = Console.readAll(path: path) else {
            Console.error("\(options.command.name): cannot read '\(path)'")
            return nil
        }
        return bytes
    }
}

extension [UInt8] {
    /// Lowercase hexadecimal, two digits per byte.
    fileprivate var hexText: String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(count * 2)
        for byte in self {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 15)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
