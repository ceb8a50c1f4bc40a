import Dispatch
import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ``ByteStream`` over two file descriptors — standard input and output for the stdio transport.
///
/// `read(2)` and `write(2)` block, so they run on two serial dispatch queues, never on Swift
/// concurrency's cooperative threads. A chunk that arrives after the reading task was cancelled
/// is kept for the next ``read()``; one that arrives after ``close()`` is discarded. ``close()``
/// stops reading and writing but leaves the descriptors open: the process owns them.
final class FileDescriptorByteStream: ByteStream, @unchecked Sendable {
    // @unchecked: every mutable member is only touched on `stateQueue`.
    private let input: Int32
    private let output: Int32
    private let stateQueue = DispatchQueue(label: "parley.stdio.state")
    private let readQueue = DispatchQueue(label: "parley.stdio.read")
    private let writeQueue = DispatchQueue(label: "parley.stdio.write")
    private var isClosed = false
    private var reachedEnd = false
    private var readInFlight = false
    private var stash: [UInt8]?
    private var pendingRead: CheckedContinuation<[UInt8]?, Never>?

    /// Creates a stream that reads `input` and writes `output`.
    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    func read() async -> [UInt8]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                let cancelled = Task.isCancelled
                let (ready, startRead) = stateQueue.sync { () -> ([UInt8]??, Bool) in
                    if isClosed || cancelled { return (.some(nil), false) }
                    if let chunk = stash {
                        stash = nil
                        return (.some(chunk), false)
                    }
                    if reachedEnd { return (.some(nil), false) }
                    pendingRead = continuation
                    defer { readInFlight = true }
                    return (nil, !readInFlight)
                }
                if let ready { continuation.resume(returning: ready) }
                if startRead { readQueue.async { self.readChunk() } }
            }
        } onCancel: {
            let waiting = stateQueue.sync { () -> CheckedContinuation<[UInt8]?, Never>? in
                defer { pendingRead = nil }
                return pendingRead
            }
            waiting?.resume(returning: nil)
        }
    }

    /// Blocks in `read(2)` on `readQueue`, then hands the chunk to the waiting reader, or keeps it.
    private func readChunk() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var count: Int
        repeat {
            count = buffer.withUnsafeMutableBytes { systemRead(input, $0.baseAddress, $0.count) }
        } while count < 0 && errno == EINTR
        let chunk = count > 0 ? Array(buffer[..<count]) : nil
        let waiting = stateQueue.sync { () -> CheckedContinuation<[UInt8]?, Never>? in
            readInFlight = false
            if chunk == nil { reachedEnd = true }
            defer { pendingRead = nil }
            if pendingRead == nil, !isClosed { stash = chunk }
            return pendingRead
        }
        waiting?.resume(returning: chunk)
    }

    func write(_ bytes: [UInt8]) async throws {
        if stateQueue.sync(execute: { isClosed }) { throw StandardIOError(code: EBADF) }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            writeQueue.async {
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { systemWrite(self.output, $0.baseAddress! + offset, $0.count - offset) }
                    if written < 0 {
                        if errno == EINTR { continue }
                        continuation.resume(throwing: StandardIOError(code: errno))
                        return
                    }
                    offset += written
                }
                continuation.resume()
            }
        }
    }

    func close() async {
        let waiting = stateQueue.sync { () -> CheckedContinuation<[UInt8]?, Never>? in
            isClosed = true
            stash = nil
            defer { pendingRead = nil }
            return pendingRead
        }
        waiting?.resume(returning: nil)
    }
}

/// The stdio transport's byte stream: standard input and standard output.
enum StandardIO {
    /// A stream over file descriptors 0 and 1. Ignores `SIGPIPE`, so that a parent that stops
    /// reading makes writes fail instead of killing the process.
    static func stream() -> FileDescriptorByteStream {
        signal(SIGPIPE, SIG_IGN)
        return FileDescriptorByteStream(input: 0, output: 1)
    }

    /// A ``JSONLinesTransport`` on standard input and output: envelopes in, envelopes out;
    /// diagnostics go to standard error only.
    static func transport(codec: WireCodec = WireCodec()) -> JSONLinesTransport {
        JSONLinesTransport(stream: stream(), codec: codec)
    }
}

/// A failed `read(2)` or `write(2)`, with its `errno`.
struct StandardIOError: Error, CustomStringConvertible {
    let code: Int32
    var description: String { "I/O error \(code)" }
}

#if canImport(Glibc)
    private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Glibc.read(fd, buffer, count) }
    private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Glibc.write(fd, buffer, count) }
#else
    private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Darwin.read(fd, buffer, count) }
    private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Darwin.write(fd, buffer, count) }
#endif
