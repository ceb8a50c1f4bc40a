/// A point of edwards25519 (−x² + y² = 1 + d·x²·y²) in extended homogeneous coordinates
/// (X : Y : Z : T) with x = X/Z, y = Y/Z, x·y = T/Z (RFC 8032 §5.1.4).
///
/// Addition and doubling use the formulas of RFC 8032 §5.1.4 (Hisil–Wong–Carter–Dawson). They
/// are complete on this curve: the same sequence of field operations gives the right answer for
/// every pair of inputs, including the identity and equal points, so no code path depends on
/// the points' values.
struct EdwardsPoint: Sendable {
    var x: FieldElement, y: FieldElement, z: FieldElement, t: FieldElement

    @inline(__always)
    init(x: FieldElement, y: FieldElement, z: FieldElement, t: FieldElement) {
        (self.x, self.y, self.z, self.t) = (x, y, z, t)
    }

    /// The neutral element (0, 1).
    static let identity = EdwardsPoint(x: .zero, y: .one, z: .one, t: .zero)

    /// The base point B of RFC 8032 §5.1 (y = 4/5, x even).
    static let base = EdwardsPoint(decoding: Hex.decode("5866666666666666666666666666666666666666666666666666666666666666")!)!

    /// 2·P, RFC 8032 §5.1.4 doubling.
    @inline(__always)
    func doubled() -> EdwardsPoint {
        let a = x.squared()
        let b = y.squared()
        let zz = z.squared()
        let c = zz + zz
        let h = a + b
        let e = h - (x + y).squared()
        let g = a - b
        let f = c + g
        return EdwardsPoint(x: e * f, y: g * h, z: f * g, t: e * h)
    }

    /// P + Q with Q in cached form, RFC 8032 §5.1.4 addition.
    @inline(__always)
    static func + (p: EdwardsPoint, q: CachedPoint) -> EdwardsPoint {
        let a = (p.y - p.x) * q.yMinusX
        let b = (p.y + p.x) * q.yPlusX
        let c = p.t * q.t2d
        let d = p.z * q.z2
        let e = b - a
        let f = d - c
        let g = d + c
        let h = b + a
        return EdwardsPoint(x: e * f, y: g * h, z: f * g, t: e * h)
    }

    /// −P.
    var negated: EdwardsPoint { EdwardsPoint(x: -x, y: y, z: z, t: -t) }

    /// The point in the form that additions take.
    var cached: CachedPoint {
        CachedPoint(yPlusX: y + x, yMinusX: y - x, z2: z + z, t2d: t * FieldElement.d2)
    }

    /// The 32-byte encoding of RFC 8032 §5.1.2: y, with the low bit of x in bit 255.
    var encoded: [UInt8] {
        let zInverse = z.inverted()
        let affineX = x * zInverse
        var bytes = (y * zInverse).bytes
        bytes[31] |= UInt8(truncatingIfNeeded: affineX.isNegative << 7)
        return bytes
    }

    /// Decodes a point strictly (RFC 8032 §5.1.3): `nil` unless `bytes` is 32 bytes encoding a
    /// y below p (the canonical encoding) of a point on the curve, and unless x = 0 comes with a
    /// clear sign bit. Variable time: points decoded here are public (keys, R of a signature).
    init?(decoding bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        let y = bytes.withUnsafeBytes { FieldElement(bytes: $0) }
        var yBytes = bytes
        yBytes[31] &= 0x7f
        guard y.bytes == yBytes else { return nil }  // y ≥ p: a non-canonical encoding
        let sign = UInt64(bytes[31] >> 7)
        // x² = (y² − 1) / (d·y² + 1) = u / v; candidate root x = u·v³·(u·v⁷)^((p−5)/8).
        let yy = y.squared()
        let u = yy - .one
        let v = yy * FieldElement.d + .one
        let v3 = v.squared() * v
        var x = u * v3 * (u * v3.squared() * v).powP58()
        let check = v * x.squared()
        if check == u {
            // x is a root.
        } else if check == -u {
            x = x * FieldElement.sqrtMinusOne
        } else {
            return nil  // not on the curve
        }
        if x.isZero == 1, sign == 1 { return nil }  // "−0": a non-canonical encoding of x = 0
        if x.isNegative != sign { x = -x }
        self.init(x: x, y: y, z: .one, t: x * y)
    }

    /// Whether 8·P is the identity, i.e. P lies in the small subgroup of order dividing 8.
    var hasSmallOrder: Bool {
        let p8 = doubled().doubled().doubled()
        return p8.x.isZero == 1 && p8.y == p8.z
    }

