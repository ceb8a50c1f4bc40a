/// SHA-256 as specified in FIPS 180-4, incremental and one-shot.
///
/// Pure Swift, no allocation per block: the pending partial block lives inline in the value.
/// Feed bytes with ``update(_:)-(UnsafeRawBufferPointer)`` (or the array/string conveniences), then call ``finalize()`` once.
package struct SHA256: Sendable {
    /// The digest length in bytes.
    package static let digestByteCount = 32
    /// The block length in bytes (what HMAC pads its key to).
    package static let blockByteCount = 64

    private var h0: UInt32 = 0x6a09_e667, h1: UInt32 = 0xbb67_ae85, h2: UInt32 = 0x3c6e_f372, h3: UInt32 = 0xa54f_f53a
    private var h4: UInt32 = 0x510e_527f, h5: UInt32 = 0x9b05_688c, h6: UInt32 = 0x1f83_d9ab, h7: UInt32 = 0x5be0_cd19
    /// The pending partial block (up to 63 bytes), stored inline.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    /// Total message length in bytes so far.
    private var length: UInt64 = 0

    /// Creates a hasher in the initial state.
    package init() {}

    /// The digest of `bytes` in one call.
    package static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Adds `bytes` to the message.
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            self.update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { self.update($0) }
        }
    }

    /// Adds the UTF-8 bytes of `text` to the message.
    package mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { self.update(UnsafeRawBufferPointer($0)) }
    }

    /// Adds raw bytes to the message.
    package mutating func update(_ input: UnsafeRawBufferPointer) {
        guard !input.isEmpty else { return }
        length &+= UInt64(input.count)
        var offset = 0
        if pendingCount > 0 {
            let take = min(SHA256.blockByteCount - pendingCount, input.count)
            let start = pendingCount
            withUnsafeMutableBytes(of: &pending) { block in
                for index in 0..<take { block[start + index] = input[index] }
            }
            pendingCount += take
            offset = take
            guard pendingCount == SHA256.blockByteCount else { return }
            let block = pending
            withUnsafeBytes(of: block) { compress(blocks: $0) }
            pendingCount = 0
        }
        let fullBlocks = (input.count - offset) / SHA256.blockByteCount * SHA256.blockByteCount
        if fullBlocks > 0 {
            compress(blocks: UnsafeRawBufferPointer(rebasing: input[offset..<(offset + fullBlocks)]))
            offset += fullBlocks
        }
        let rest = input.count - offset
        if rest > 0 {
            withUnsafeMutableBytes(of: &pending) { block in
                for index in 0..<rest { block[index] = input[offset + index] }
            }
            pendingCount = rest
        }
    }

    /// A 32-byte digest held inline, so that chains of hashes (HMAC, macaroon signatures) need
    /// no heap allocation per step.
    package struct Digest: Sendable {
        fileprivate var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        /// The digest's bytes, in order.
        package var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

        /// Calls `body` with the digest's 32 bytes.
        package func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
            try Swift.withUnsafeBytes(of: storage, body)
        }
    }

    /// Pads the message and returns its 32-byte digest. The hasher must not be used afterwards.
    package mutating func finalize() -> [UInt8] { finalizeDigest().bytes }

    /// Pads the message and returns its digest inline. The hasher must not be used afterwards.
    package mutating func finalizeDigest() -> Digest {
        let bitLength = length &* 8
        let count = pendingCount
        var block = pending
        var needsExtraBlock = false
        withUnsafeMutableBytes(of: &block) { bytes in
            bytes[count] = 0x80
            for index in (count + 1)..<SHA256.blockByteCount { bytes[index] = 0 }
            needsExtraBlock = count >= 56
            if !needsExtraBlock { SHA256.storeLength(bitLength, into: bytes) }
        }
        withUnsafeBytes(of: block) { compress(blocks: $0) }
        if needsExtraBlock {
            var last: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &last) { SHA256.storeLength(bitLength, into: $0) }
            withUnsafeBytes(of: last) { compress(blocks: $0) }
        }
        var digest = Digest()
        let words = (h0.bigEndian, h1.bigEndian, h2.bigEndian, h3.bigEndian, h4.bigEndian, h5.bigEndian, h6.bigEndian, h7.bigEndian)
        withUnsafeMutableBytes(of: &digest.storage) { $0.storeBytes(of: words, as: State.self) }
        return digest
    }

    private static func storeLength(_ bitLength: UInt64, into block: UnsafeMutableRawBufferPointer) {
        for index in 0..<8 { block[56 + index] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(index))) }
    }

    /// Runs the compression function over `blocks`, whose length is a multiple of 64.
    private mutating func compress(blocks: UnsafeRawBufferPointer) {
        let state = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { schedule in
            SHA256.compress((h0, h1, h2, h3, h4, h5, h6, h7), blocks: blocks, schedule: schedule.baseAddress!)
        }
        (h0, h1, h2, h3, h4, h5, h6, h7) = state
    }

    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The compression function proper. The working variables are locals of this function, never
    /// captured by a closure, so that they stay in registers.
    ///
    /// The 64 rounds are unrolled sixteen at a time, so the working variables never move between
    /// registers: each round renames them instead. The message schedule is a ring of 16 words,
    /// each computed just before the round that uses it (`W[t]` overwrites `W[t − 16]`), which
    /// gives the processor independent work to overlap with the rounds' dependency chain.
    private static func compress(_ state: State, blocks: UnsafeRawBufferPointer, schedule w: UnsafeMutablePointer<UInt32>) -> State {
        var (a, b, c, d, e, f, g, h) = state
        SHA256.roundConstants.withUnsafeBufferPointer { constants in
            let k = constants.baseAddress!
            var base = 0
            while base + SHA256.blockByteCount <= blocks.count {
                let a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h
                for t in 0..<16 {
                    w[t] = UInt32(bigEndian: blocks.loadUnaligned(fromByteOffset: base + 4 * t, as: UInt32.self))
                }
                var bc = b ^ c
                SHA256.round(a, b, c, &d, e, f, g, &h, k[0] &+ w[0], &bc)
                SHA256.round(h, a, b, &c, d, e, f, &g, k[1] &+ w[1], &bc)
                SHA256.round(g, h, a, &b, c, d, e, &f, k[2] &+ w[2], &bc)
                SHA256.round(f, g, h, &a, b, c, d, &e, k[3] &+ w[3], &bc)
                SHA256.round(e, f, g, &h, a, b, c, &d, k[4] &+ w[4], &bc)
                SHA256.round(d, e, f, &g, h, a, b, &c, k[5] &+ w[5], &bc)
                SHA256.round(c, d, e, &f, g, h, a, &b, k[6] &+ w[6], &bc)
                SHA256.round(b, c, d, &e, f, g, h, &a, k[7] &+ w[7], &bc)
                SHA256.round(a, b, c, &d, e, f, g, &h, k[8] &+ w[8], &bc)
                SHA256.round(h, a, b, &c, d, e, f, &g, k[9] &+ w[9], &bc)
                SHA256.round(g, h, a, &b, c, d, e, &f, k[10] &+ w[10], &bc)
                SHA256.round(f, g, h, &a, b, c, d, &e, k[11] &+ w[11], &bc)
                SHA256.round(e, f, g, &h, a, b, c, &d, k[12] &+ w[12], &bc)
                SHA256.round(d, e, f, &g, h, a, b, &c, k[13] &+ w[13], &bc)
                SHA256.round(c, d, e, &f, g, h, a, &b, k[14] &+ w[14], &bc)
                SHA256.round(b, c, d, &e, f, g, h, &a, k[15] &+ w[15], &bc)
                var t = 16
                while t < 64 {
                    SHA256.round(a, b, c, &d, e, f, g, &h, k[t] &+ SHA256.schedule(w, 0), &bc)
                    SHA256.round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ SHA256.schedule(w, 1), &bc)
                    SHA256.round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ SHA256.schedule(w, 2), &bc)
                    SHA256.round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ SHA256.schedule(w, 3), &bc)
                    SHA256.round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ SHA256.schedule(w, 4), &bc)
                    SHA256.round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ SHA256.schedule(w, 5), &bc)
                    SHA256.round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ SHA256.schedule(w, 6), &bc)
                    SHA256.round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ SHA256.schedule(w, 7), &bc)
                    SHA256.round(a, b, c, &d, e, f, g, &h, k[t + 8] &+ SHA256.schedule(w, 8), &bc)
                    SHA256.round(h, a, b, &c, d, e, f, &g, k[t + 9] &+ SHA256.schedule(w, 9), &bc)
                    SHA256.round(g, h, a, &b, c, d, e, &f, k[t + 10] &+ SHA256.schedule(w, 10), &bc)
                    SHA256.round(f, g, h, &a, b, c, d, &e, k[t + 11] &+ SHA256.schedule(w, 11), &bc)
                    SHA256.round(e, f, g, &h, a, b, c, &d, k[t + 12] &+ SHA256.schedule(w, 12), &bc)
                    SHA256.round(d, e, f, &g, h, a, b, &c, k[t + 13] &+ SHA256.schedule(w, 13), &bc)
                    SHA256.round(c, d, e, &f, g, h, a, &b, k[t + 14] &+ SHA256.schedule(w, 14), &bc)
                    SHA256.round(b, c, d, &e, f, g, h, &a, k[t + 15] &+ SHA256.schedule(w, 15), &bc)
                    t += 16
                }
                a &+= a0
                b &+= b0
                c &+= c0
                d &+= d0
                e &+= e0
                f &+= f0
                g &+= g0
                h &+= h0
                base += SHA256.blockByteCount
            }
        }
        return (a, b, c, d, e, f, g, h)
    }

    /// Computes the next schedule word into ring slot `i` and returns it:
    /// `W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16]`, where slot `i` holds `W[t−16]`.
    @inline(__always)
    private static func schedule(_ w: UnsafeMutablePointer<UInt32>, _ i: Int) -> UInt32 {
        let x = w[(i + 1) & 15], y = w[(i + 14) & 15]
        let s0 = (x.rotatedRight(11) ^ x).rotatedRight(7) ^ (x &>> 3)  // ROTR⁷ ⊕ ROTR¹⁸ ⊕ SHR³
        let s1 = (y.rotatedRight(2) ^ y).rotatedRight(17) ^ (y &>> 10)  // ROTR¹⁷ ⊕ ROTR¹⁹ ⊕ SHR¹⁰
        let next = w[i] &+ s0 &+ w[(i + 9) & 15] &+ s1
        w[i] = next
        return next
    }

    /// One round, with the working variables passed in their rotated roles: `d` gains `T1` and
    /// `h` becomes `T1 + T2` (the new `a`); the caller renames the rest. `kw` is `K[t] + W[t]`.
    /// `bc` holds `b ⊕ c` on entry and `a ⊕ b` on return (the next round's `b ⊕ c`), so that
    /// Maj(a, b, c) = b ⊕ ((a ⊕ b) ∧ (b ⊕ c)) costs three operations. The Σ functions are nested
    /// rotations (Σ1(e) = ROTR⁶(ROTR⁵(ROTR¹⁴(e) ⊕ e) ⊕ e)), which need fewer register copies.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
        _ kw: UInt32, _ bc: inout UInt32
    ) {
        let sigma1 = ((e.rotatedRight(14) ^ e).rotatedRight(5) ^ e).rotatedRight(6)
        let choice = g ^ (e & (f ^ g))
        let temp1 = h &+ sigma1 &+ choice &+ kw
        let sigma0 = ((a.rotatedRight(9) ^ a).rotatedRight(11) ^ a).rotatedRight(2)
        let ab = a ^ b
        let majority = b ^ (ab & bc)
        bc = ab
        d &+= temp1
        h = temp1 &+ sigma0 &+ majority
    }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 { (self &>> count) | (self &<< (32 &- count)) }
}
