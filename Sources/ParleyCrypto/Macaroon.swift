/// A macaroon (Birgisson et al., 2014) in the form libmacaroons and pymacaroons compute it.
///
/// The signature chain: `sig₀ = HMAC(derive(rootKey), identifier)`; for each caveat in order,
/// a first-party caveat gives `sigᵢ = HMAC(sigᵢ₋₁, caveatId)` and a third-party caveat gives
/// `sigᵢ = HMAC(sigᵢ₋₁, HMAC(sigᵢ₋₁, vid) ‖ HMAC(sigᵢ₋₁, caveatId))`. The location of the
/// macaroon and of its caveats is a hint and is not signed.
package struct Macaroon: Hashable, Sendable {
    /// One caveat. A first-party caveat has no verification id and no location.
    package struct Caveat: Hashable, Sendable {
        /// The caveat identifier: the predicate text for a first-party caveat.
        package var identifier: [UInt8]
        /// The verification id; non-nil exactly for third-party caveats.
        package var verificationID: [UInt8]?
        /// The location hint of a third-party caveat.
        package var location: [UInt8]?

        /// Creates a caveat.
        package init(identifier: [UInt8], verificationID: [UInt8]? = nil, location: [UInt8]? = nil) {
            self.identifier = identifier
            self.verificationID = verificationID
            self.location = location
        }

        /// Whether this is a first-party caveat (a predicate checked by the verifier itself).
        package var isFirstParty: Bool { verificationID == nil }
    }

    /// The location hint (may be empty); not covered by the signature.
    package var location: [UInt8]
    /// The identifier, which the root key holder uses to find the key and (in Parley) the revocation state.
    package var identifier: [UInt8]
    /// The caveats, in the order they were added.
    package private(set) var caveats: [Caveat]
    /// The 32-byte signature: the end of the HMAC chain.
    package private(set) var signature: [UInt8]

    /// Mints a macaroon the way libmacaroons' `macaroon_create` does: the chain starts from the derived key.
    package init(rootKey: some Sequence<UInt8>, identifier: [UInt8], location: [UInt8]) {
        self.init(rawKey: Macaroon.derivedKey(from: rootKey), identifier: identifier, location: location)
    }

    /// Mints a macaroon from an already derived 32-byte key (libmacaroons' `macaroon_create_raw`).
    package init(rawKey: [UInt8], identifier: [UInt8], location: [UInt8]) {
        self.init(keyedBy: HMACSHA256(key: rawKey), identifier: identifier, location: location)
    }

    /// Mints a macaroon from an authenticator already keyed with the derived key; keep one per
    /// key to mint many macaroons without hashing the HMAC pads each time.
    package init(keyedBy key: HMACSHA256, identifier: [UInt8], location: [UInt8]) {
        self.location = location
        self.identifier = identifier
        self.caveats = []
        var mac = key
        mac.update(identifier)
        self.signature = mac.finalizeDigest().bytes
    }

    /// An authenticator keyed with `rawKey`, for ``init(keyedBy:identifier:location:)`` and ``expectedSignature(keyedBy:)``.
    package static func keyed(rawKey: [UInt8]) -> HMACSHA256 { HMACSHA256(key: rawKey) }

    /// A macaroon exactly as parsed, signature included; nothing is checked.
    package init(location: [UInt8], identifier: [UInt8], caveats: [Caveat], signature: [UInt8]) {
        self.location = location
        self.identifier = identifier
        self.caveats = caveats
        self.signature = signature
    }

    /// libmacaroons' key derivation: `HMAC-SHA256(key: "macaroons-key-generator" zero-padded to 32 bytes, message: rootKey)`.
    package static func derivedKey(from rootKey: some Sequence<UInt8>) -> [UInt8] {
        var generator = Array("macaroons-key-generator".utf8)
        generator += [UInt8](repeating: 0, count: 32 - generator.count)
        return HMACSHA256.authenticationCode(for: rootKey, key: generator)
    }

    /// Returns a copy with a first-party caveat appended and the signature extended.
    package func addingFirstPartyCaveat(_ predicate: [UInt8]) -> Macaroon {
        var copy = self
        copy.appendFirstPartyCaveat(predicate)
        return copy
    }

    /// Appends a first-party caveat and extends the signature, in place.
    package mutating func appendFirstPartyCaveat(_ predicate: [UInt8]) {
        caveats.append(Caveat(identifier: predicate))
        var mac = signature.withUnsafeBytes { HMACSHA256(key: $0) }
        mac.update(predicate)
        let next = mac.finalizeDigest()
        guard signature.count == SHA256.digestByteCount else { return signature = next.bytes }
        next.withUnsafeBytes { digest in
            signature.withUnsafeMutableBytes { $0.copyMemory(from: digest) }
        }
    }

    /// The signature the chain yields from `rootKey` (derived as libmacaroons does) over this identifier and caveats.
    package func expectedSignature(rootKey: some Sequence<UInt8>) -> [UInt8] {
        expectedSignature(rawKey: Macaroon.derivedKey(from: rootKey))
    }

    /// The signature the chain yields from an already derived key.
    package func expectedSignature(rawKey: [UInt8]) -> [UInt8] {
        expectedSignature(keyedBy: HMACSHA256(key: rawKey))
    }

    /// The signature the chain yields from an authenticator keyed with the derived key.
    package func expectedSignature(keyedBy key: HMACSHA256) -> [UInt8] {
        var mac = key
        mac.update(identifier)
        var current = mac.finalizeDigest()
        for caveat in caveats {
            current = Macaroon.chain(current, caveat)
        }
        return current.bytes
    }

    /// Whether the signature matches the chain from `rootKey`, compared in constant time.
    package func hasValidSignature(rootKey: some Sequence<UInt8>) -> Bool {
        constantTimeEquals(expectedSignature(rootKey: rootKey), signature)
    }

    /// One step of the chain, without heap allocation: the next signature after `signature`.
    private static func chain(_ signature: SHA256.Digest, _ caveat: Caveat) -> SHA256.Digest {
        let keyed = signature.withUnsafeBytes { HMACSHA256(key: $0) }
        guard let verificationID = caveat.verificationID else {
            var mac = keyed
            mac.update(caveat.identifier)
            return mac.finalizeDigest()
        }
        var first = keyed
        first.update(verificationID)
        var second = keyed
        second.update(caveat.identifier)
        var combined = keyed
        first.finalizeDigest().withUnsafeBytes { combined.update($0) }
        second.finalizeDigest().withUnsafeBytes { combined.update($0) }
        return combined.finalizeDigest()
    }
}
