/// Where an agent draws the random parts of its session and token ids from: the system's
/// cryptographically secure generator, or a ``SeededRandom`` when a run must replay exactly
/// (tests, simulations, demos).
struct IdentifierSource: Sendable {
    private var seeded: SeededRandom?

    /// A source seeded with `seed`, or the system's secure generator when `seed` is `nil`.
    init(seed: UInt64?) {
        seeded = seed.map(SeededRandom.init(seed:))
    }

    /// Whether ids come from a seed (predictable) rather than the system's secure generator.
    var isSeeded: Bool { seeded != nil }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        guard var generator = seeded else {
            var system = SystemRandomNumberGenerator()
            return system.next()
        }
        defer { seeded = generator }
        return generator.next()
    }

    /// 32 lowercase hex digits (128 bits): for session and token ids.
    mutating func hex() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        for half in 0..<2 {
            let value = next()
            for index in 0..<16 { out[half * 16 + index] = digits[Int((value >> UInt64(60 - index * 4)) & 0xF)] }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
