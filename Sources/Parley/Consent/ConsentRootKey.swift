internal import ParleyCrypto

/// The secret from which a customer agent mints and verifies its consent tokens.
///
/// Parley never generates randomness itself: supply exactly 32 bytes from a cryptographically
/// secure source (e.g. `SystemRandomNumberGenerator`) and keep them secret. The key's
/// `description`, `debugDescription` and mirror never reveal the bytes.
public struct ConsentRootKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The required key length in bytes.
    public static let byteCount = 32

    /// An HMAC keyed with libmacaroons' derived key (`Spec/CONSENT.md` §1.2), computed once: the
    /// chain starts from it, and copies of it skip hashing the HMAC pads on every mint and verify.
    let keyed: HMACSHA256

    /// Creates a key from exactly 32 bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == ConsentRootKey.byteCount else { return nil }
        keyed = Macaroon.keyed(rawKey: Macaroon.derivedKey(from: bytes))
    }

    /// Creates a key from 64 hexadecimal digits (either case); `nil` for anything else.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// Creates a key with 32 bytes drawn from `generator`, which must be cryptographically secure.
    public init(using generator: inout some RandomNumberGenerator) {
        let bytes = (0..<ConsentRootKey.byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        keyed = Macaroon.keyed(rawKey: Macaroon.derivedKey(from: bytes))
    }

    /// Always `ConsentRootKey(redacted)`.
    public var description: String { "ConsentRootKey(redacted)" }
    /// Always `ConsentRootKey(redacted)`.
    public var debugDescription: String { description }
    /// A mirror with no children, so `dump` and debuggers show no key material.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
