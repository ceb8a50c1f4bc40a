internal import ParleyCrypto

/// A private Ed25519 signing key (RFC 8032): what an agent signs its confirmations, receipts and
/// requests with.
///
/// The key is its 32-byte *seed*; everything else (the signing scalar, the nonce prefix, the
/// public key) is derived from it once, when the key is created. Signing is deterministic (the
/// same key and message always give the same ``Signature``) and runs in constant time with
/// respect to the key (see `Spec/SIGNATURES.md`).
///
/// Create one with ``init()`` (the system's secure random source), from a stored seed with
/// ``init(seed:)`` or ``init(seedHex:)``, and keep the seed secret. The key's `description`,
/// `debugDescription` and mirror never show the seed or anything derived from it but the public key.
///
/// ```swift
/// let key = SigningKey()
/// let signature = key.signature(for: Array("booking 42".utf8))
/// key.publicKey.isValidSignature(signature, for: Array("booking 42".utf8))  // true
/// ```
public struct SigningKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The length of a seed, in bytes.
    public static let seedByteCount = 32

    private let seedBytes: [UInt8]
    private let expanded: Ed25519.ExpandedKey

    /// Creates a key from a 32-byte seed; `nil` for any other length.
    public init?(seed: [UInt8]) {
        guard seed.count == SigningKey.seedByteCount else { return nil }
        seedBytes = seed
        expanded = Ed25519.ExpandedKey(seed: seed)
    }

    /// Creates a key from its seed as 64 hexadecimal digits (either case); `nil` for anything else.
    public init?(seedHex: String) {
        guard let bytes = Hex.decode(seedHex) else { return nil }
        self.init(seed: bytes)
    }

    /// Creates a new key whose seed is drawn from `generator`, which must be cryptographically
    /// secure (a seeded generator makes reproducible keys, for tests only).
    public init(using generator: inout some RandomNumberGenerator) {
        let seed = (0..<SigningKey.seedByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.init(seed: seed)!
    }

    /// Creates a new key from the system's secure random source (`SystemRandomNumberGenerator`).
    public init() {
        var generator = SystemRandomNumberGenerator()
        self.init(using: &generator)
    }

    /// The 32-byte seed: the secret itself, for storing the key. Handle it like a password.
    public var seed: [UInt8] { seedBytes }

    /// The public key that verifies this key's signatures; safe to publish.
    public var publicKey: PublicSigningKey { PublicSigningKey(validated: expanded.publicKey) }

    /// Signs `message` (any bytes, e.g. `[UInt8]` or `Data`).
    public func signature(for message: some Collection<UInt8>) -> Signature {
        Signature(validated: expanded.signature(for: message))
    }

    /// `SigningKey(public: HEX)`: the public key only.
    public var description: String { "SigningKey(public: \(publicKey.hex))" }
    /// The same as ``description``.
    public var debugDescription: String { description }
    /// A mirror showing only the public key, so `dump` and debuggers show no secret.
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey.hex], displayStyle: .struct) }
}
