internal import ParleyCrypto

/// An Ed25519 signature (RFC 8032): 64 bytes, the point R followed by the scalar S.
///
/// Made by ``SigningKey/signature(for:)``, checked by
/// ``PublicSigningKey/isValidSignature(_:for:)``. Creating one from bytes checks only the length;
/// everything else is checked when it is verified. Its text form on the wire and in `parley key`
/// is ``base64URL`` (no padding).
public struct Signature: Sendable, Hashable, CustomStringConvertible {
    /// The length of a signature, in bytes.
    public static let byteCount = 64

    /// The 64 bytes R ‖ S.
    public let rawRepresentation: [UInt8]

    init(validated bytes: [UInt8]) { rawRepresentation = bytes }

    /// Creates a signature from its 64 bytes; `nil` for any other length.
    public init?(rawRepresentation bytes: [UInt8]) {
        guard bytes.count == Signature.byteCount else { return nil }
        rawRepresentation = bytes
    }

    /// Creates a signature from base64url (RFC 4648 §5, padding optional); `nil` for anything
    /// else, including non-canonical base64url.
    public init?(base64URL: String) {
        guard let bytes = Base64URL.decode(base64URL) else { return nil }
        self.init(rawRepresentation: bytes)
    }

    /// Creates a signature from 128 hexadecimal digits (either case); `nil` for anything else.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(rawRepresentation: bytes)
    }

    /// The signature in base64url without padding.
    public var base64URL: String { Base64URL.encode(rawRepresentation) }

    /// The signature as 128 lowercase hexadecimal digits.
    public var hex: String { Hex.encode(rawRepresentation) }

    /// `Signature(BASE64URL)`.
    public var description: String { "Signature(\(base64URL))" }
}
