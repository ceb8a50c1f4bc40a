#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output helpers for the command-line tool: results to standard output, diagnostics to standard error.
enum Console {
    /// Writes `text` and a newline to standard error.
    static func error(_ text: String) {
        var line = text
        line.append("\n")
        _ = line.withCString { fputs($0, stderr) }
    }

    /// Reads a whole file, or standard input for `-`; `nil` when it cannot be read.
    static func readAll(path: String) -> [UInt8]? {
        let file: UnsafeMutablePointer<FILE>?
        if path == "-" {
            file = stdin
        } else {
            file = fopen(path, "rb")
        }
        guard let file else { return nil }
        defer { if path != "-" { fclose(file) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count { break }
        }
        return bytes
    }
}

enum Usage {
    static let text = """
        usage: parley <command> [options]

        commands:
          validate FILE|-          check a JSON Lines file of envelopes; exits 1 if any line is invalid
          spec-table [transitions|errors]
                                   print the transition table and error codes as Spec/PROTOCOL.md has them
          token mint|attenuate|inspect|verify …
                                   create, narrow, show and check consent tokens (see `parley token help`)
        """
}
