/// SHA-512 as specified in FIPS 180-4, incremental and one-shot (Ed25519 hashes with it).
///
/// The same shape as ``SHA256``: the pending partial block lives inline in the value, full blocks
/// are compressed straight from the caller's buffer, and no call allocates except the array
/// returned by ``finalize()``.
package struct SHA512: Sendable {
    /// The digest length in bytes.
    package static let digestByteCount = 64
    /// The block length in bytes.
    package static let blockByteCount = 128

    private var h0: UInt64 = 0x6a09_e667_f3bc_c908, h1: UInt64 = 0xbb67_ae85_84ca_a73b
    private var h2: UInt64 = 0x3c6e_f372_fe94_f82b, h3: UInt64 = 0xa54f_f53a_5f1d_36f1
    private var h4: UInt64 = 0x510e_527f_ade6_82d1, h5: UInt64 = 0x9b05_688c_2b3e_6c1f
    private var h6: UInt64 = 0x1f83_d9ab_fb41_bd6b, h7: UInt64 = 0x5be0_cd19_137e_2179
    /// The pending partial block (up to 127 bytes), stored inline.
    private var pending = Block()
    private var pendingCount = 0
    /// Total message length in bytes so far (messages up to 2^64 − 1 bytes are supported).
    private var length: UInt64 = 0

    /// Creates a hasher in the initial state.
    package init() {}

    /// The digest of `bytes` in one call.
    package static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA512()
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

    /// Adds raw bytes to the message.
    package mutating func update(_ input: UnsafeRawBufferPointer) {
        guard !input.isEmpty else { return }
        length &+= UInt64(input.count)
        var offset = 0
        if pendingCount > 0 {
            let take = min(SHA512.blockByteCount - pendingCount, input.count)
            let start = pendingCount
            withUnsafeMutableBytes(of: &pending) { block in
                for index in 0..<take { block[start + index] = input[index] }
            }
            pendingCount += take
            offset = take
            guard pendingCount == SHA512.blockByteCount else { return }
            let block = pending
            withUnsafeBytes(of: block) { compress(blocks: $0) }
            pendingCount = 0
        }
        let fullBlocks = (input.count - offset) / SHA512.blockByteCount * SHA512.blockByteCount
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

    /// Pads the message and returns its 64-byte digest. The hasher must not be used afterwards.
    package mutating func finalize() -> [UInt8] {
        // The length field is 128 bits; the high 64 bits hold the bits shifted out of `length * 8`.
        let bitLengthHigh = length >> 61
        let bitLengthLow = length &<< 3
        let count = pendingCount
        var block = pending
        var needsExtraBlock = false
        withUnsafeMutableBytes(of: &block) { bytes in
            bytes[count] = 0x80
            for index in (count + 1)..<SHA512.blockByteCount { bytes[index] = 0 }
            needsExtraBlock = count >= SHA512.blockByteCount - 16
            if !needsExtraBlock { SHA512.storeLength(high: bitLengthHigh, low: bitLengthLow, into: bytes) }
        }
        withUnsafeBytes(of: block) { compress(blocks: $0) }
        if needsExtraBlock {
            var last = Block()
            withUnsafeMutableBytes(of: &last) { SHA512.storeLength(high: bitLengthHigh, low: bitLengthLow, into: $0) }
            withUnsafeBytes(of: last) { compress(blocks: $0) }
        }
        let words = (h0.bigEndian, h1.bigEndian, h2.bigEndian, h3.bigEndian, h4.bigEndian, h5.bigEndian, h6.bigEndian, h7.bigEndian)
        return withUnsafeBytes(of: words) { Array($0) }
    }

    private static func storeLength(high: UInt64, low: UInt64, into block: UnsafeMutableRawBufferPointer) {
        block.storeBytes(of: high.bigEndian, toByteOffset: 112, as: UInt64.self)
        block.storeBytes(of: low.bigEndian, toByteOffset: 120, as: UInt64.self)
    }

    /// 128 bytes held inline.
    private struct Block {
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var more: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    private typealias State = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// Runs the compression function over `blocks`, whose length is a multiple of 128.
    private mutating func compress(blocks: UnsafeRawBufferPointer) {
        let state = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { schedule in
            SHA512.compress((h0, h1, h2, h3, h4, h5, h6, h7), blocks: blocks, schedule: schedule.baseAddress!)
        }
        (h0, h1, h2, h3, h4, h5, h6, h7) = state
    }

    /// The compression function proper; the working variables are locals, never captured, so they
    /// stay in registers. The rounds are unrolled sixteen at a time and the message schedule is a
    /// 16-word ring, each word computed just before the round that uses it (`W[t]` overwrites
    /// `W[t − 16]`), as in ``SHA256``.
    private static func compress(_ state: State, blocks: UnsafeRawBufferPointer, schedule w: UnsafeMutablePointer<UInt64>) -> State {
        var (a, b, c, d, e, f, g, h) = state
        SHA512.roundConstants.withUnsafeBufferPointer { constants in
            let k = constants.baseAddress!
            var base = 0
            while base + SHA512.blockByteCount <= blocks.count {
                let a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h
                for t in 0..<16 {
                    w[t] = UInt64(bigEndian: blocks.loadUnaligned(fromByteOffset: base + 8 * t, as: UInt64.self))
                }
                var bc = b ^ c
                SHA512.round(a, b, c, &d, e, f, g, &h, k[0] &+ w[0], &bc)
                SHA512.round(h, a, b, &c, d, e, f, &g, k[1] &+ w[1], &bc)
                SHA512.round(g, h, a, &b, c, d, e, &f, k[2] &+ w[2], &bc)
                SHA512.round(f, g, h, &a, b, c, d, &e, k[3] &+ w[3], &bc)
                SHA512.round(e, f, g, &h, a, b, c, &d, k[4] &+ w[4], &bc)
                SHA512.round(d, e, f, &g, h, a, b, &c, k[5] &+ w[5], &bc)
                SHA512.round(c, d, e, &f, g, h, a, &b, k[6] &+ w[6], &bc)
                SHA512.round(b, c, d, &e, f, g, h, &a, k[7] &+ w[7], &bc)
                SHA512.round(a, b, c, &d, e, f, g, &h, k[8] &+ w[8], &bc)
                SHA512.round(h, a, b, &c, d, e, f, &g, k[9] &+ w[9], &bc)
                SHA512.round(g, h, a, &b, c, d, e, &f, k[10] &+ w[10], &bc)
                SHA512.round(f, g, h, &a, b, c, d, &e, k[11] &+ w[11], &bc)
                SHA512.round(e, f, g, &h, a, b, c, &d, k[12] &+ w[12], &bc)
                SHA512.round(d, e, f, &g, h, a, b, &c, k[13] &+ w[13], &bc)
                SHA512.round(c, d, e, &f, g, h, a, &b, k[14] &+ w[14], &bc)
                SHA512.round(b, c, d, &e, f, g, h, &a, k[15] &+ w[15], &bc)
                var t = 16
                while t < 80 {
                    SHA512.round(a, b, c, &d, e, f, g, &h, k[t + 0] &+ SHA512.schedule(w, 0), &bc)
                    SHA512.round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ SHA512.schedule(w, 1), &bc)
                    SHA512.round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ SHA512.schedule(w, 2), &bc)
                    SHA512.round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ SHA512.schedule(w, 3), &bc)
                    SHA512.round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ SHA512.schedule(w, 4), &bc)
                    SHA512.round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ SHA512.schedule(w, 5), &bc)
                    SHA512.round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ SHA512.schedule(w, 6), &bc)
                    SHA512.round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ SHA512.schedule(w, 7), &bc)
                    SHA512.round(a, b, c, &d, e, f, g, &h, k[t + 8] &+ SHA512.schedule(w, 8), &bc)
                    SHA512.round(h, a, b, &c, d, e, f, &g, k[t + 9] &+ SHA512.schedule(w, 9), &bc)
                    SHA512.round(g, h, a, &b, c, d, e, &f, k[t + 10] &+ SHA512.schedule(w, 10), &bc)
                    SHA512.round(f, g, h, &a, b, c, d, &e, k[t + 11] &+ SHA512.schedule(w, 11), &bc)
                    SHA512.round(e, f, g, &h, a, b, c, &d, k[t + 12] &+ SHA512.schedule(w, 12), &bc)
                    SHA512.round(d, e, f, &g, h, a, b, &c, k[t + 13] &+ SHA512.schedule(w, 13), &bc)
                    SHA512.round(c, d, e, &f, g, h, a, &b, k[t + 14] &+ SHA512.schedule(w, 14), &bc)
                    SHA512.round(b, c, d, &e, f, g, h, &a, k[t + 15] &+ SHA512.schedule(w, 15), &bc)
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
                base += SHA512.blockByteCount
            }
        }
        return (a, b, c, d, e, f, g, h)
    }

    /// Computes the next schedule word into ring slot `i` and returns it:
    /// `W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16]`, where slot `i` holds `W[t−16]`.
    @inline(__always)
    private static func schedule(_ w: UnsafeMutablePointer<UInt64>, _ i: Int) -> UInt64 {
        let x = w[(i + 1) & 15], y = w[(i + 14) & 15]
        let s0 = (x.rotatedRight(7) ^ x).rotatedRight(1) ^ (x &>> 7)  // ROTR¹ ⊕ ROTR⁸ ⊕ SHR⁷
        let s1 = (y.rotatedRight(42) ^ y).rotatedRight(19) ^ (y &>> 6)  // ROTR¹⁹ ⊕ ROTR⁶¹ ⊕ SHR⁶
        let next = w[i] &+ s0 &+ w[(i + 9) & 15] &+ s1
        w[i] = next
        return next
    }

    /// One round, with the working variables passed in their rotated roles and `bc` carrying
    /// `b ⊕ c` into the round and `a ⊕ b` out of it (see ``SHA256``).
    @inline(__always)
    private static func round(
        _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: inout UInt64, _ e: UInt64, _ f: UInt64, _ g: UInt64, _ h: inout UInt64,
        _ kw: UInt64, _ bc: inout UInt64
    ) {
        let sigma1 = ((e.rotatedRight(23) ^ e).rotatedRight(4) ^ e).rotatedRight(14)  // ROTR¹⁴ ⊕ ROTR¹⁸ ⊕ ROTR⁴¹
        let choice = g ^ (e & (f ^ g))
        let temp1 = h &+ sigma1 &+ choice &+ kw
        let sigma0 = ((a.rotatedRight(5) ^ a).rotatedRight(6) ^ a).rotatedRight(28)  // ROTR²⁸ ⊕ ROTR³⁴ ⊕ ROTR³⁹
        let ab = a ^ b
        let majority = b ^ (ab & bc)
        bc = ab
        d &+= temp1
        h = temp1 &+ sigma0 &+ majority
    }

    private static let roundConstants: [UInt64] = [
        0x428a_2f98_d728_ae22, 0x7137_4491_23ef_65cd, 0xb5c0_fbcf_ec4d_3b2f, 0xe9b5_dba5_8189_dbbc,
        0x3956_c25b_f348_b538, 0x59f1_11f1_b605_d019, 0x923f_82a4_af19_4f9b, 0xab1c_5ed5_da6d_8118,
        0xd807_aa98_a303_0242, 0x1283_5b01_4570_6fbe, 0x2431_85be_4ee4_b28c, 0x550c_7dc3_d5ff_b4e2,
        0x72be_5d74_f27b_896f, 0x80de_b1fe_3b16_96b1, 0x9bdc_06a7_25c7_1235, 0xc19b_f174_cf69_2694,
        0xe49b_69c1_9ef1_4ad2, 0xefbe_4786_384f_25e3, 0x0fc1_9dc6_8b8c_d5b5, 0x240c_a1cc_77ac_9c65,
        0x2de9_2c6f_592b_0275, 0x4a74_84aa_6ea6_e483, 0x5cb0_a9dc_bd41_fbd4, 0x76f9_88da_8311_53b5,
        0x983e_5152_ee66_dfab, 0xa831_c66d_2db4_3210, 0xb003_27c8_98fb_213f, 0xbf59_7fc7_beef_0ee4,
        0xc6e0_0bf3_3da8_8fc2, 0xd5a7_9147_930a_a725, 0x06ca_6351_e003_826f, 0x1429_2967_0a0e_6e70,
        0x27b7_0a85_46d2_2ffc, 0x2e1b_2138_5c26_c926, 0x4d2c_6dfc_5ac4_2aed, 0x5338_0d13_9d95_b3df,
        0x650a_7354_8baf_63de, 0x766a_0abb_3c77_b2a8, 0x81c2_c92e_47ed_aee6, 0x9272_2c85_1482_353b,
        0xa2bf_e8a1_4cf1_0364, 0xa81a_664b_bc42_3001, 0xc24b_8b70_d0f8_9791, 0xc76c_51a3_0654_be30,
        0xd192_e819_d6ef_5218, 0xd699_0624_5565_a910, 0xf40e_3585_5771_202a, 0x106a_a070_32bb_d1b8,
        0x19a4_c116_b8d2_d0c8, 0x1e37_6c08_5141_ab53, 0x2748_774c_df8e_eb99, 0x34b0_bcb5_e19b_48a8,
        0x391c_0cb3_c5c9_5a63, 0x4ed8_aa4a_e341_8acb, 0x5b9c_ca4f_7763_e373, 0x682e_6ff3_d6b2_b8a3,
        0x748f_82ee_5def_b2fc, 0x78a5_636f_4317_2f60, 0x84c8_7814_a1f0_ab72, 0x8cc7_0208_1a64_39ec,
        0x90be_fffa_2363_1e28, 0xa450_6ceb_de82_bde9, 0xbef9_a3f7_b2c6_7915, 0xc671_78f2_e372_532b,
        0xca27_3ece_ea26_619c, 0xd186_b8c7_21c0_c207, 0xeada_7dd6_cde0_eb1e, 0xf57d_4f7f_ee6e_d178,
        0x06f0_67aa_7217_6fba, 0x0a63_7dc5_a2c8_98a6, 0x113f_9804_bef9_0dae, 0x1b71_0b35_131c_471b,
        0x28db_77f5_2304_7d84, 0x32ca_ab7b_40c7_2493, 0x3c9e_be0a_15c9_bebc, 0x431d_67c4_9c10_0d4c,
        0x4cc5_d4be_cb3e_42b6, 0x597f_299c_fc65_7e2a, 0x5fcb_6fab_3ad6_faec, 0x6c44_198c_4a47_5817,
    ]
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedRight(_ count: UInt64) -> UInt64 { (self &>> count) | (self &<< (64 &- count)) }
}
