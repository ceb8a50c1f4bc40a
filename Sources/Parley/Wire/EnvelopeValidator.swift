/// Checks a JSON Lines stream of envelopes line by line, as `parley validate` does.
public struct EnvelopeValidator: Sendable {
    /// The codec used for each line.
    public var codec: WireCodec

    /// Creates a validator.
    public init(codec: WireCodec = WireCodec()) {
        self.codec = codec
    }

    /// One invalid line.
    public struct Failure: Hashable, Sendable {
        /// The 1-based line number.
        public var line: Int
        /// Why it is invalid.
        public var error: ParleyError
    }

    /// The outcome of validating a stream.
    public struct Report: Hashable, Sendable {
        /// How many lines decoded into envelopes.
        public var valid: Int
        /// The lines that did not, in order.
        public var failures: [Failure]
    }

    /// Validates every line of `bytes` (JSON Lines framing, `Spec/PROTOCOL.md` §4.6).
    public func validate(_ bytes: [UInt8]) -> Report {
        var report = Report(valid: 0, failures: [])
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            if end == bytes.count && start == bytes.count { break }
            lineNumber += 1
            var line = bytes[start..<end]
            // One CR is removed only before an LF; a final line without LF keeps it, as the transport does (§4.6).
            if end < bytes.count, line.last == 0x0D { line = line.dropLast() }
            if !line.isEmpty {
                do {
                    _ = try codec.decode(Array(line))
                    report.valid += 1
                } catch {
                    report.failures.append(Failure(line: lineNumber, error: error))
                }
            }
            start = end + 1
        }
        return report
    }
}