    /// k·P for a public scalar (32 little-endian bytes), variable time: a 4-bit fixed window,
    /// most significant nibble first. For verification only.
    func multiplied(byPublicScalar scalar: [UInt8]) -> EdwardsPoint {
        var table = [CachedPoint](repeating: EdwardsPoint.identity.cached, count: 16)
        var multiple = EdwardsPoint.identity
        for index in 1..<16 {
            multiple = multiple + self.cached
            table[index] = multiple.cached
        }
        var result = EdwardsPoint.identity
        for position in stride(from: 63, through: 0, by: -1) {
            if position != 63 { result = result.doubled().doubled().doubled().doubled() }
            result = result + table[Int(Scalar.nibble(scalar, position))]
        }
        return result
    }

    /// k·B for a secret scalar (32 little-endian bytes, k < 2^256), in constant time.
    ///
    /// k = Σ kᵢ·16^i with 64 nibbles kᵢ; ``BaseTable`` holds j·16^i·B for every position i and
    /// every j in 0…15, so k·B is the sum of 64 table entries, no doubling needed. Each entry is
    /// chosen with ``CachedPoint/select(from:index:)``, which reads all 16 candidates of its
    /// position and keeps one with masks; the addition formula is complete, so the identity
    /// (kᵢ = 0) takes the same path as any other entry.
    static func baseMultiplied(bySecretScalar scalar: [UInt8]) -> EdwardsPoint {
        precondition(scalar.count == 32)
        var result = EdwardsPoint.identity
        BaseTable.entries.withUnsafeBufferPointer { entries in
            for position in 0..<64 {
                let nibble = Scalar.nibble(scalar, position)
                let row = UnsafeBufferPointer(rebasing: entries[(position * 16)..<(position * 16 + 16)])
                result = result + CachedPoint.select(from: row, index: nibble)
            }
        }
        return result
    }
}

/// A point prepared for addition: (Y + X, Y − X, 2·Z, 2·d·T).
struct CachedPoint: Sendable {
    var yPlusX: FieldElement, yMinusX: FieldElement, z2: FieldElement, t2d: FieldElement

    /// The entry of `row` at `index` (0…15), read in constant time: every entry is loaded and
    /// combined under a mask that is all ones only for the wanted one; neither a branch nor an
    /// address depends on `index`.
    ///
    /// The mask is XORed with ``constantTimeBarrier`` (always zero, but the optimiser cannot know
    /// that): without it, LLVM recognises "mask = all ones where candidate == index" and compiles
    /// the loop into a search that branches on `index` and loads only the wanted entry, which is
    /// what this function exists to avoid (seen in the x86-64 code before the barrier was added).
    @inline(__always)
    static func select(from row: UnsafeBufferPointer<CachedPoint>, index: UInt64) -> CachedPoint {
        let barrier = constantTimeBarrier
        var chosen = row[0]
        for candidate in 1..<16 {
            let difference = UInt64(candidate) ^ index
            let isWanted = ((difference | (0 &- difference)) >> 63) ^ 1  // 1 when equal, 0 otherwise
            let mask = (0 &- isWanted) ^ barrier
            let entry = row[candidate]
            chosen.yPlusX = .select(chosen.yPlusX, entry.yPlusX, mask: mask)
            chosen.yMinusX = .select(chosen.yMinusX, entry.yMinusX, mask: mask)
            chosen.z2 = .select(chosen.z2, entry.z2, mask: mask)
            chosen.t2d = .select(chosen.t2d, entry.t2d, mask: mask)
        }
        return chosen
    }
}

/// Always zero. A global with package visibility, so the optimiser cannot assume its value and
/// cannot turn masked selections into branches (see ``CachedPoint/select(from:index:)``). Never
/// written.
nonisolated(unsafe) package var constantTimeBarrier: UInt64 = 0

/// j·16^i·B for i in 0…63 and j in 0…15 (1,024 cached points, 160 KiB), built once on first use.
enum BaseTable {
    static let entries: [CachedPoint] = {
        var entries: [CachedPoint] = []
        entries.reserveCapacity(64 * 16)
        var power = EdwardsPoint.base  // 16^i·B
        for _ in 0..<64 {
            var multiple = EdwardsPoint.identity
            let step = power.cached
            for _ in 0..<16 {
                entries.append(multiple.cached)
                multiple = multiple + step
            }
            power = power.doubled().doubled().doubled().doubled()
        }
        return entries
    }()
}
