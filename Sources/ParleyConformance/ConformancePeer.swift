public import Parley

/// The program under test, seen from the suite: something that reads JSON Lines envelopes and
/// writes JSON Lines envelopes. ``ProcessPeer`` runs an external program over its standard input
/// and output; ``InProcessPeer`` runs a Parley agent in this process over the same framing.
///
/// Each case gets a fresh peer and closes it when it ends, so cases never affect each other.
public protocol ConformancePeer: Sendable {
    /// Writes `envelope`'s canonical JSON and a line feed.
    func send(_ envelope: Envelope) async throws

    /// Writes `bytes` and a line feed, exactly as given (they need not be valid JSON).
    func send(line bytes: [UInt8]) async throws

    /// The next thing the peer wrote, or `nil` when it wrote nothing within `seconds`.
    func receive(within seconds: Double) async -> PeerEvent?

    /// Ends the peer (closes its input, then stops it) and returns its diagnostics, if any.
    func close() async -> String
}

/// What a peer wrote.
public enum PeerEvent: Sendable, Hashable {
    /// One envelope.
    case envelope(Envelope)
    /// A line that is not a valid envelope.
    case undecodable(ParleyError)
    /// The peer closed its output (it exited, or its agent stopped).
    case ended
}

/// Everything a peer wrote and the suite has not read yet; lets a reader wait with a timeout.
actor PeerMailbox {
    private var events: [PeerEvent] = []
    private var ended = false
    private var waiter: (token: UInt64, continuation: CheckedContinuation<PeerEvent?, Never>)?
    private var tokens: UInt64 = 0

    func put(_ event: PeerEvent) {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: event)
        } else {
            events.append(event)
        }
    }

    func finish() {
        ended = true
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: .ended)
        }
    }

    func next(within seconds: Double) async -> PeerEvent? {
        if !events.isEmpty { return events.removeFirst() }
        if ended { return .ended }
        tokens += 1
        let token = tokens
        return await withCheckedContinuation { continuation in
            waiter = (token, continuation)
            Task {
                try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1_000_000_000))
                self.expire(token)
            }
        }
    }

    private func expire(_ token: UInt64) {
        guard let waiter, waiter.token == token else { return }
        self.waiter = nil
        waiter.continuation.resume(returning: nil)
    }
}

/// The suite's end of a JSON Lines byte stream to a peer: ``JSONLinesTransport`` framing, with
/// everything the peer writes collected in a ``PeerMailbox``.
struct LineChannel: Sendable {
    let transport: JSONLinesTransport
    let mailbox = PeerMailbox()
    let pump: Task<Void, Never>

    init(stream: any ByteStream) {
        let transport = JSONLinesTransport(stream: stream)
        let mailbox = self.mailbox
        self.transport = transport
        pump = Task {
            for await event in transport.inbound {
                switch event {
                case .envelope(let envelope): await mailbox.put(.envelope(envelope))
                case .undecodable(let error, _, _, _): await mailbox.put(.undecodable(error))
                }
            }
            await mailbox.finish()
        }
    }

    func send(_ envelope: Envelope) async throws { try await transport.send(envelope) }
    func send(line bytes: [UInt8]) async throws { try await transport.send(encoded: bytes) }
    func receive(within seconds: Double) async -> PeerEvent? { await mailbox.next(within: seconds) }

    func close() async {
        await transport.close()
        pump.cancel()
    }
}
