/// How envelopes travel between two agents. The only thing an agent knows about the network.
///
/// A transport is one end of a connection between two agents; it carries any number of
/// sessions, multiplexed by session id. ``InProcessTransport`` is the reference; the stdio
/// transport carries JSON Lines over pipes; network transports plug in behind this protocol.
public protocol Transport: Sendable {
    /// Sends `envelope` to the other end.
    ///
    /// Suspends while the outbound buffer is full (backpressure), and throws
    /// ``ParleyError/Code/sessionClosed`` once the transport is closed.
    func send(_ envelope: Envelope) async throws(ParleyError)

    /// Everything that arrives from the other end, in arrival order. Finishes when the transport closes.
    var inbound: AsyncStream<TransportEvent> { get }

    /// Closes this end: pending and later sends fail, ``inbound`` finishes on both ends.
    func close() async
}

/// What a transport delivers.
public enum TransportEvent: Sendable, Hashable {
    /// A decoded envelope.
    case envelope(Envelope)
    /// Input that could not be decoded into an envelope, with whatever could be read of it,
    /// so that the agent can answer with an `error` (`Spec/PROTOCOL.md` §8).
    case undecodable(ParleyError, session: SessionID?, from: AgentID?, sequence: Int?)
}
