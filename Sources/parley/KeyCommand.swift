import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `parley key …`: make Ed25519 signing keys, sign files and verify signatures from a shell.
///
/// Self-contained (its own small option parser), so scripts can rely on exactly these forms:
/// exit 0 on success (for `verify`: the signature is valid), 1 when a signature does not verify,
/// 64 with one line on standard error when the command line or its input is wrong.
enum KeyCommand {
    static let usage = """
        usage:
          parley key new                                         a new 32-byte seed (hex), from the system's secure random source
          parley key public --seed HEX                           the seed's public key (hex)
          parley key sign --seed HEX FILE                        the signature of FILE's bytes (base64url, no padding)
          parley key verify --public HEX --signature B64URL FILE exit 0 when the signature is valid, 1 when not

        HEX is 64 hex digits; FILE may be - for standard input. Exit status 64 means the command line
        or its input is wrong (an unreadable file, a malformed seed, key or signature, or a public key
        that Spec/SIGNATURES.md does not accept).
        """

    /// Runs the subcommand given the arguments after `key`; returns the process exit status.
    static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else { return fail("missing subcommand: new, public, sign or verify (see `parley key help`)") }
        do throws(KeyUsageError) {
            var options = try KeyOptions(Array(arguments.dropFirst()))
            switch command {
            case "new":
                try options.finish()
                write(SigningKey().seed.hexText + "\n", to: 1)
                return 0
            case "public":
                let key = try options.seed()
                try options.finish()
                write(key.publicKey.hex + "\n", to: 1)
                return 0
            case "sign":
                let key = try options.seed()
                let message = try options.file()
                try options.finish()
                write(key.signature(for: message).base64URL + "\n", to: 1)
                return 0
            case "verify":
                let text = try options.value("--public")
                guard let publicKey = PublicSigningKey(hex: text) else {
                    throw KeyUsageError(
                        "--public must be 64 hex digits encoding a valid Ed25519 public key (canonical, not of small order)")
                }
                let signatureText = try options.value("--signature")
                guard let signature = Signature(base64URL: signatureText) else {
                    throw KeyUsageError("--signature must be 64 bytes in base64url (86 characters without padding)")
                }
                let message = try options.file()
                try options.finish()
                if publicKey.isValidSignature(signature, for: message) {
                    write("valid\n", to: 1)
                    return 0
                }
                write("invalid\n", to: 1)
                return 1
            case "help", "--help", "-h":
                write(usage + "\n", to: 1)
                return 0
            default:
                throw KeyUsageError("unknown subcommand '\(command)': new, public, sign or verify (see `parley key help`)")
            }
        } catch {
            return fail(error.message)
        }
    }

    private static func fail(_ message: String) -> Int32 {
        write("parley key: \(message)\n", to: 2)
        return 64
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                    let written = Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                #else
                    let written = Darwin.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                #endif
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

/// A wrong command line or input for `parley key`: one line, exit status 64.
struct KeyUsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The options of `parley key`: `--seed`, `--public`, `--signature` (each once, `--name VALUE`
/// or `--name=VALUE`) and at most one positional FILE.
struct KeyOptions {
    private var values: [String: String] = [:]
    private var positionals: [String] = []
    private static let known: Set<String> = ["--seed", "--public", "--signature"]

    init(_ arguments: [String]) throws(KeyUsageError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--") {
                var name = argument
                var value: String
                if let equals = argument.firstIndex(of: "=") {
                    name = String(argument[..<equals])
                    value = String(argument[argument.index(after: equals)...])
                } else {
                    guard index + 1 < arguments.count else { throw KeyUsageError("\(argument) needs a value") }
                    index += 1
                    value = arguments[index]
                }
                guard KeyOptions.known.contains(name) else { throw KeyUsageError("unknown option \(name)") }
                guard values[name] == nil else { throw KeyUsageError("\(name) given more than once") }
                values[name] = value
            } else {
                positionals.append(argument)
            }
            index += 1
        }
    }

    /// The value of option `name`, which must be present; it is consumed.
    mutating func value(_ name: String) throws(KeyUsageError) -> String {
        guard let value = values.removeValue(forKey: name) else { throw KeyUsageError("missing \(name)") }
        return value
    }

    /// The signing key from `--seed HEX`.
    mutating func seed() throws(KeyUsageError) -> SigningKey {
        let text = try value("--seed")
        guard let key = SigningKey(seedHex: text) else { throw KeyUsageError("--seed must be 64 hex digits (a 32-byte seed)") }
        return key
    }

    /// The bytes of the positional FILE (`-` for standard input).
    mutating func file() throws(KeyUsageError) -> [UInt8] {
        guard !positionals.isEmpty else { throw KeyUsageError("missing FILE") }
        let path = positionals.removeFirst()
        guard let bytes = Console.readAll(path: path) else { throw KeyUsageError("cannot read '\(path)'") }
        return bytes
    }

    /// Fails on anything left over.
    func finish() throws(KeyUsageError) {
        if let unexpected = values.keys.sorted().first { throw KeyUsageError("option \(unexpected) does not apply here") }
        if let extra = positionals.first { throw KeyUsageError("unexpected argument '\(extra)'") }
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
