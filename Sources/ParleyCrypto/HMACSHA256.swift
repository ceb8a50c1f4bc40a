/// HMAC-SHA256 as specified in RFC 2104 / FIPS 198-1, incremental and one-shot.
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
        var outerPad = innerPad
        withUnsafeMutableBytes(of: &innerPad) { inner in
            withUnsafeMutableBytes(of: &outerPad) { outer in
                for index in 0..<SHA256.blockByteCount {
                    let byte = index < key.count ? key[index] : 0
                    inner[index] = byte ^ 0x36
                    outer[index] = byte ^ 0x5c
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
    package mutating func finalize() -> [UInt8] {
        outer.update(inner.finalize())
        return outer.finalize()
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
