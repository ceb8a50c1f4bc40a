import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Output helpers for the command-line tool: results to standard output, diagnostics to standard error.
enum Console {
    /// Writes `text` and a newline to standard output, unbuffered (for results scripts read).
    static func output(_ text: String) {
        write(fd: 1, text + "\n")
    }

    /// Writes `text` and a newline to standard error.
    static func error(_ text: String) {
        write(fd: 2, text + "\n")
    }

    /// Writes `text` to a file descriptor, all of it.
    static func write(fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                #if canImport(Glibc)
                    Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    Darwin.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
            }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Reads a whole file, or standard input for `-`; `nil` when it cannot be read.
    static func readAll(path: String) -> [UInt8]? {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { if fd != 0 { close(fd) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// Writes `bytes` to the file at `path`, replacing it; whether it worked.
    static func writeFile(path: String, bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                #if canImport(Glibc)
                    Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset)
                #else
                    Darwin.write(fd, $0.baseAddress! + offset, $0.count - offset)
                #endif
            }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}

/// The top-level usage (`parley --help`) and version (`parley --version`).
enum Usage {
    /// The version of this package; it matches the release tag.
    static let packageVersion = "0.1.0"

    /// `parley --version`: the package version and the protocol versions it speaks.
    static var version: String {
        "parley \(packageVersion) (protocol version \(ParleyProtocol.supportedVersions.map(String.init).joined(separator: ", ")))"
    }

    static let text = """
        usage: parley <command> [options]
               parley <command> --help      the command's own usage
               parley --version             the package and protocol versions

        commands:
          demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE] [--receipt FILE]
                                   play a reference scenario between two agents and print the dialogue
          serve --role company|customer --scenario NAME [--now TIME]
                                   run a scenario agent on stdin/stdout (JSON Lines envelopes)
          simulate [--sessions N] [--seed S] [--drop P] [--duplicate P] [--reorder P] [--corrupt P]
                                   many sessions over a faulty network, deterministically; prints a summary
          validate FILE|-          check a JSON Lines file of envelopes; exits 1 if any line is invalid
          spec-table [transitions|errors]
                                   print the transition table and error codes as Spec/PROTOCOL.md has them
          token mint|attenuate|inspect|verify …
                                   create, narrow, show and check consent tokens (see `parley token --help`)
          key new|public|sign|verify …
                                   Ed25519 keys: a new seed, its public key, sign and verify files (see `parley key --help`)
          receipt verify FILE [--public HEX]
                                   check a booking receipt or a signed consent receipt offline
          conformance --peer "COMMAND" | --url URL --role company|customer [--case ID] [--json FILE]
                                   run the conformance suite against a program or an HTTP company;
                                   exits 1 if any case fails
          discover URL|HOST        fetch and check a company's HTTP discovery document (Spec/HTTP.md)
          book URL|HOST --service NAME --window … [--share FIELD=VALUE …]
                                   book over HTTP as a person's assistant

        exit status:
          0   success
          1   the command ran and the answer is no: an invalid envelope, a failed conformance case, a
              token that does not allow the use, a simulation with violations, a failed negotiation
          64  the command line is wrong: unknown command or option, missing or malformed value
          66  an input file cannot be read
          69  a service cannot be reached or answered wrongly (an HTTP company's discovery)
          73  an output file cannot be written

        Progress of long runs (conformance, simulate) goes to standard error when it is a terminal.
        """
}
