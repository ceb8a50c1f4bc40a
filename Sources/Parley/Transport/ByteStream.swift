/// A two-way byte channel — a pipe pair, a socket, standard input and output — that a
/// ``JSONLinesTransport`` frames envelopes on.
///
/// Conforming types must be safe to use from several tasks: one task reads while others write.
public protocol ByteStream: Sendable {
    /// The next chunk of bytes that arrived, in order, of any non-zero length; `nil` at the end of
    /// the stream.
    ///
    /// Returns `nil` promptly once ``close()`` has been called, and when the calling task is
    /// cancelled. Only one read is pending at a time.
    func read() async -> [UInt8]?

    /// Writes all of `bytes`, after the bytes of every earlier call, before returning.
    ///
    /// Throws when the stream is closed or the other side has gone away.
    func write(_ bytes: [UInt8]) async throws

    /// Closes both directions: a pending and every later ``read()`` returns `nil`, later writes
    /// throw, and the other side reads to the end of what was written, then sees the end of the stream.
    func close() async
}

/// Two connected in-memory ``ByteStream``s: what one writes, the other reads, chunk by chunk, with
/// the chunk boundaries preserved. For tests and for running stdio agents inside one process.
public struct MemoryByteStream: ByteStream {
    private let pipe: TransportLock<Pipe>
    private let side: Int

    private init(pipe: TransportLock<Pipe>, side: Int) {
        self.pipe = pipe
        self.side = side
    }

    /// Creates two connected ends. Writes never wait: each direction buffers without bound.
    public static func pair() -> (MemoryByteStream, MemoryByteStream) {
        let pipe = TransportLock(Pipe())
        return (MemoryByteStream(pipe: pipe, side: 0), MemoryByteStream(pipe: pipe, side: 1))
    }

    /// The next chunk the other end wrote; `nil` once it closed and every chunk was read, once
    /// this end closed, or when the calling task is cancelled.
    public func read() async -> [UInt8]? {
        if let ready = pipe.withLock({ $0.take(at: side) }) { return ready.chunk }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                let ready = pipe.withLock { pipe -> Ready? in
                    if Task.isCancelled { return .end }
                    if let ready = pipe.take(at: side) { return ready }
                    pipe.inboxes[side].reader = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready.chunk) }
            }
        } onCancel: {
            pipe.withLock { $0.takeReader(at: side) }?.resume(returning: nil)
        }
    }

    /// Hands `bytes` to the other end. Throws ``MemoryByteStream/Closed`` when either end has closed.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        let peer = 1 - side
        let outcome = pipe.withLock { pipe -> Result<CheckedContinuation<[UInt8]?, Never>?, Closed> in
            guard !pipe.inboxes[side].isClosed, !pipe.inboxes[peer].isClosed, !pipe.inboxes[peer].writerFinished else {
                return .failure(Closed())
            }
            if let reader = pipe.takeReader(at: peer) { return .success(reader) }
            pipe.inboxes[peer].chunks.append(bytes)
            return .success(nil)
        }
        try outcome.get()?.resume(returning: bytes)
    }

    /// Closes this end: its reads end, and the other end reads what was written, then the end of the stream.
    public func close() async {
        let peer = 1 - side
        let readers = pipe.withLock { pipe in
            pipe.inboxes[side].isClosed = true
            pipe.inboxes[side].chunks = []
            pipe.inboxes[peer].writerFinished = true
            var readers = [pipe.takeReader(at: side)]
            if pipe.inboxes[peer].chunks.isEmpty { readers.append(pipe.takeReader(at: peer)) }
            return readers.compactMap { $0 }
        }
        for reader in readers { reader.resume(returning: nil) }
    }

    /// The error a write to a closed ``MemoryByteStream`` throws.
    public struct Closed: Error, Hashable, Sendable {}

    private enum Ready {
        case chunk([UInt8])
        case end

        var chunk: [UInt8]? {
            if case .chunk(let bytes) = self { return bytes }
            return nil
        }
    }

    private struct Inbox {
        var chunks: [[UInt8]] = []
        var reader: CheckedContinuation<[UInt8]?, Never>?
        /// This end closed: reads return `nil`.
        var isClosed = false
        /// The other end closed: reads drain `chunks`, then return `nil`.
        var writerFinished = false
    }

    private struct Pipe {
        var inboxes = [Inbox(), Inbox()]

        /// A chunk or the end of the stream if either is ready; `nil` if the reader must wait.
        mutating func take(at side: Int) -> Ready? {
            if inboxes[side].isClosed { return .end }
            if !inboxes[side].chunks.isEmpty { return .chunk(inboxes[side].chunks.removeFirst()) }
            return inboxes[side].writerFinished ? .end : nil
        }

        mutating func takeReader(at side: Int) -> CheckedContinuation<[UInt8]?, Never>? {
            defer { inboxes[side].reader = nil }
            return inboxes[side].reader
        }
    }
}
