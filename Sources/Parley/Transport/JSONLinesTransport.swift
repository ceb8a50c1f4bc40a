/// A ``Transport`` over a byte stream, one envelope per line (JSON Lines, `Spec/PROTOCOL.md` §4.6):
/// the stdio transport when the stream is a process's standard input and output.
///
/// Sending writes the envelope's canonical bytes and a line feed. Receiving splits the input
/// into lines (one CR before the LF removed, empty lines skipped, bytes after the last LF at
/// the end of the stream a final line) and decodes each; a line that does not decode becomes an
/// ``TransportEvent/undecodable(_:session:from:sequence:)`` event carrying the `session`, `from`
/// and `seq` members when the line is a JSON object that has them, and the stream goes on. A line
/// longer than the codec's ``WireLimits/maximumBytes`` becomes one `too-large` event when it ends,
/// naming its top-level `session` and `from` wherever they stand in it; at most that many bytes of
/// it are ever buffered, and reading resumes after its line feed.
///
/// **Backpressure.** Input is read only as fast as ``inbound`` is consumed, and ``send(_:)``
/// returns only once the byte stream has accepted the whole line, so a slow peer slows the sender.
///
/// **Shutdown.** ``close()`` closes the byte stream: later sends throw
/// ``ParleyError/Code/sessionClosed``, and ``inbound`` delivers the lines already read, then
/// finishes. ``inbound`` also finishes at the end of the input, and when the task iterating it is
/// cancelled.
public struct JSONLinesTransport: EncodedTransport {
    private let stream: any ByteStream
    private let codec: WireCodec
    private let isClosed = TransportLock(false)

    /// Everything read from the stream, in order. Iterate it from one task only.
    public let inbound: AsyncStream<TransportEvent>

    /// Creates a transport that reads and writes envelopes on `stream`, decoding with `codec`.
    public init(stream: any ByteStream, codec: WireCodec = WireCodec()) {
        self.stream = stream
        self.codec = codec
        let reader = JSONLinesReader(stream: stream, codec: codec, isClosed: isClosed)
        self.inbound = AsyncStream(unfolding: { await reader.next() })
    }

    /// Writes `envelope`'s canonical bytes and a line feed.
    ///
    /// Throws ``ParleyError/Code/sessionClosed`` once the transport is closed or when the byte
    /// stream fails (the other side has gone away).
    public func send(_ envelope: Envelope) async throws(ParleyError) {
        try await write(codec.encodeLine(envelope))
    }

    /// Writes `bytes` and a line feed, as they are.
    public func send(encoded bytes: [UInt8]) async throws(ParleyError) {
        var line = bytes
        line.append(0x0A)
        try await write(line)
    }

    /// Closes the byte stream; see the type's discussion.
    public func close() async {
        isClosed.withLock { $0 = true }
        await stream.close()
    }

    private func write(_ line: [UInt8]) async throws(ParleyError) {
        guard !isClosed.withLock({ $0 }) else {
            throw ParleyError(.sessionClosed, "the transport is closed", fault: .local)
        }
        do {
            try await stream.write(line)
        } catch {
            throw ParleyError(.sessionClosed, "the byte stream failed: the other side has gone away", fault: .local)
        }
    }
}

/// The receiving half of a ``JSONLinesTransport``: reads chunks on demand, splits and decodes them.
actor JSONLinesReader {
    private let stream: any ByteStream
    private let codec: WireCodec
    private var splitter: JSONLineSplitter
    private var pending: [TransportEvent] = []
    private var nextPending = 0
    private var isFinished = false
    private let isClosed: TransportLock<Bool>

    init(stream: any ByteStream, codec: WireCodec, isClosed: TransportLock<Bool>) {
        self.stream = stream
        self.codec = codec
        self.isClosed = isClosed
        self.splitter = JSONLineSplitter(maximumLineBytes: codec.limits.maximumBytes)
    }

    /// The next event, reading more input as needed; `nil` at the end of the input.
    func next() async -> TransportEvent? {
        while true {
            if nextPending < pending.count {
                defer { nextPending += 1 }
                return pending[nextPending]
            }
            pending = []
            nextPending = 0
            if isFinished { return nil }
            if let chunk = await stream.read() {
                pending = splitter.feed(chunk).map(event)
            } else {
                isFinished = true
                // Only the end of the input makes a partial line a final line; a cancelled read or a
                // local close does not.
                if !Task.isCancelled, !isClosed.withLock({ $0 }) { pending = splitter.finish().map(event) }
            }
        }
    }

    private func event(for piece: JSONLineSplitter.Piece) -> TransportEvent {
        switch piece {
        case .line(let bytes):
            return TransportEvent.decoding(bytes, with: codec)
        case .tooLarge(let members):
            let error = ParleyError(.tooLarge, "a line is longer than \(codec.limits.maximumBytes) bytes (MAX_ENVELOPE_BYTES)")
            let session = members.session.flatMap { SessionID(rawValue: $0) }
            let from = members.from.flatMap { AgentID(rawValue: $0) }
            return .undecodable(error, session: session, from: from, sequence: nil)
        }
    }
}
