/// HMAC-SHA256 as specified in RFC 2104 / FIPS 198-1, incremental and one-shot.
///
/// A freshly keyed value holds the hash states after the inner and outer pads, so keep one and
/// copy it to authenticate many messages under the same key without hashing the pads again.
package struct HMACSHA256: Sendable {
    private var inner: SHA256
    private var outer: SHA256

    /// Creates an authenticator keyed with `key` (any length; keys longer than 64 bytes are hashed first).
    package init(key: some Sequence<UInt8>) {
        let done: HMACSHA256? = key.withContiguousStorageIfAvailable { HMACSHA256(key: UnsafeRawBufferPointer($0)) }
        if let done {
            self = done
        } else {
            self = Array(key).withUnsafeBytes { HMACSHA256(key: $0) }
        }
    }

    /// Creates an authenticator keyed with raw bytes.
    package init(key: UnsafeRawBufferPointer) {
        guard key.count <= SHA256.blockByteCount else {
            self = SHA256.hash(key).withUnsafeBytes { HMACSHA256(key: $0) }
            return
        }
        var innerPad: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &innerPad) { $0.copyMemory(from: key) }
        var outerPad = innerPad
        withUnsafeMutableBytes(of: &innerPad) { inner in
            withUnsafeMutableBytes(of: &outerPad) { outer in
                for offset in stride(from: 0, to: SHA256.blockByteCount, by: 8) {
                    inner.storeBytes(
                        of: inner.load(fromByteOffset: offset, as: UInt64.self) ^ 0x3636_3636_3636_3636, toByteOffset: offset,
                        as: UInt64.self)
                    outer.storeBytes(
                        of: outer.load(fromByteOffset: offset, as: UInt64.self) ^ 0x5c5c_5c5c_5c5c_5c5c, toByteOffset: offset,
                        as: UInt64.self)
                }
            }
        }
        var innerHash = SHA256()
        withUnsafeBytes(of: innerPad) { innerHash.update($0) }
        var outerHash = SHA256()
        withUnsafeBytes(of: outerPad) { outerHash.update($0) }
        inner = innerHash
        outer = outerHash
    }

    /// The 32-byte authentication code of `message` under `key`, in one call.
    package static func authenticationCode(for message: some Sequence<UInt8>, key: some Sequence<UInt8>) -> [UInt8] {
        var hmac = HMACSHA256(key: key)
        hmac.update(message)
        return hmac.finalize()
    }

    /// Adds `bytes` to the message.
    package mutating func update(_ bytes: some Sequence<UInt8>) { inner.update(bytes) }

    /// Adds raw bytes to the message.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) { inner.update(bytes) }

    /// Adds the UTF-8 bytes of `text` to the message.
    package mutating func update(_ text: String) { inner.update(text) }

    /// Returns the 32-byte authentication code. The authenticator must not be used afterwards.
    package mutating func finalize() -> [UInt8] { finalizeDigest().bytes }

    /// Returns the authentication code inline. The authenticator must not be used afterwards.
    package mutating func finalizeDigest() -> SHA256.Digest {
        inner.finalizeDigest().withUnsafeBytes { outer.update($0) }
        return outer.finalizeDigest()
    }
}

/// Compares two byte strings in time that depends only on their lengths, never on where they differ.
///
/// Use it for every comparison of a MAC or signature with an expected value.
package func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
}
