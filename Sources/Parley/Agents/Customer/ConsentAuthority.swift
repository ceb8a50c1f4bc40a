/// The customer side's consent book-keeping: it mints tokens, keeps the receipts, revokes, and
/// verifies tokens it issued. The root key never leaves it.
struct ConsentAuthority: Sendable {
    private(set) var issuer: ConsentIssuer
    private(set) var ledger = ConsentLedger()

    init(issuer agent: AgentID, rootKey: ConsentRootKey) {
        issuer = ConsentIssuer(agent: agent, rootKey: rootKey)
    }

    /// Mints a token for exactly this scope and records its receipt; `nil` if the scope cannot be minted.
    mutating func grant(
        tokenID: TokenID, request: ConsentRequestID?, audience: AgentID, purpose: Purpose, fields: [DataField], expiresAt: Instant,
        retentionDays: Int, session: SessionID, now: Instant, transcriptDigest: String
    ) -> Message.ConsentGrant? {
        let scope = ConsentScope(
            audience: audience, purposes: [purpose], fields: Set(fields), expiry: expiresAt, session: nil,
            retention: RetentionPeriod(days: retentionDays))
        guard let token = try? issuer.mint(id: tokenID, scope: scope) else { return nil }
        var receipt = ConsentReceipt(
            tokenID: tokenID, issuer: issuer.agent, scope: scope, grantedAt: now, transcriptDigest: transcriptDigest)
        receipt.session = session
        ledger.record(receipt)
        return Message.ConsentGrant(
            request: request, tokenID: tokenID, token: token.serialized, fields: fields, purpose: purpose, expiresAt: expiresAt,
            retentionDays: retentionDays)
    }

    /// Records a receipt this authority issued earlier (restored from a saved session).
    mutating func restore(_ receipt: ConsentReceipt) {
        ledger.record(receipt)
    }

    /// Revokes a token (and every token narrowed from it).
    mutating func revoke(_ id: TokenID, at instant: Instant) {
        issuer.revoke(id)
        ledger.recordRevocation(of: id, at: instant)
    }

    /// Binds the receipts of `tokens` to the agreement they were granted for.
    mutating func recordAgreement(digest: String, for tokens: [TokenID]) {
        for id in tokens {
            guard var receipt = ledger.receipt(for: id) else { continue }
            receipt.transcriptDigest = digest
            ledger.record(receipt)
        }
    }

    func receipts(at instant: Instant) -> [ConsentReceipt] { ledger.receipts }

    /// The issuer's check of a token it minted.
    func verify(token: String, for use: ConsentUse) throws(ParleyError) {
        try issuer.verify(serialized: token, for: use)
    }
}
