extension Message {
    /// The company asks for personal data: which fields, for what purpose, kept how long.
    ///
    /// The fields must be declared, for the same purpose, by a requirement of the accepted
    /// proposal or of an accepted add-on; asking for more is `excessive-data-request`.
    public struct ConsentRequest: Hashable, Sendable, Codable {
        /// Identifies the request; the grant or denial refers to it.
        public var id: ConsentRequestID
        /// The fields asked for.
        public var fields: [DataField]
        /// What they are for.
        public var purpose: Purpose
        /// How many days the company will keep them.
        public var retentionDays: Int
        /// Why, for people ("We need a first name to hold the booking.").
        public var text: String?

        /// Creates a consent-request message body from its members.
        public init(id: ConsentRequestID, fields: [DataField], purpose: Purpose, retentionDays: Int, text: String? = nil) {
            self.id = id
            self.fields = fields
            self.purpose = purpose
            self.retentionDays = retentionDays
            self.text = text
        }
    }

    /// The customer grants consent: a consent token (a macaroon, `Spec/CONSENT.md`) and its scope in clear.
    ///
    /// The scope members repeat what the token's caveats say, so that a company can read them
    /// without parsing the token; they must agree with the token.
    public struct ConsentGrant: Hashable, Sendable, Codable {
        /// The consent request answered, if the grant answers one.
        public var request: ConsentRequestID?
        /// The token's id (its revocation id).
        public var tokenID: TokenID
        /// The serialised token: macaroon v2 binary, base64url without padding.
        public var token: String
        /// The fields covered.
        public var fields: [DataField]
        /// The purpose allowed.
        public var purpose: Purpose
        /// The token's expiry.
        public var expiresAt: Instant
        /// How many days the data may be kept.
        public var retentionDays: Int
        /// The customer's signature over the grant's consent statement (`Spec/CONSENT.md` §10.1),
        /// with its public key; `nil` when the customer signs nothing. A ``CustomerAgent`` with a
        /// signing key fills it in.
        public var signature: MessageSignature?

        /// Creates a consent-grant message body from its members.
        public init(
            request: ConsentRequestID?, tokenID: TokenID, token: String, fields: [DataField], purpose: Purpose,
            expiresAt: Instant, retentionDays: Int, signature: MessageSignature? = nil
        ) {
            self.request = request
            self.tokenID = tokenID
            self.token = token
            self.fields = fields
            self.purpose = purpose
            self.expiresAt = expiresAt
            self.retentionDays = retentionDays
            self.signature = signature
        }
    }

    /// The customer refuses a consent request.
    public struct ConsentDeny: Hashable, Sendable, Codable {
        /// The request refused.
        public var request: ConsentRequestID
        /// A sentence for people.
        public var text: String?

        /// Creates a consent-deny message body from its members.
        public init(request: ConsentRequestID, text: String? = nil) {
            self.request = request
            self.text = text
        }
    }

    /// The customer withdraws a consent; from now on the token and every token narrowed from it are void.
    public struct ConsentRevoke: Hashable, Sendable, Codable {
        /// The token revoked.
        public var tokenID: TokenID
        /// A sentence for people.
        public var text: String?

        /// Creates a consent-revoke message body from its members.
        public init(tokenID: TokenID, text: String? = nil) {
            self.tokenID = tokenID
            self.text = text
        }
    }

    /// The customer hands over personal data under a grant. Every field must be covered by that grant.
    public struct Disclose: Hashable, Sendable, Codable {
        /// The grant's token id.
        public var tokenID: TokenID
        /// The values, by field.
        public var data: [DataField: String]

        /// Creates a disclose message body from its members.
        public init(tokenID: TokenID, data: [DataField: String]) {
            self.tokenID = tokenID
            self.data = data
        }
    }
}

/// Whether `text` is non-empty base64url without padding (its length is checked apart).
func isBase64URL(_ text: String) -> Bool {
    let bytes = text.utf8
    guard !bytes.isEmpty else { return false }
    return bytes.allSatisfy {
        ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F
    }
}

extension Message.ConsentRequest: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        id = try reader.required("id")
        fields = try reader.fields("fields")
        purpose = try reader.required("purpose")
        retentionDays = try reader.retentionDays("retentionDays")
        text = try reader.optionalText("text")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("id", id)
        writer.set("fields", list: fields)
        writer.set("purpose", purpose)
        writer.set("retentionDays", retentionDays)
        writer.set("text", text)
        return writer.json
    }
}

extension Message.ConsentGrant: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        request = try reader.optional("request")
        tokenID = try reader.required("tokenId")
        token = try reader.required("token")
        guard token.utf8.count <= ProtocolLimits.maximumTokenBytes else {
            throw reader.invalid(
                "token", "the token is \(token.utf8.count) characters long; MAX_TOKEN_BYTES allows \(ProtocolLimits.maximumTokenBytes)")
        }
        guard isBase64URL(token) else { throw reader.invalid("token", "expected base64url without padding") }
        fields = try reader.fields("fields")
        purpose = try reader.required("purpose")
        expiresAt = try reader.required("expiresAt")
        retentionDays = try reader.retentionDays("retentionDays")
        signature = try reader.optional("signature")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("request", request)
        writer.set("tokenId", tokenID)
        writer.set("token", token)
        writer.set("fields", list: fields)
        writer.set("purpose", purpose)
        writer.set("expiresAt", expiresAt)
        writer.set("retentionDays", retentionDays)
        writer.set("signature", signature)
        return writer.json
    }
}

extension Message.ConsentDeny: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        request = try reader.required("request")
        text = try reader.optionalText("text")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("request", request)
        writer.set("text", text)
        return writer.json
    }
}

extension Message.ConsentRevoke: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        tokenID = try reader.required("tokenId")
        text = try reader.optionalText("text")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("tokenId", tokenID)
        writer.set("text", text)
        return writer.json
    }
}

extension Message.Disclose: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        tokenID = try reader.required("tokenId")
        guard case .object(let members)? = reader.members["data"] else {
            if reader.members["data"] == nil { throw ParleyError(.missingField, "\(path()): missing member 'data'") }
            throw reader.invalid("data", "expected object")
        }
        guard !members.isEmpty, members.count <= ProtocolLimits.maximumFields else {
            throw reader.invalid("data", "needs 1 to \(ProtocolLimits.maximumFields) fields")
        }
        var data: [DataField: String] = [:]
        for (key, value) in members {
            guard let field = DataField(rawValue: key) else { throw reader.invalid("data", "'\(key)' is not a valid field name") }
            let text = try String(json: value, path: reader.memberPath("data.\(key)"))
            guard text.utf8.count <= ProtocolLimits.maximumValueBytes else {
                throw reader.invalid("data.\(key)", "longer than \(ProtocolLimits.maximumValueBytes) bytes")
            }
            data[field] = text
        }
        self.data = data
    }

    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        for (field, value) in data { members[field.rawValue] = .string(value) }
        return .object(["tokenId": tokenID.json, "data": .object(members)])
    }
}
