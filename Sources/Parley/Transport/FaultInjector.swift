/// How often each kind of fault happens to an envelope, for ``FaultInjector`` and ``FaultyTransport``.
///
/// Each envelope suffers at most one fault; the probabilities are of disjoint events and must add
/// up to at most 1.
public struct FaultProfile: Hashable, Sendable {
    /// The probability that an envelope is lost.
    public var drop: Double
    /// The probability that an envelope is delivered twice in a row.
    public var duplicate: Double
    /// The probability that an envelope is held back and delivered right after the next one sent.
    public var reorder: Double
    /// The probability that an envelope is held back for 1…``maximumDelay`` later sends (or until a flush).
    public var delay: Double
    /// The probability that one bit of the envelope's encoded bytes is flipped, so that the receiver
    /// gets an undecodable message or a different, valid envelope.
    public var corrupt: Double
    /// The most later sends a delayed envelope waits for.
    public var maximumDelay: Int

    /// Creates a profile; every probability is in `0...1` and their sum is at most 1.
    public init(
        drop: Double = 0, duplicate: Double = 0, reorder: Double = 0, delay: Double = 0, corrupt: Double = 0,
        maximumDelay: Int = 4
    ) {
        let all = [drop, duplicate, reorder, delay, corrupt]
        precondition(all.allSatisfy { $0 >= 0 && $0 <= 1 }, "fault probabilities must lie in 0...1")
        precondition(all.reduce(0, +) <= 1 + 1e-9, "fault probabilities must add up to at most 1")
        precondition(maximumDelay >= 1, "maximumDelay must be at least 1")
        self.drop = drop
        self.duplicate = duplicate
        self.reorder = reorder
        self.delay = delay
        self.corrupt = corrupt
        self.maximumDelay = maximumDelay
    }

    /// No faults: every envelope is delivered once, in order.
    public static let none = FaultProfile()

    /// The upper ends of each fault's band in `0..<1`, in the order the injector tests them.
    var cumulativeBands: (drop: Double, duplicate: Double, reorder: Double, delay: Double, corrupt: Double) {
        let duplicateEnd = drop + duplicate
        let reorderEnd = duplicateEnd + reorder
        let delayEnd = reorderEnd + delay
        return (drop, duplicateEnd, reorderEnd, delayEnd, delayEnd + corrupt)
    }
}

/// What a ``FaultInjector`` has done so far.
public struct FaultCounters: Hashable, Sendable {
    /// Envelopes handed to the injector.
    public var sent = 0
    /// Envelopes handed on to the receiver (a duplicate counts twice; a corrupted one counts).
    public var delivered = 0
    /// Envelopes lost.
    public var dropped = 0
    /// Envelopes delivered twice.
    public var duplicated = 0
    /// Envelopes held back behind the next one.
    public var reordered = 0
    /// Envelopes held back for several sends.
    public var delayed = 0
    /// Envelopes corrupted (whether the result decodes or not).
    public var corrupted = 0
    /// Corrupted envelopes whose bytes no longer decode.
    public var corruptedUndecodable = 0

    /// Creates zeroed counters.
    public init() {}
}

/// Decides, deterministically from a seed, what happens to each envelope on an unreliable link.
///
/// A sans-I/O value: hand it each envelope in send order with ``process(_:)`` and deliver what it
/// returns, in order. The same seed, profile and sequence of envelopes always yield the same
/// deliveries, so a failing simulation replays from its seed. ``FaultyTransport`` wraps a
/// ``Transport`` around one.
public struct FaultInjector: Sendable {
    /// What the link delivers.
    public enum Delivery: Hashable, Sendable {
        /// An envelope (possibly a duplicate, a late one, or a corrupted one that still decodes).
        case envelope(Envelope)
        /// Corrupted bytes that no longer decode into an envelope.
        case bytes([UInt8])
    }

