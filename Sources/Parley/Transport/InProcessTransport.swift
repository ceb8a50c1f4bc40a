/// One end of a connection between two agents in the same process: the reference ``Transport``.
///
/// Create both ends at once with ``pair(capacity:codec:)`` and give one to each agent. The pair
/// carries any number of sessions; it only moves envelopes, in order, both ways.
///
/// **Backpressure.** Each direction buffers at most `capacity` events that the receiver has not
/// yet taken from ``inbound``. A ``send(_:)`` that finds the peer's buffer full suspends until the
/// peer's consumer takes an event; suspended senders are admitted strictly first come, first
/// served, and a later send never overtakes a suspended one.
///
/// **Shutdown.** ``close()`` on either end closes the connection: every suspended sender (on both
/// ends) resumes by throwing ``ParleyError/Code/sessionClosed``, as does every later send; each
/// ``inbound`` stream delivers the events already buffered for it and then finishes. Cancelling
/// the task that iterates ``inbound`` closes the connection the same way, so that no sender is
/// left waiting for a consumer that is gone.
///
/// **Wire round trip.** Given a ``WireCodec``, every envelope is encoded to its canonical bytes
/// and decoded again on its way, so that what works in memory provably works on the wire; bytes
/// that fail to decode arrive as ``TransportEvent/undecodable(_:session:from:sequence:)``.
public struct InProcessTransport: EncodedTransport {
    private let connection: InProcessConnection
    private let end: InProcessConnection.End
    private let codec: WireCodec?

    /// Everything the other end sent, in the order it was sent. Finishes once the connection is
    /// closed and the events already buffered have been delivered. Iterate it from one task only.
    public let inbound: AsyncStream<TransportEvent>

    private init(connection: InProcessConnection, end: InProcessConnection.End, codec: WireCodec?) {
        self.connection = connection
        self.end = end
        self.codec = codec
        // A consumer cancelled before it first waits never reaches `receive`: close here too.
        self.inbound = AsyncStream(unfolding: { await connection.receive(at: end) }, onCancel: { connection.close() })
    }

    /// Creates two connected ends.
    ///
    /// - Parameters:
    ///   - capacity: How many events each direction buffers before senders suspend; at least 1.
    ///   - codec: When given, envelopes travel as canonical bytes and are decoded by the receiver
    ///     with this codec; when `nil`, envelope values are handed over as they are.
    public static func pair(capacity: Int = 64, codec: WireCodec? = nil) -> (InProcessTransport, InProcessTransport) {
        let connection = InProcessConnection(capacity: capacity)
        return (
            InProcessTransport(connection: connection, end: .first, codec: codec),
            InProcessTransport(connection: connection, end: .second, codec: codec)
        )
    }

    /// Sends `envelope` to the other end.
    ///
    /// Returns once the envelope is in the peer's inbound buffer (or handed to its waiting
    /// consumer); suspends while that buffer is full. Throws ``ParleyError/Code/sessionClosed``
    /// once the connection is closed, and ``ParleyError/Code/busy`` if the calling task is
    /// cancelled while it waits for room (the envelope is then not sent).
    public func send(_ envelope: Envelope) async throws(ParleyError) {
        let event: TransportEvent
        if let codec {
            event = TransportEvent.decoding(codec.encode(envelope), with: codec)
        } else {
            event = .envelope(envelope)
        }
        try await deliver(event)
    }

    /// Sends raw encoded bytes; the peer decodes them with the pair's codec (or the standard one).
    /// Suspends and fails like ``send(_:)``.
    public func send(encoded bytes: [UInt8]) async throws(ParleyError) {
        try await deliver(TransportEvent.decoding(bytes, with: codec ?? WireCodec()))
    }

    /// Closes the connection for both ends; see the type's discussion for what happens to waiting senders.
    public func close() async {
        connection.close()
    }

    /// How many events wait in this end's inbound buffer, and how many peer senders are suspended
    /// waiting for room in it. A snapshot, for tests and diagnostics.
    public var inboundLoad: (buffered: Int, suspendedSenders: Int) {
        connection.load(at: end)
    }

    private func deliver(_ event: TransportEvent) async throws(ParleyError) {
        if let error = await connection.send(event, to: end.peer) {
            throw error
        }
    }
}
