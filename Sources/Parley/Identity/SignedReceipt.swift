/// A self-contained, signed record that a third party can check offline with one public key:
/// a **booking receipt** (a `confirm` signed by the company, `Spec/PROTOCOL.md` §5.7) or a
/// **signed consent receipt** (a grant signed by the customer, `Spec/CONSENT.md` §10.1).
///
/// Its JSON document (``json``, ``jsonText``) is
/// `{"statement": {…}, "signature": {"kid": …, "sig": …}, "publicKey": {"kty": "OKP", "crv": "Ed25519", "x": …, "kid": …}}`:
/// the signature is over the RFC 8785 canonical bytes of `statement`, whose `context` says which
/// kind it is. `publicKey` is the key the holder checked it with, a convenience: a verifier who
/// knows the signer's key passes it to ``verify(with:)`` (or `parley receipt verify --public HEX`),
/// and only then does a valid receipt prove who signed it.
///
/// ```swift
/// if case .booked(let booking) = outcome, let receipt = booking.receipt {
///     try receipt.verify(with: salonKey)        // throws unless the salon signed exactly this
///     try receipt.jsonText.write(to: file, …)   // for the person's records
/// }
/// let again = try SignedReceipt(json: Array(text.utf8))  // later, anywhere
/// ```
public struct SignedReceipt: Hashable, Sendable, CustomStringConvertible {
    /// What a receipt records.
    public enum Kind: String, Hashable, Sendable {
        /// A booking as the company confirmed it, signed by the company.
        case booking
        /// A consent grant, signed by the customer that gave it.
        case consent
    }

    /// What the grant of a signed consent receipt says (the statement's members).
    public struct Consent: Hashable, Sendable {
        /// The grant's token id.
        public var tokenID: TokenID
        /// The purpose consented to.
        public var purpose: Purpose
        /// The fields consented to, in ascending order.
        public var fields: [DataField]
        /// When the consent ends (exclusive).
        public var expiresAt: Instant
        /// How many days the company may keep the data.
        public var retentionDays: Int
        /// When the grant was made: the `sentAt` of the envelope that carried it.
        public var grantedAt: Instant
        /// The agreement digest before the message that carried the grant: binds it to the offer,
        /// the acceptance and the consent request of that negotiation.
        public var transcriptDigest: String
        /// The consent request answered, if any.
        public var request: ConsentRequestID?
    }

    /// Which kind of receipt this is.
    public let kind: Kind
    /// The signed statement, exactly as signed.
    public let statement: JSONValue
    /// The signature (`kid` and `sig`) over the statement.
    public let signature: MessageSignature
    /// The public key stored with the receipt, if any.
    public let publicKey: PublicSigningKey?
    /// The session the statement is about.
    public let session: SessionID
    /// The company agent.
    public let company: AgentID
    /// The customer agent.
    public let customer: AgentID
    /// The confirmation, for a booking receipt.
    public let confirmation: Message.Confirm?
    /// The grant, for a consent receipt.
    public let consent: Consent?

    /// Makes a receipt from a statement and its signature; checks the statement's form (not the signature).
    init(statement: JSONValue, signature: MessageSignature, publicKey: PublicSigningKey?) throws(ParleyError) {
        let reader = try ObjectReader(statement, path: "statement")
        let context: String = try reader.required("context")
        switch context {
        case SignedStatement.confirmContext: kind = .booking
        case SignedStatement.consentContext: kind = .consent
        default:
            throw reader.invalid(
                "context", "'\(context.prefix(64))' is neither \(SignedStatement.confirmContext) nor \(SignedStatement.consentContext)")
        }
        session = try reader.required("session")
        company = try reader.required("company")
        customer = try reader.required("customer")
        switch kind {
        case .booking:
            let confirm: Message.Confirm = try reader.required("confirm")
            guard confirm.signature == nil else { throw reader.invalid("confirm.signature", "a signed statement carries no signature") }
            confirmation = confirm
            consent = nil
        case .consent:
            let digest: String = try reader.required("transcriptDigest")
            guard isHexDigest(digest) else { throw reader.invalid("transcriptDigest", "expected 64 lowercase hex digits") }
            consent = Consent(
                tokenID: try reader.required("tokenId"), purpose: try reader.required("purpose"), fields: try reader.fields("fields"),
                expiresAt: try reader.required("expiresAt"), retentionDays: try reader.retentionDays("retentionDays"),
                grantedAt: try reader.required("grantedAt"), transcriptDigest: digest, request: try reader.optional("request"))
            confirmation = nil
        }
        self.statement = statement
        self.signature = MessageSignature(keyID: signature.keyID, value: signature.value)
        self.publicKey = publicKey
    }