    /// The fault probabilities.
    public let profile: FaultProfile
    /// The codec used to encode envelopes before corrupting them, and to decode the result.
    public let codec: WireCodec
    /// What has been injected so far.
    public private(set) var counters = FaultCounters()
    private var random: SeededRandom
    private var reordered: Envelope?
    private var delayed: [(remaining: Int, envelope: Envelope)] = []

    /// Creates an injector.
    public init(profile: FaultProfile, seed: UInt64, codec: WireCodec = WireCodec()) {
        self.profile = profile
        self.codec = codec
        self.random = SeededRandom(seed: seed)
    }

    /// How many envelopes are currently held back (reordered or delayed).
    public var heldCount: Int { delayed.count + (reordered == nil ? 0 : 1) }

    /// Decides the fate of `envelope`, sent now, and returns everything the link delivers as a
    /// result, in order: this envelope (unless dropped, held back or corrupted), then a previously
    /// reordered envelope, then delayed envelopes whose wait is over.
    public mutating func process(_ envelope: Envelope) -> [Delivery] {
        counters.sent += 1
        var deliveries: [Delivery] = []
        let earlierReordered = reordered
        reordered = nil
        let roll = random.nextDouble()
        let bands = profile.cumulativeBands
        var newlyDelayed: (remaining: Int, envelope: Envelope)?

        if roll < bands.drop {
            counters.dropped += 1
        } else if roll < bands.duplicate {
            counters.duplicated += 1
            deliveries = [.envelope(envelope), .envelope(envelope)]
        } else if roll < bands.reorder {
            counters.reordered += 1
            reordered = envelope
        } else if roll < bands.delay {
            counters.delayed += 1
            newlyDelayed = (1 + random.next(below: profile.maximumDelay), envelope)
        } else if roll < bands.corrupt {
            counters.corrupted += 1
            deliveries = [corrupted(envelope)]
        } else {
            deliveries = [.envelope(envelope)]
        }

        if let earlierReordered { deliveries.append(.envelope(earlierReordered)) }
        var stillDelayed: [(remaining: Int, envelope: Envelope)] = []
        for var entry in delayed {
            entry.remaining -= 1
            if entry.remaining == 0 {
                deliveries.append(.envelope(entry.envelope))
            } else {
                stillDelayed.append(entry)
            }
        }
        delayed = stillDelayed
        if let newlyDelayed { delayed.append(newlyDelayed) }
        counters.delivered += deliveries.count
        return deliveries
    }

    /// Releases every held-back envelope, the reordered one first, then the delayed ones in the
    /// order they were sent.
    public mutating func flush() -> [Delivery] {
        var deliveries: [Delivery] = []
        if let reordered { deliveries.append(.envelope(reordered)) }
        deliveries += delayed.map { .envelope($0.envelope) }
        reordered = nil
        delayed = []
        counters.delivered += deliveries.count
        return deliveries
    }

    /// Forgets every held-back envelope (they are lost), returning how many there were.
    @discardableResult
    public mutating func discardHeld() -> Int {
        let count = heldCount
        reordered = nil
        delayed = []
        return count
    }

    /// `envelope`'s canonical bytes with one bit flipped; never turns a byte into CR or LF, so the
    /// result stays one line on a JSON Lines stream.
    private mutating func corrupted(_ envelope: Envelope) -> Delivery {
        var bytes = codec.encode(envelope)
        guard !bytes.isEmpty else { return .bytes(bytes) }
        let position = random.next(below: bytes.count)
        var bit = random.next(below: 8)
        var flipped = bytes[position] ^ (1 << UInt8(bit))
        while flipped == 0x0A || flipped == 0x0D {
            bit = (bit + 1) % 8
            flipped = bytes[position] ^ (1 << UInt8(bit))
        }
        bytes[position] = flipped
        if let decoded = try? codec.decode(bytes) {
            return .envelope(decoded)
        }
        counters.corruptedUndecodable += 1
        return .bytes(bytes)
    }
}
