public import Foundation
public import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `ByteStream` over two file handles: reads one (a pipe from a child, or standard input),
/// writes the other. Blocking reads and writes run on their own dispatch queues, never on Swift
/// concurrency's cooperative threads.
public final class FileHandleByteStream: ByteStream, @unchecked Sendable {
    // @unchecked: `isClosed` is guarded by `lock`; the handles are only used on their queues.
    private let input: FileHandle
    private let output: FileHandle
    private let readQueue = DispatchQueue(label: "parley.conformance.read")
    private let writeQueue = DispatchQueue(label: "parley.conformance.write")
    private let lock = NSLock()
    private var isClosed = false

    /// Creates a stream that reads `input` and writes `output`.
    public init(reading input: FileHandle, writing output: FileHandle) {
        self.input = input
        self.output = output
    }

    public func read() async -> [UInt8]? {
        if lock.withLock({ isClosed }) { return nil }
        return await withCheckedContinuation { continuation in
            readQueue.async {
                let data = self.input.availableData
                continuation.resume(returning: data.isEmpty ? nil : [UInt8](data))
            }
        }
    }

    public func write(_ bytes: [UInt8]) async throws {
        if lock.withLock({ isClosed }) { throw CocoaError(.fileWriteUnknown) }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            writeQueue.async {
                do {
                    try self.output.write(contentsOf: Data(bytes))
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Stops writing and closes the output handle, so that the reader on the other side sees the end.
    public func close() async {
        let first = lock.withLock { () -> Bool in
            defer { isClosed = true }
            return !isClosed
        }
        guard first else { return }
        await withCheckedContinuation { continuation in
            writeQueue.async {
                try? self.output.close()
                continuation.resume()
            }
        }
    }
}

#if os(macOS) || os(Linux)
    /// An external program under test: `/bin/sh -c COMMAND` with its standard input and output
    /// as the JSON Lines channel. Standard error is kept (its last 8 KiB) for the report.
    ///
    /// A simple command (no `;`, `&`, `|`, redirections or grouping) is run with `exec`, so that
    /// ``close()`` stops the program itself and not only the shell.
    public final class ProcessPeer: ConformancePeer {
        private let process: Process
        private let stream: FileHandleByteStream
        private let channel: LineChannel
        private let diagnostics: Diagnostics

        /// Starts `command`.
        public init(command: String) throws {
            signal(SIGPIPE, SIG_IGN)  // a peer that exits makes our writes fail instead of killing us
            let isSimple = !command.contains { ";&|<>(){}`\n".contains($0) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", isSimple ? "exec \(command)" : command]
            let input = Pipe()
            let output = Pipe()
            let errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            self.process = process
            stream = FileHandleByteStream(reading: output.fileHandleForReading, writing: input.fileHandleForWriting)
            channel = LineChannel(stream: stream)
            diagnostics = Diagnostics(handle: errors.fileHandleForReading)
        }

        public func send(_ envelope: Envelope) async throws { try await channel.send(envelope) }
        public func send(line bytes: [UInt8]) async throws { try await channel.send(line: bytes) }
        public func receive(within seconds: Double) async -> PeerEvent? { await channel.receive(within: seconds) }

        /// Closes the program's standard input, gives it a second to exit, then terminates it.
        public func close() async -> String {
            await stream.close()
            if !(await waitForExit(seconds: 1)) {
                process.terminate()
                if !(await waitForExit(seconds: 1)) { kill(process.processIdentifier, SIGKILL) }
            }
            _ = await waitForExit(seconds: 1)
            channel.pump.cancel()
            return diagnostics.text
        }

        private func waitForExit(seconds: Double) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
            return !process.isRunning
        }
    }

    /// Collects a child's standard error on a queue of its own, keeping the last 8 KiB.
    final class Diagnostics: @unchecked Sendable {
        // @unchecked: `buffer` is guarded by `lock`.
        private let lock = NSLock()
        private var buffer: [UInt8] = []

        init(handle: FileHandle) {
            DispatchQueue(label: "parley.conformance.stderr").async {
                while true {
                    let data = handle.availableData
                    if data.isEmpty { return }
                    self.lock.withLock {
                        self.buffer += data
                        if self.buffer.count > 8192 { self.buffer.removeFirst(self.buffer.count - 8192) }
                    }
                }
            }
        }

        var text: String { lock.withLock { String(decoding: buffer, as: UTF8.self) } }
    }
#endif
