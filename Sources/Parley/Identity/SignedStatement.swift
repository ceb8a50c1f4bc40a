/// The exact JSON values that Parley's signatures cover (`Spec/PROTOCOL.md` §5.7,
/// `Spec/CONSENT.md` §10.1). A signature is always over the RFC 8785 canonical bytes of one of
/// these objects; each names what it is in `context`, so a signature over one kind can never pass
/// for the other.
enum SignedStatement {
    /// `context` of a confirm statement.
    static let confirmContext = "parley-confirm/1"
    /// `context` of a consent statement.
    static let consentContext = "parley-consent/1"

    /// The statement a company signs for a confirm: the confirm's body as it travels, less its
    /// `signature` member (unknown members included), with the session and both agents.
    static func confirm(body: JSONValue, session: SessionID, company: AgentID, customer: AgentID) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if case .object(let body) = body { members = body }
        members["signature"] = nil
        return .object([
            "context": .string(confirmContext), "session": .string(session.rawValue), "company": .string(company.rawValue),
            "customer": .string(customer.rawValue), "confirm": .object(members),
        ])
    }

    /// The statement of a confirm the company is about to send (its body has no unknown members).
    static func confirm(_ confirm: Message.Confirm, session: SessionID, company: AgentID, customer: AgentID) -> JSONValue {
        var unsigned = confirm
        unsigned.signature = nil
        return self.confirm(body: unsigned.json, session: session, company: company, customer: customer)
    }

    /// The statement of a received `confirm` envelope, from its JSON as received.
    static func confirm(of envelope: Envelope) -> JSONValue {
        var body = JSONValue.object([:])
        if case .object(let members) = envelope.json, let received = members["body"] { body = received }
        return confirm(body: body, session: envelope.session, company: envelope.from, customer: envelope.to)
    }

    /// The statement a customer signs for a grant: who granted what to whom, for which purpose,
    /// until when, when, and in which negotiation (the agreement digest before the message that
    /// carries the grant). The token itself is left out: a receipt shown to an auditor must not
    /// carry a usable credential.
    static func consent(
        _ grant: Message.ConsentGrant, session: SessionID, customer: AgentID, company: AgentID, grantedAt: Instant,
        transcriptDigest: String
    ) -> JSONValue {
        var members: [String: JSONValue] = [
            "context": .string(consentContext), "session": .string(session.rawValue), "customer": .string(customer.rawValue),
            "company": .string(company.rawValue), "tokenId": .string(grant.tokenID.rawValue),
            "purpose": .string(grant.purpose.rawValue), "fields": .array(grant.fields.map(\.rawValue).sorted().map(JSONValue.string)),
            "expiresAt": .string(grant.expiresAt.rfc3339), "retentionDays": .number(Double(grant.retentionDays)),
            "grantedAt": .string(grantedAt.rfc3339), "transcriptDigest": .string(transcriptDigest),
        ]
        if let request = grant.request { members["request"] = .string(request.rawValue) }
        return .object(members)
    }
}
