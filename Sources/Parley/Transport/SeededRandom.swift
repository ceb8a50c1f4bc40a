/// A small, fast, seeded pseudo-random generator (SplitMix64) for deterministic simulations.
///
/// The same seed always yields the same sequence, on every platform and in every release, so a
/// failing simulation can be replayed from its seed. Not for cryptography.
public struct SeededRandom: RandomNumberGenerator, Hashable, Sendable {
    /// The generator's current state; two generators with equal state produce equal sequences.
    public private(set) var state: UInt64

    /// Creates a generator whose sequence is determined by `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly distributed value in `0..<1`, with 53 bits of precision.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniformly distributed integer in `0..<upperBound`; `upperBound` must be positive.
    ///
    /// Uses rejection sampling, so the result does not depend on the standard library's
    /// `random(in:using:)` algorithm and stays reproducible across toolchains.
    public mutating func next(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upperBound must be positive")
        let bound = UInt64(upperBound)
        let threshold = (0 &- bound) % bound
        while true {
            let value = next()
            if value >= threshold { return Int(value % bound) }
        }
    }
}