    /// Reads a receipt document (UTF-8 JSON, as ``jsonText`` writes it).
    ///
    /// - Throws: ``ParleyError`` — `malformed-json`, `too-large`, `too-deep` or `duplicate-key` for
    ///   bytes that are not one JSON object within the envelope limits; `missing-field` or
    ///   `invalid-field` for a document that is not a receipt. The signature is not checked here:
    ///   call ``verify(with:)``.
    public init(json bytes: some Collection<UInt8>) throws(ParleyError) {
        let value = try JSONParser.parse(Array(bytes), limits: WireLimits(maximumBytes: 131_072))
        try self.init(document: value)
    }

    /// Reads a receipt document from its parsed JSON.
    public init(document: JSONValue) throws(ParleyError) {
        let reader = try ObjectReader(document, path: "receipt")
        guard let statement = reader.members["statement"] else { throw ParleyError(.missingField, "receipt: missing member 'statement'") }
        let signature: MessageSignature = try reader.required("signature")
        var key: PublicSigningKey?
        if let jwk = reader.members["publicKey"] { key = try Self.publicKey(fromJWK: jwk) }
        try self.init(statement: statement, signature: signature, publicKey: key)
    }

    /// Decodes an `OKP`/`Ed25519` JSON Web Key (RFC 8037); its `kid`, if present, must be the key's thumbprint.
    static func publicKey(fromJWK jwk: JSONValue) throws(ParleyError) -> PublicSigningKey {
        let reader = try ObjectReader(jwk, path: "receipt.publicKey")
        let type: String = try reader.required("kty")
        let curve: String = try reader.required("crv")
        guard type == "OKP", curve == "Ed25519" else { throw reader.invalid("kty", "expected an OKP key on curve Ed25519") }
        let x: String = try reader.required("x")
        guard let key = PublicSigningKey(base64URL: x) else { throw reader.invalid("x", "not an acceptable Ed25519 public key") }
        if let kid: String = try reader.optional("kid"), kid != key.keyID {
            throw reader.invalid("kid", "'\(kid.prefix(64))' is not the key's thumbprint \(key.keyID)")
        }
        return key
    }

    /// The receipt document as JSON.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["statement": statement, "signature": signature.json]
        if let publicKey {
            members["publicKey"] = .object([
                "kty": .string("OKP"), "crv": .string("Ed25519"), "x": .string(publicKey.base64URL), "kid": .string(publicKey.keyID),
            ])
        }
        return .object(members)
    }

    /// The receipt document as canonical JSON text (RFC 8785), one line.
    public var jsonText: String { CanonicalJSON.canonicalText(json) }

    /// The bytes the signature covers: the canonical form of ``statement``.
    public var signedBytes: [UInt8] { CanonicalJSON.canonicalBytes(statement) }

    /// Checks the signature with `key`, or with the receipt's own ``publicKey`` when `key` is `nil`;
    /// returns the key that verified it. With the receipt's own key, a valid signature proves only
    /// that the receipt is intact, not who signed it: compare the key with the signer's.
    ///
    /// - Throws: ``ParleyError`` — for a booking receipt `confirm-unknown-key` when `kid` is not
    ///   the key's id and `confirm-bad-signature` when the signature does not verify; for a consent
    ///   receipt `consent-bad-signature` for either; `missing-field` when there is no key at all.
    @discardableResult
    public func verify(with key: PublicSigningKey? = nil) throws(ParleyError) -> PublicSigningKey {
        guard let key = key ?? publicKey else {
            throw ParleyError(.missingField, "the receipt carries no public key: give the signer's key", fault: .local)
        }
        guard signature.keyID == key.keyID else {
            let what = "the receipt is signed with key '\(signature.keyID.prefix(64))', not with \(key.keyID)"
            throw ParleyError(kind == .booking ? .confirmUnknownKey : .consentBadSignature, what)
        }
        guard signature.isValid(for: statement, key: key) else {
            let what = "the signature does not verify over the \(kind == .booking ? "confirmation" : "consent statement")"
            throw ParleyError(kind == .booking ? .confirmBadSignature : .consentBadSignature, what)
        }
        return key
    }

    /// `SignedReceipt(booking B-1, session …, kid …)`.
    public var description: String {
        let subject = confirmation.map { "booking \($0.booking)" } ?? consent.map { "consent \($0.tokenID)" } ?? kind.rawValue
        return "SignedReceipt(\(subject), session \(session), kid \(signature.keyID))"
    }
}

