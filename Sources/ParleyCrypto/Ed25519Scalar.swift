/// Arithmetic modulo the group order L = 2^252 + 27742317777372353535851937790883648493, on
/// 32-byte little-endian scalars (RFC 8032 §5.1).
///
/// The reduction is TweetNaCl's `modL`, written out with radix-2^8 signed limbs in `Int64`: it
/// runs the same loops with the same shifts and multiplications whatever the value, so secret
/// scalars (the nonce r and the private scalar s) are never branched on.
enum Scalar {
    /// L, little-endian, one byte per limb.
    static let order: [Int64] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]

    /// Nibble `position` (0 = least significant) of a 32-byte little-endian scalar, as 0…15.
    /// The position is public; the value may be secret and is only shifted and masked.
    @inline(__always)
    static func nibble(_ scalar: [UInt8], _ position: Int) -> UInt64 {
        UInt64(scalar[position >> 1] >> UInt8(4 * (position & 1))) & 15
    }

    /// A 64-byte little-endian number (a SHA-512 digest) reduced modulo L.
    static func reduce(wide bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count == 64)
        var limbs = [Int64](repeating: 0, count: 64)
        for index in 0..<64 { limbs[index] = Int64(bytes[index]) }
        return reduce(&limbs)
    }

    /// (a·b + c) mod L for 32-byte scalars.
    static func multiplyAdd(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8]) -> [UInt8] {
        precondition(a.count == 32 && b.count == 32 && c.count == 32)
        var limbs = [Int64](repeating: 0, count: 64)
        for index in 0..<32 { limbs[index] = Int64(c[index]) }
        for i in 0..<32 {
            for j in 0..<32 { limbs[i + j] &+= Int64(a[i]) &* Int64(b[j]) }
        }
        return reduce(&limbs)
    }

    /// Whether a 32-byte little-endian scalar is below L (the canonical range for a signature's
    /// S, RFC 8032 §5.1.7). Variable time: S is public.
    static func isCanonical(_ scalar: [UInt8]) -> Bool {
        precondition(scalar.count == 32)
        for index in stride(from: 31, through: 0, by: -1) {
            let limb = Int64(scalar[index])
            if limb < order[index] { return true }
            if limb > order[index] { return false }
        }
        return false  // equal to L
    }

    /// Reduces 64 signed radix-2^8 limbs (each at most about 2^21 in size) modulo L.
    ///
    /// First the limbs above 2^256 are folded down using 2^252 ≡ −(L − 2^252) (mod L), one limb at
    /// a time from the top, carrying as it goes; then the top four bits are folded the same way,
    /// L is subtracted as often as the final carry says, and the limbs are carried to bytes.
    private static func reduce(_ x: inout [Int64]) -> [UInt8] {
        for i in stride(from: 63, through: 32, by: -1) {
            var carry: Int64 = 0
            var j = i - 32
            while j < i - 12 {
                x[j] &+= carry &- 16 &* x[i] &* order[j - (i - 32)]
                carry = (x[j] &+ 128) >> 8
                x[j] &-= carry << 8
                j += 1
            }
            x[j] &+= carry
            x[i] = 0
        }
        var carry: Int64 = 0
        for j in 0..<32 {
            x[j] &+= carry &- (x[31] >> 4) &* order[j]
            carry = x[j] >> 8
            x[j] &= 255
        }
        for j in 0..<32 { x[j] &-= carry &* order[j] }
        var result = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 {
            if i < 31 { x[i + 1] &+= x[i] >> 8 }
            result[i] = UInt8(truncatingIfNeeded: x[i] & 255)
        }
        return result
    }
}
