internal import ParleyCrypto

/// One signature of a discovery document (`Spec/HTTP.md` §2.5): a JWS (RFC 7515) with detached
/// content, in the flattened JSON form `{"protected": …, "signature": …}`.
///
/// The protected header is `{"alg":"EdDSA","kid":KID}` (canonical JSON, base64url); the content
/// is the RFC 8785 canonical form of the document without its `signatures` member; the
/// signature is Ed25519 over `BASE64URL(protected) "." BASE64URL(content)`. The compact form
/// `PROTECTED..SIGNATURE` verifies with any JOSE library given that content (RFC 7515 Appendix F).
public struct DiscoverySignature: Sendable, Hashable {
    /// The protected header, base64url without padding.
    public var protected: String
    /// The Ed25519 signature, base64url without padding.
    public var signature: String

    /// Creates a signature entry from its two members.
    public init(protected: String, signature: String) {
        self.protected = protected
        self.signature = signature
    }

    /// The most signatures a document may carry.
    public static let maximumCount = 4

    /// Signs `payload` (a document's ``DiscoveryDocument/signingPayload``) with `key`.
    static func make(payload: [UInt8], key: SigningKey) -> DiscoverySignature {
        let header = JSONValue.object(["alg": .string("EdDSA"), "kid": .string(key.publicKey.keyID)])
        let protected = Base64.urlEncode(CanonicalJSON.compactCanonicalBytes(header))
        let input = Array((protected + "." + Base64.urlEncode(payload)).utf8)
        return DiscoverySignature(protected: protected, signature: key.signature(for: input).base64URL)
    }

    /// The `kid` of the protected header; `nil` when the header is not a JSON object with a string `kid`.
    public var keyID: String? {
        guard case .object(let header)? = header, case .string(let kid)? = header["kid"] else { return nil }
        return kid
    }

    private var header: JSONValue? {
        guard let bytes = Base64.urlDecode(protected) else { return nil }
        return try? JSONParser.parse(bytes)
    }

    var json: JSONValue { .object(["protected": .string(protected), "signature": .string(signature)]) }

    /// Checks this signature over `payload` with the key named by its `kid` among `keys`;
    /// returns the key, or the reason it is refused.
    func verify(payload: [UInt8], keys: [PublicSigningKey]) -> Result<PublicSigningKey, DiscoveryDocument.Problem> {
        guard case .object(let header)? = header else { return .failure(.init("bad-signature", "a protected header is not a JSON object")) }
        guard header["alg"] == .string("EdDSA") || header["alg"] == .string("Ed25519") else {
            return .failure(.init("bad-signature", "a signature's alg is not EdDSA"))
        }
        guard header["crit"] == nil, header["b64"] == nil else {
            return .failure(.init("bad-signature", "a protected header uses `crit` or `b64`, which Parley does not accept"))
        }
        guard let kid = keyID else { return .failure(.init("bad-signature", "a protected header has no `kid`")) }
        guard let key = keys.first(where: { $0.keyID == kid }) else {
            return .failure(.init("bad-signature", "a signature's kid \(kid) names no key of the document"))
        }
        let input = Array((protected + "." + Base64.urlEncode(payload)).utf8)
        guard let bytes = Signature(base64URL: signature), key.isValidSignature(bytes, for: input) else {
            return .failure(.init("bad-signature", "the signature by \(kid) does not verify"))
        }
        return .success(key)
    }

    static func decodeAll(_ value: JSONValue?) throws(DiscoveryDocument.Problem) -> [DiscoverySignature] {
        guard let value else { return [] }
        guard case .array(let items) = value, !items.isEmpty, items.count <= maximumCount else {
            throw .init("invalid-member", "`signatures` must be an array of 1 to \(maximumCount) objects")
        }
        var result: [DiscoverySignature] = []
        for item in items {
            guard case .object(let members) = item, case .string(let protected)? = members["protected"],
                case .string(let signature)? = members["signature"], protected.utf8.count <= 1024, signature.utf8.count <= 128
            else { throw .init("invalid-member", "a signature lacks the strings `protected` and `signature`") }
            result.append(DiscoverySignature(protected: protected, signature: signature))
        }
        return result
    }
}

extension DiscoveryDocument {
    /// How a document's signatures were found (``verifySignatures(pinned:)``).
    public enum SignatureStatus: Sendable, Hashable {
        /// No signatures and no keys: nothing to verify (a company without identity keys).
        case unsigned
        /// Every signature verified; these keys made them (ids in the document's order of signatures).
        /// `pinned` says whether one of them is a key the client pinned beforehand.
        case verified(keyIDs: [String], pinned: Bool)
    }

    /// The document signed with each of `keys` (each is added to ``keys`` if it is not listed):
    /// during a rotation the old and the new key both sign, so that a client that pinned either
    /// verifies it (`Spec/HTTP.md` §2.6).
    public func signed(with signingKeys: [SigningKey]) -> DiscoveryDocument {
        var document = self
        for key in signingKeys where !document.keys.contains(key.publicKey) { document.keys.append(key.publicKey) }
        document.signatures = []
        let payload = document.signingPayload
        document.signatures = signingKeys.prefix(DiscoverySignature.maximumCount).map { DiscoverySignature.make(payload: payload, key: $0) }
        return document
    }

    /// Verifies the document's signatures (`Spec/HTTP.md` §2.5): every signature must name a
    /// key of ``keys`` and verify; a document that lists keys must be signed; with `pinned`
    /// keys, at least one signature must be by a pinned key (whether or not the document still
    /// lists it).
    ///
    /// - Throws: ``Problem`` `bad-signature` when any of that fails.
    public func verifySignatures(pinned: [PublicSigningKey] = []) throws(Problem) -> SignatureStatus {
        if signatures.isEmpty {
            if !pinned.isEmpty { throw Problem("bad-signature", "the document is unsigned, but keys are pinned for this company") }
            if !keys.isEmpty { throw Problem("bad-signature", "the document lists keys but carries no signature") }
            return .unsigned
        }
        let payload = signingPayload
        var ids: [String] = []
        var byPinned = false
        for signature in signatures {
            switch signature.verify(payload: payload, keys: keys + pinned) {
            case .success(let key):
                ids.append(key.keyID)
                if pinned.contains(key) { byPinned = true }
            case .failure(let problem): throw problem
            }
        }
        if !pinned.isEmpty, !byPinned {
            throw Problem("bad-signature", "no signature is by a pinned key (\(pinned.map(\.keyID).joined(separator: ", ")))")
        }
        return .verified(keyIDs: ids, pinned: byPinned)
    }
}

extension Base64 {
    /// base64url without padding.
    static func urlEncode(_ bytes: [UInt8]) -> String { Base64URL.encode(bytes) }
    /// base64url, padding optional; `nil` for anything else.
    static func urlDecode(_ text: String) -> [UInt8]? { Base64URL.decode(text) }
}
