/// A signature carried inside a message body and named by its key: the `signature` member of a
/// `confirm` (`Spec/PROTOCOL.md` §5.7) and of a `consent-grant` (`Spec/CONSENT.md` §10.1).
///
/// On the wire it is `{"kid": KID, "sig": SIG, "key": KEY?}`: `kid` is the signing key's id
/// (``PublicSigningKey/keyID``, its RFC 7638 thumbprint), `sig` the Ed25519 signature in base64url
/// without padding, and `key`, when present, the public key itself in base64url (a JWK's `x`), for
/// receivers that cannot know the key in advance (a company receiving a customer's consent).
///
/// The text of `sig` is kept as received: a signature of the wrong length or with bad base64url
/// decodes, and is refused when it is verified (``signature`` is then `nil`), so that a receiver
/// reports it with the precise signature error rather than as a malformed member.
public struct MessageSignature: Hashable, Sendable, Codable {
    /// The signing key's id (`kid`): ``PublicSigningKey/keyID`` of the key that verifies it.
    public var keyID: String
    /// The signature as sent (`sig`): base64url without padding, 86 characters when well formed.
    public var value: String
    /// The signer's public key in base64url (`key`), when the message carries it.
    public var publicKey: String?

    /// Creates the member from its parts as they travel.
    public init(keyID: String, value: String, publicKey: String? = nil) {
        self.keyID = keyID
        self.value = value
        self.publicKey = publicKey
    }

    /// Signs `statement` with `key`: the signature of the statement's RFC 8785 canonical bytes,
    /// named by the key's id, with the public key itself when `includingKey` is true.
    init(signing statement: JSONValue, with key: SigningKey, includingKey: Bool) {
        let signature = key.signature(for: CanonicalJSON.canonicalBytes(statement))
        self.init(keyID: key.publicKey.keyID, value: signature.base64URL, publicKey: includingKey ? key.publicKey.base64URL : nil)
    }

    /// The 64-byte signature, or `nil` when ``value`` is not the base64url of 64 bytes.
    public var signature: Signature? { Signature(base64URL: value) }

    /// The carried public key, or `nil` when absent or not an acceptable key.
    public var carriedKey: PublicSigningKey? { publicKey.flatMap(PublicSigningKey.init(base64URL:)) }

    /// Whether this is a valid signature of `statement`'s canonical bytes under `key`, and names it.
    func isValid(for statement: JSONValue, key: PublicSigningKey) -> Bool {
        guard keyID == key.keyID, let signature else { return false }
        return key.isValidSignature(signature, for: CanonicalJSON.canonicalBytes(statement))
    }
}

extension MessageSignature: WireCodable {
    /// The most characters `kid`, `sig` and `key` may have: generous for a 43-character thumbprint,
    /// an 86-character signature and a 43-character key, tight enough to bound a receiver's work.
    static let maximumMemberLength = 256

    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        keyID = try reader.required("kid")
        value = try reader.required("sig")
        publicKey = try reader.optional("key")
        for (name, text) in [("kid", keyID), ("sig", value), ("key", publicKey ?? "k")] {
            guard !text.isEmpty, text.utf8.count <= Self.maximumMemberLength, isBase64URL(text) else {
                throw reader.invalid(name, "expected 1 to \(Self.maximumMemberLength) base64url characters")
            }
        }
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("kid", keyID)
        writer.set("sig", value)
        writer.set("key", publicKey)
        return writer.json
    }
}