extension SignedReceipt: Codable {
    /// Decodes the receipt from its JSON document.
    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        do {
            try self.init(document: value)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes the receipt as its JSON document.
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

extension SignedReceipt {
    /// The booking receipt of a received `confirm` envelope, checked as a customer must
    /// (`Spec/PROTOCOL.md` §5.7) against `trusted`, the keys it trusts for the sending company.
    ///
    /// With no trusted keys, any confirm is accepted: the result is an unverified receipt without
    /// a key when the confirm is signed, `nil` when it is not. With trusted keys, the confirm must
    /// be signed by one of them; the receipt then carries that key.
    ///
    /// - Throws: ``ParleyError`` `confirm-unsigned`, `confirm-unknown-key` or `confirm-bad-signature`
    ///   (each fatal), or `invalid-field` when `envelope` is not a `confirm`.
    public static func booking(from envelope: Envelope, trusting trusted: [PublicSigningKey]) throws(ParleyError) -> SignedReceipt? {
        guard case .confirm(let confirm) = envelope.message else {
            throw ParleyError(.invalidField, "a booking receipt is made from a confirm, not from \(envelope.kind)", fault: .local)
        }
        guard let signature = confirm.signature else {
            guard trusted.isEmpty else {
                throw ParleyError(.confirmUnsigned, "the confirm is not signed, but \(envelope.from) signs its confirms with a trusted key")
            }
            return nil
        }
        let statement = SignedStatement.confirm(of: envelope)
        guard !trusted.isEmpty else {
            return try SignedReceipt(statement: statement, signature: signature, publicKey: nil)
        }
        guard let key = trusted.first(where: { $0.keyID == signature.keyID }) else {
            throw ParleyError(
                .confirmUnknownKey,
                "the confirm is signed with key '\(signature.keyID.prefix(64))', which is not trusted for \(envelope.from)")
        }
        guard signature.isValid(for: statement, key: key) else {
            throw ParleyError(.confirmBadSignature, "the confirm's signature does not verify over the confirm as stated (key \(key.keyID))")
        }
        return try SignedReceipt(statement: statement, signature: signature, publicKey: key)
    }
}

extension Message.Confirm {
    /// This confirm signed with `key` for `session` between `company` and `customer`
    /// (`Spec/PROTOCOL.md` §5.7): what a company that does not use ``CompanyAgent`` sends.
    public func signed(with key: SigningKey, session: SessionID, company: AgentID, customer: AgentID) -> Message.Confirm {
        var confirm = self
        confirm.signature = MessageSignature(
            signing: SignedStatement.confirm(self, session: session, company: company, customer: customer), with: key,
            includingKey: false)
        return confirm
    }
}

extension Message.ConsentGrant {
    /// This grant signed with `key` (the public key travels with it) over its consent statement
    /// (`Spec/CONSENT.md` §10.1): what a customer that does not use ``CustomerAgent`` sends.
    /// `grantedAt` must be the `sentAt` of the envelope that will carry the grant, and
    /// `transcriptDigest` the session's agreement digest before that envelope.
    public func signed(
        with key: SigningKey, session: SessionID, customer: AgentID, company: AgentID, grantedAt: Instant, transcriptDigest: String
    ) -> Message.ConsentGrant {
        var grant = self
        grant.signature = nil
        let statement = SignedStatement.consent(
            grant, session: session, customer: customer, company: company, grantedAt: grantedAt, transcriptDigest: transcriptDigest)
        grant.signature = MessageSignature(signing: statement, with: key, includingKey: true)
        return grant
    }
}
