internal import ParleyCrypto

/// An Ed25519 public key (RFC 8032): verifies the signatures of one ``SigningKey``.
///
/// Only keys that the verification rule of `Spec/SIGNATURES.md` can accept are representable:
/// the initialisers return `nil` for anything but the canonical 32-byte encoding of a curve point
/// of large order. The raw bytes are the `x` member of an `OKP` / `Ed25519` JSON Web Key
/// (RFC 8037) in base64url; ``hex`` is what `parley key` prints.
public struct PublicSigningKey: Sendable, Hashable, CustomStringConvertible {
    /// The length of a public key, in bytes.
    public static let byteCount = 32

    /// The 32-byte encoding (RFC 8032 §5.1.2).
    public let rawRepresentation: [UInt8]

    init(validated bytes: [UInt8]) { rawRepresentation = bytes }

    /// Creates a key from its 32-byte encoding; `nil` if it is not a canonical encoding of a
    /// curve point, or if the point has small order (such a key would accept forged signatures).
    public init?(rawRepresentation bytes: [UInt8]) {
        guard Ed25519.isValidPublicKey(bytes) else { return nil }
        rawRepresentation = bytes
    }

    /// Creates a key from 64 hexadecimal digits (either case); `nil` for anything else.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(rawRepresentation: bytes)
    }

    /// Creates a key from base64url (RFC 4648 §5, padding optional), as in a JWK's `x`; `nil`
    /// for anything else.
    public init?(base64URL: String) {
        guard let bytes = Base64URL.decode(base64URL) else { return nil }
        self.init(rawRepresentation: bytes)
    }

    /// The key as 64 lowercase hexadecimal digits.
    public var hex: String { Hex.encode(rawRepresentation) }

    /// The key in base64url without padding (a JWK's `x`).
    public var base64URL: String { Base64URL.encode(rawRepresentation) }

    /// Whether `signature` is a valid signature of `message` under this key, by the strict rule
    /// of `Spec/SIGNATURES.md` (canonical S and R, R not of small order, cofactorless equation).
    public func isValidSignature(_ signature: Signature, for message: some Collection<UInt8>) -> Bool {
        Ed25519.isValidSignature(signature.rawRepresentation, for: message, publicKey: rawRepresentation)
    }

    /// The key's id: its JWK thumbprint (RFC 7638), the base64url SHA-256 of the canonical JSON
    /// `{"crv":"Ed25519","kty":"OKP","x":"…"}` with ``base64URL`` as `x`. Parley uses it as the
    /// `kid` wherever a key is named: in a JWK Set, in a signature, in a receipt.
    public var keyID: String {
        Base64URL.encode(SHA256.hash(Array(#"{"crv":"Ed25519","kty":"OKP","x":"\#(base64URL)"}"#.utf8)))
    }

    /// `PublicSigningKey(HEX)`.
    public var description: String { "PublicSigningKey(\(hex))" }
}
