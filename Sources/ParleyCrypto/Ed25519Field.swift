/// An element of the field GF(2^255 − 19), the coordinates of edwards25519 points.
///
/// Five unsigned limbs of 51 bits (radix 2^51): the value is `l0 + l1·2^51 + l2·2^102 + l3·2^153 + l4·2^204`.
/// Products of two limbs are taken in full width with `multipliedFullWidth(by:)` (available on
/// every platform Swift supports, unlike `UInt128`, which needs macOS 15 / iOS 18) and summed in
/// a two-word accumulator. Every operation returns a *weakly reduced* element: each limb is below
/// 2^52, so the value is below 2^256 but not necessarily below p. Only ``bytes`` (and equality,
/// which compares bytes) reduce fully.
///
/// No operation here branches on, or indexes memory by, the value of an element: carries are
/// computed with shifts and masks, and ``select(_:_:mask:)`` uses a mask. The
/// one exception is `==`, which compares encodings and is used only on public values.
struct FieldElement: Sendable {
    var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64

    static let mask51: UInt64 = (1 << 51) - 1

    @inline(__always)
    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64) {
        (self.l0, self.l1, self.l2, self.l3, self.l4) = (l0, l1, l2, l3, l4)
    }

    static let zero = FieldElement(0, 0, 0, 0, 0)
    static let one = FieldElement(1, 0, 0, 0, 0)

    /// The curve constant d = −121665/121666.
    static let d = FieldElement(hexLittleEndian: "a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352")
    /// 2·d, used by point addition.
    static let d2 = d + d
    /// A square root of −1 (2^((p−1)/4)).
    static let sqrtMinusOne = FieldElement(hexLittleEndian: "b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b")

    /// Decodes 32 little-endian bytes, ignoring the top bit (bit 255), as RFC 8032 §5.1.3 does
    /// for the y coordinate. The result may be non-canonical (≥ p); callers that must reject such
    /// encodings compare ``bytes`` with the input.
    init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32)
        let w0 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let w1 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let w2 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        let w3 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        let mask = FieldElement.mask51
        self.init(
            w0 & mask, (w0 >> 51 | w1 << 13) & mask, (w1 >> 38 | w2 << 26) & mask, (w2 >> 25 | w3 << 39) & mask, (w3 >> 12) & mask)
    }

    private init(hexLittleEndian hex: String) {
        let bytes = Hex.decode(hex)!
        self = bytes.withUnsafeBytes { FieldElement(bytes: $0) }
    }

    /// The canonical 32-byte little-endian encoding (value fully reduced below p; bit 255 clear).
    var bytes: [UInt8] {
        let words = canonicalWords()
        return withUnsafeBytes(of: (words.0.littleEndian, words.1.littleEndian, words.2.littleEndian, words.3.littleEndian)) {
            Array($0)
        }
    }

    /// The value fully reduced below p, as four little-endian 64-bit words.
    ///
    /// After a weak reduction the value h is below 2^255 + 2^52·19; `q` is 1 exactly when h ≥ p
    /// (computed by propagating the carry of h + 19 through the limbs), and h + 19·q − 2^255·q is
    /// then the canonical value.
    func canonicalWords() -> (UInt64, UInt64, UInt64, UInt64) {
        let h = self.weaklyReduced()
        let mask = FieldElement.mask51
        var q = (h.l0 &+ 19) >> 51
        q = (h.l1 &+ q) >> 51
        q = (h.l2 &+ q) >> 51
        q = (h.l3 &+ q) >> 51
        q = (h.l4 &+ q) >> 51
        var l0 = h.l0 &+ 19 &* q
        var l1 = h.l1 &+ (l0 >> 51)
        l0 &= mask
        var l2 = h.l2 &+ (l1 >> 51)
        l1 &= mask
        var l3 = h.l3 &+ (l2 >> 51)
        l2 &= mask
        var l4 = h.l4 &+ (l3 >> 51)
        l3 &= mask
        l4 &= mask  // drops 2^255 when q = 1
        return (l0 | l1 << 51, l1 >> 13 | l2 << 38, l2 >> 26 | l3 << 25, l3 >> 39 | l4 << 12)
    }

    /// Whether the canonical value is odd (the "sign" of an x coordinate in RFC 8032).
    var isNegative: UInt64 { canonicalWords().0 & 1 }

    /// Whether the canonical value is zero, as 1 or 0.
    var isZero: UInt64 {
        let w = canonicalWords()
        let any = w.0 | w.1 | w.2 | w.3
        return ((any | (0 &- any)) >> 63) ^ 1
    }

    /// Carries each limb's excess into the next (the top limb's into the bottom, times 19).
    /// Input limbs below 2^64 give output limbs below 2^52 (the bottom one below 2^51 + 19·2^13).
    @inline(__always)
    func weaklyReduced() -> FieldElement {
        let mask = FieldElement.mask51
        let c0 = l0 >> 51, c1 = l1 >> 51, c2 = l2 >> 51, c3 = l3 >> 51, c4 = l4 >> 51
        return FieldElement((l0 & mask) &+ c4 &* 19, (l1 & mask) &+ c0, (l2 & mask) &+ c1, (l3 & mask) &+ c2, (l4 & mask) &+ c3)
    }

    @inline(__always)
    static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        FieldElement(a.l0 &+ b.l0, a.l1 &+ b.l1, a.l2 &+ b.l2, a.l3 &+ b.l3, a.l4 &+ b.l4).weaklyReduced()
    }

    /// a − b, computed as a + 16·p − b so that no limb goes below zero (b's limbs are below 2^52 < 16·(2^51 − 19)).
    @inline(__always)
    static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        FieldElement(
            (a.l0 &+ 0x7F_FFFF_FFFF_FED0) &- b.l0, (a.l1 &+ 0x7F_FFFF_FFFF_FFF0) &- b.l1, (a.l2 &+ 0x7F_FFFF_FFFF_FFF0) &- b.l2,
            (a.l3 &+ 0x7F_FFFF_FFFF_FFF0) &- b.l3, (a.l4 &+ 0x7F_FFFF_FFFF_FFF0) &- b.l4
        ).weaklyReduced()
    }

    @inline(__always)
    static prefix func - (a: FieldElement) -> FieldElement { .zero - a }

    /// a · b mod p. With limbs below 2^52, each of the five column sums is below 2^116 and
    /// the carries fit in 64 bits (the largest, c4·19, below 2^63).
    @inline(__always)
    static func * (a: FieldElement, b: FieldElement) -> FieldElement {
        let b1 = b.l1 &* 19, b2 = b.l2 &* 19, b3 = b.l3 &* 19, b4 = b.l4 &* 19
        var r0 = Wide(a.l0, b.l0)
        r0.add(a.l1, b4)
        r0.add(a.l2, b3)
        r0.add(a.l3, b2)
        r0.add(a.l4, b1)
        var r1 = Wide(a.l0, b.l1)
        r1.add(a.l1, b.l0)
        r1.add(a.l2, b4)
        r1.add(a.l3, b3)
        r1.add(a.l4, b2)
        var r2 = Wide(a.l0, b.l2)
        r2.add(a.l1, b.l1)
        r2.add(a.l2, b.l0)
        r2.add(a.l3, b4)
        r2.add(a.l4, b3)
        var r3 = Wide(a.l0, b.l3)
        r3.add(a.l1, b.l2)
        r3.add(a.l2, b.l1)
        r3.add(a.l3, b.l0)
        r3.add(a.l4, b4)
        var r4 = Wide(a.l0, b.l4)
        r4.add(a.l1, b.l3)
        r4.add(a.l2, b.l2)
        r4.add(a.l3, b.l1)
        r4.add(a.l4, b.l0)
        return carry(r0, r1, r2, r3, r4)
    }

    /// a² mod p: the symmetric products once, doubled.
    @inline(__always)
    func squared() -> FieldElement {
        let d0 = l0 &* 2, d1 = l1 &* 2, d2 = l2 &* 2, d3 = l3 &* 2
        let l3x19 = l3 &* 19, l4x19 = l4 &* 19
        var r0 = Wide(l0, l0)
        r0.add(d1, l4x19)
        r0.add(d2, l3x19)
        var r1 = Wide(d0, l1)
        r1.add(d2, l4x19)
        r1.add(l3, l3x19)
        var r2 = Wide(d0, l2)
        r2.add(l1, l1)
        r2.add(d3, l4x19)
        var r3 = Wide(d0, l3)
        r3.add(d1, l2)
        r3.add(l4, l4x19)
        var r4 = Wide(d0, l4)
        r4.add(d1, l3)
        r4.add(l2, l2)
        return FieldElement.carry(r0, r1, r2, r3, r4)
    }

    /// Squares `count` times.
    func squared(times count: Int) -> FieldElement {
        var result = self
        for _ in 0..<count { result = result.squared() }
        return result
    }

    @inline(__always)
    private static func carry(_ r0: Wide, _ r1: Wide, _ r2: Wide, _ r3: Wide, _ r4: Wide) -> FieldElement {
        var r1 = r1, r2 = r2, r3 = r3, r4 = r4
        let mask = FieldElement.mask51
        r1.add(r0.shiftedRight51)
        r2.add(r1.shiftedRight51)
        r3.add(r2.shiftedRight51)
        r4.add(r3.shiftedRight51)
        var o0 = (r0.low & mask) &+ r4.shiftedRight51 &* 19
        let o1 = (r1.low & mask) &+ (o0 >> 51)
        o0 &= mask
        return FieldElement(o0, o1, r2.low & mask, r3.low & mask, r4.low & mask)
    }

    /// (z^(2^250 − 1), z^11): the common start of inversion and of the square-root exponent.
    private func pow22501() -> (FieldElement, FieldElement) {
        let t0 = self.squared()  // 2
        let t1 = t0.squared(times: 2) * self  // 9
        let t2 = t0 * t1  // 11
        let t3 = t2.squared() * t1  // 31 = 2^5 − 1
        let t4 = t3.squared(times: 5) * t3  // 2^10 − 1
        let t5 = t4.squared(times: 10) * t4  // 2^20 − 1
        let t6 = t5.squared(times: 20) * t5  // 2^40 − 1
        let t7 = t6.squared(times: 10) * t4  // 2^50 − 1
        let t8 = t7.squared(times: 50) * t7  // 2^100 − 1
        let t9 = t8.squared(times: 100) * t8  // 2^200 − 1
        let t10 = t9.squared(times: 50) * t7  // 2^250 − 1
        return (t10, t2)
    }

    /// z^(p − 2) = z⁻¹ (and 0 for 0), by Fermat's little theorem: p − 2 = 2^255 − 21.
    func inverted() -> FieldElement {
        let (t250, t11) = pow22501()
        return t250.squared(times: 5) * t11
    }

    /// z^((p − 5)/8) = z^(2^252 − 3), the exponent of the square root in RFC 8032 §5.1.3.
    func powP58() -> FieldElement {
        let (t250, _) = pow22501()
        return t250.squared(times: 2) * self
    }

    /// Returns `b` where `mask` is all ones and `a` where it is zero, without branching.
    @inline(__always)
    static func select(_ a: FieldElement, _ b: FieldElement, mask: UInt64) -> FieldElement {
        FieldElement(
            a.l0 ^ (mask & (a.l0 ^ b.l0)), a.l1 ^ (mask & (a.l1 ^ b.l1)), a.l2 ^ (mask & (a.l2 ^ b.l2)),
            a.l3 ^ (mask & (a.l3 ^ b.l3)), a.l4 ^ (mask & (a.l4 ^ b.l4)))
    }

    /// Compares canonical encodings. Variable time: for public values only.
    static func == (a: FieldElement, b: FieldElement) -> Bool {
        let x = a.canonicalWords(), y = b.canonicalWords()
        return x.0 == y.0 && x.1 == y.1 && x.2 == y.2 && x.3 == y.3
    }
}

/// A 128-bit accumulator for sums of 64 × 64-bit products.
struct Wide {
    var low: UInt64
    var high: UInt64

    @inline(__always)
    init(_ a: UInt64, _ b: UInt64) {
        let product = a.multipliedFullWidth(by: b)
        (high, low) = (product.high, product.low)
    }

    /// Adds a·b. The carry out of the low word is computed from the operands' top bits, without
    /// a comparison or branch.
    @inline(__always)
    mutating func add(_ a: UInt64, _ b: UInt64) {
        let product = a.multipliedFullWidth(by: b)
        let sum = low &+ product.low
        let carry = ((low & product.low) | ((low | product.low) & ~sum)) >> 63
        low = sum
        high = high &+ product.high &+ carry
    }

    @inline(__always)
    mutating func add(_ x: UInt64) {
        let sum = low &+ x
        let carry = ((low & x) | ((low | x) & ~sum)) >> 63
        low = sum
        high &+= carry
    }

    /// The value shifted right by 51 bits; the caller guarantees it fits in 64 bits.
    @inline(__always)
    var shiftedRight51: UInt64 { (high << 13) | (low >> 51) }
}
