/// A ``Transport`` that injects faults into what it sends: a deterministic unreliable link for
/// simulations and tests.
///
/// Every envelope passed to ``send(_:)`` goes through a ``FaultInjector`` first, which may drop,
/// duplicate, reorder, delay or corrupt it; the resulting deliveries are sent on the wrapped
/// transport in order. Corrupted bytes that no longer decode reach the peer as an
/// ``TransportEvent/undecodable(_:session:from:sequence:)`` event when the wrapped transport is an
/// ``EncodedTransport``; otherwise they are lost. Nothing waits on a clock: delayed envelopes are
/// released by later sends or by ``flush()``.
///
/// Faults are reproducible for a given seed and sequence of sends. Sends from several tasks at
/// once are each decided in the order they reach the injector, but their deliveries may
/// interleave; send from one task when the exact order matters.
public struct FaultyTransport: EncodedTransport {
    private let base: any Transport
    private let injector: TransportLock<FaultInjector>

    /// Wraps `base`.
    ///
    /// - Parameters:
    ///   - base: The transport that carries what survives.
    ///   - profile: How often each fault happens.
    ///   - seed: The seed of the injector's ``SeededRandom``.
    ///   - codec: Encodes envelopes to corrupt them, and decodes the corrupted bytes.
    public init(wrapping base: any Transport, profile: FaultProfile, seed: UInt64, codec: WireCodec = WireCodec()) {
        self.base = base
        self.injector = TransportLock(FaultInjector(profile: profile, seed: seed, codec: codec))
    }

    /// What the wrapped transport delivers to this end; faults apply only to what this end sends.
    public var inbound: AsyncStream<TransportEvent> { base.inbound }

    /// What has been injected so far.
    public var counters: FaultCounters {
        injector.withLock { $0.counters }
    }

    /// How many envelopes are held back, waiting for later sends or a ``flush()``.
    public var heldCount: Int {
        injector.withLock { $0.heldCount }
    }

    /// Passes `envelope` through the injector and sends what it lets through.
    ///
    /// Returns normally for an envelope that is dropped or held back; throws whatever the wrapped
    /// transport throws (``ParleyError/Code/sessionClosed`` once closed).
    public func send(_ envelope: Envelope) async throws(ParleyError) {
        let deliveries = injector.withLock { $0.process(envelope) }
        try await forward(deliveries)
    }

    /// Sends raw bytes on the wrapped transport unchanged, without faults, if it can carry them;
    /// otherwise they are lost.
    public func send(encoded bytes: [UInt8]) async throws(ParleyError) {
        try await forward([.bytes(bytes)])
    }

    /// Sends every held-back envelope now: the reordered one, then the delayed ones in send order.
    public func flush() async throws(ParleyError) {
        let deliveries = injector.withLock { $0.flush() }
        try await forward(deliveries)
    }

    /// Discards every held-back envelope and closes the wrapped transport.
    public func close() async {
        injector.withLock { $0.discardHeld() }
        await base.close()
    }

    private func forward(_ deliveries: [FaultInjector.Delivery]) async throws(ParleyError) {
        for delivery in deliveries {
            switch delivery {
            case .envelope(let envelope):
                try await base.send(envelope)
            case .bytes(let bytes):
                if let encoded = base as? any EncodedTransport {
                    try await encoded.send(encoded: bytes)
                }
            }
        }
    }
}
