/// Ed25519 signatures (RFC 8032 §5.1): key generation from a 32-byte seed, signing, and strict
/// verification.
///
/// ## Constant time: how it was ensured, and how to review it
///
/// Secret values are the seed, its SHA-512 digest, the clamped scalar `s`, the `prefix`, and the
/// per-signature nonce `r`. Every function that touches them is written so that neither a branch
/// nor a memory address depends on them:
///
/// - Field arithmetic (``FieldElement``) is straight-line code: limb products with
///   `multipliedFullWidth`, carries by shifts and masks, the carry out of a 64-bit addition
///   computed from the operands' top bits (``Wide/add(_:_:)``), never by comparison.
/// - Scalar multiplication of the base point by a secret (``EdwardsPoint/baseMultiplied(bySecretScalar:)``)
///   is a fixed window of 4 bits over all 64 nibbles: every nibble costs one table selection and
///   one addition, whatever its value. The selection (``CachedPoint/select(from:index:)``) reads all
///   16 entries of the row and keeps one under an all-ones/all-zeros mask; the addition formula is
///   complete, so adding the identity for a zero nibble is the same computation.
/// - Reduction modulo L (``Scalar``) runs fixed loops over signed limbs, with arithmetic shifts for
///   carries and no early exit.
/// - SHA-512 has no data-dependent branches or table lookups (its constant table is indexed by the
///   round number).
///
/// Variable-time code is confined to public data and named so: point decoding, the small-order
/// test, ``EdwardsPoint/multiplied(byPublicScalar:)`` and ``Scalar/isCanonical(_:)`` run only in
/// verification, and the final encoding's inversion, while constant time, only ever sees public
/// points (the public key, R).
///
/// Review: (1) every `if`, `while`, `guard`, `?:`, `&&`, `||`, `min`/`max` and subscript in the
/// files `Ed25519*.swift` was checked to depend only on lengths, loop counters, positions or
/// public values; (2) the only secret-derived indices are nibbles, which reach memory only through
/// `select`, which reads a fixed range; (3) the x86-64 code that `swiftc -O` (Swift 6.3.1) makes of
/// the signing path was read. That reading found a real problem: LLVM had compiled the masked
/// selection into a loop that searched for the wanted entry, branching on the secret nibble and
/// loading only that entry. The mask now passes through ``constantTimeBarrier``, a global the
/// optimiser cannot see through, and the code is straight masked loads over all 16 entries, with
/// branches only on the loop counters; `Scalar`'s reduction and multiplication branch only on
/// counters, array bounds and buffer checks. `Tests/constant-time-check.sh` repeats the check on
/// the selection; re-read the generated code after changing these files or the toolchain. (4) The signing path is covered by the RFC 8032 vectors and the
/// cross-check with an independent implementation (Python `cryptography`, OpenSSL) over 10,000
/// random keys. What this cannot promise: that every compiler and target keeps masks as masks
/// (Swift gives no guarantee; only x86-64 was read), and that the secrets, held in Swift arrays,
/// are wiped from memory when released (they are not).
///
/// ## Verification rule (Spec/SIGNATURES.md)
///
/// A signature (R, S) on message M under public key A is accepted exactly when:
/// 1. A and the signature have the right lengths (32 and 64 bytes);
/// 2. S < L (a canonical scalar);
/// 3. A and R are canonical encodings of curve points (y < p, and no "−0" for x = 0);
/// 4. neither A nor R has small order (8·P ≠ identity);
/// 5. the encoding of [S]B − [k]A equals R byte for byte, where k = SHA-512(R ‖ A ‖ M) mod L
///    (the cofactorless equation).
package enum Ed25519 {
    /// The length of a seed (the private key of RFC 8032), in bytes.
    package static let seedByteCount = 32
    /// The length of a public key, in bytes.
    package static let publicKeyByteCount = 32
    /// The length of a signature, in bytes.
    package static let signatureByteCount = 64

    /// A private key expanded from its seed (RFC 8032 §5.1.5): the clamped scalar, the prefix
    /// used to derive nonces, and the public key. Holds secrets: it has no textual description.
    package struct ExpandedKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        private let scalar: [UInt8]
        private let prefix: [UInt8]
        /// The 32-byte public key A = [s]B.
        package let publicKey: [UInt8]

        /// Expands a 32-byte seed.
        package init(seed: [UInt8]) {
            precondition(seed.count == Ed25519.seedByteCount, "an Ed25519 seed is 32 bytes")
            let digest = SHA512.hash(seed)
            var scalar = Array(digest[0..<32])
            scalar[0] &= 248
            scalar[31] &= 127
            scalar[31] |= 64
            self.scalar = scalar
            self.prefix = Array(digest[32..<64])
            self.publicKey = EdwardsPoint.baseMultiplied(bySecretScalar: scalar).encoded
        }

        /// The 64-byte signature of `message` (RFC 8032 §5.1.6). Deterministic: the same key and
        /// message always give the same signature.
        package func signature(for message: some Collection<UInt8>) -> [UInt8] {
            var nonceHash = SHA512()
            nonceHash.update(prefix)
            nonceHash.update(message)
            let nonce = Scalar.reduce(wide: nonceHash.finalize())
            let commitment = EdwardsPoint.baseMultiplied(bySecretScalar: nonce).encoded
            let challenge = Ed25519.challenge(commitment: commitment, publicKey: publicKey, message: message)
            let response = Scalar.multiplyAdd(challenge, scalar, nonce)
            return commitment + response
        }

        /// Never prints the secret parts.
        package var description: String { "Ed25519.ExpandedKey(public: \(Hex.encode(publicKey)))" }
        /// The same as ``description``.
        package var debugDescription: String { description }
        /// A mirror showing only the public key, so `dump` shows no secret.
        package var customMirror: Mirror { Mirror(self, children: ["publicKey": Hex.encode(publicKey)], displayStyle: .struct) }
    }

    /// Whether `publicKey` is acceptable under the verification rule: 32 bytes, a canonical
    /// encoding of a curve point, not of small order.
    package static func isValidPublicKey(_ publicKey: [UInt8]) -> Bool {
        guard let point = EdwardsPoint(decoding: publicKey) else { return false }
        return !point.hasSmallOrder
    }

    /// Verifies `signature` on `message` under `publicKey` with the strict rule above. Variable
    /// time (all inputs are public).
    package static func isValidSignature(_ signature: [UInt8], for message: some Collection<UInt8>, publicKey: [UInt8]) -> Bool {
        guard signature.count == signatureByteCount, publicKey.count == publicKeyByteCount else { return false }
        let commitment = Array(signature[0..<32])
        let response = Array(signature[32..<64])
        guard Scalar.isCanonical(response) else { return false }
        guard let a = EdwardsPoint(decoding: publicKey), !a.hasSmallOrder else { return false }
        guard let r = EdwardsPoint(decoding: commitment), !r.hasSmallOrder else { return false }
        let challenge = challenge(commitment: commitment, publicKey: publicKey, message: message)
        let sB = EdwardsPoint.baseMultiplied(bySecretScalar: response)
        let kA = a.negated.multiplied(byPublicScalar: challenge)
        let expected = sB + kA.cached
        return expected.encoded == commitment
    }

    /// k = SHA-512(R ‖ A ‖ M) mod L.
    private static func challenge(commitment: [UInt8], publicKey: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
        var hash = SHA512()
        hash.update(commitment)
        hash.update(publicKey)
        hash.update(message)
        return Scalar.reduce(wide: hash.finalize())
    }
}
