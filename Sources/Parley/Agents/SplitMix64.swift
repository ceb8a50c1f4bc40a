/// A small seeded pseudo-random generator (SplitMix64) for ids, so that agents replay exactly
/// from a seed. Not for secrets: consent root keys come from the embedding application.
struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 16 lowercase hex digits.
    mutating func hex() -> String {
        let value = next()
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 { out[index] = digits[Int((value >> UInt64(60 - index * 4)) & 0xF)] }
        return String(decoding: out, as: UTF8.self)
    }
}
