/// A company's check of the consent a customer's message carries, run by the session state
/// machine before the message is admitted (``SessionStateMachine/messageReceived(_:now:screen:)``):
/// a grant whose token is not what the grant says, or a disclosure its token does not cover, is
/// rejected and changes nothing (`Spec/PROTOCOL.md` §7, §8; `Spec/CONSENT.md` §7).
struct ConsentScreen {
    /// This company: every token's required audience.
    let audience: AgentID
    /// The session the message arrived in: a token bound to a session must name this one.
    let session: SessionID
    /// The tokens the company knows to be revoked. Only these, not the whole ledger: a screen
    /// lives while its event is handled, and a ledger copy held that long would make every
    /// receipt recorded meanwhile copy all receipts.
    let revocations: RevocationList
    /// Tokens granted and admitted in the session, by id: those the agent recorded, and those
    /// admitted since this screen was made (a grant and a disclosure buffered behind it are
    /// admitted in one pass, before the agent has handled the grant).
    var grants: [TokenID: ConsentToken]
    let now: Instant
    /// The session's agreement digest before the message being checked: a copy of the machine's,
    /// advanced past every counted message this screen lets through, as the machine advances its own.
    var digest: TranscriptDigest
    /// The signed consent receipts of the signed grants this screen let through, by token id.
    var proofs: [TokenID: SignedReceipt] = [:]

    /// The error that rejects `envelope`, or `nil` when its consent is in order (then the machine
    /// admits it: the screen runs after every other rule, and remembers the tokens it let through).
    mutating func check(_ envelope: Envelope) -> ParleyError? {
        do throws(ParleyError) {
            switch envelope.message {
            case .consentGrant(let grant):
                let token = try verify(grant)
                let proof = try proof(of: grant, in: envelope)
                grants[grant.tokenID] = token
                proofs[grant.tokenID] = proof
            case .accept(let accept):
                var tokens = grants
                var signed = proofs
                for grant in accept.grants {
                    tokens[grant.tokenID] = try verify(grant)
                    signed[grant.tokenID] = try proof(of: grant, in: envelope)
                }
                for disclosure in accept.disclosures { try check(disclosure, tokens: tokens) }
                grants = tokens
                proofs = signed
            case .disclose(let disclosure):
                try check(disclosure, tokens: grants)
            default:
                break
            }
            if TranscriptDigest.counts(envelope.kind) { digest.append(envelope) }
            return nil
        } catch {
            return error
        }
    }

    /// The grant's token, once it is known to say what the grant says, to be for this company and
    /// session, and to be neither revoked nor expired.
    func verify(_ grant: Message.ConsentGrant) throws(ParleyError) -> ConsentToken {
        let token = try ConsentToken(serialized: grant.token)
        guard token.id == grant.tokenID else {
            throw ParleyError(.invalidField, "body.tokenId: '\(grant.tokenID)' is not the token's id '\(token.id)'")
        }
        // CONSENT.md §7 step 3, with this company's own revocation knowledge.
        guard !revocations.contains(token.id) else {
            throw ParleyError(.tokenRevoked, "token '\(token.id)' was revoked")
        }
        try token.checkCaveats(
            for: ConsentUse(
                audience: audience, purpose: grant.purpose, fields: Set(grant.fields), at: now, session: session,
                retention: RetentionPeriod(days: grant.retentionDays)))
        return token
    }

    /// The signed consent receipt of `grant`, carried by `envelope`, when the grant is signed
    /// (`Spec/CONSENT.md` §10.1): its signature must verify, under the key it carries, over the
    /// grant's consent statement. `nil` for an unsigned grant.
    func proof(of grant: Message.ConsentGrant, in envelope: Envelope) throws(ParleyError) -> SignedReceipt? {
        guard let signature = grant.signature else { return nil }
        guard let key = signature.carriedKey else {
            throw ParleyError(.consentBadSignature, "grant '\(grant.tokenID)': the signature carries no acceptable public key ('key')")
        }
        let statement = SignedStatement.consent(
            grant, session: session, customer: envelope.from, company: audience, grantedAt: envelope.sentAt,
            transcriptDigest: digest.hex)
        guard signature.isValid(for: statement, key: key) else {
            throw ParleyError(
                .consentBadSignature, "grant '\(grant.tokenID)': the signature does not verify over the grant's consent statement")
        }
        return try SignedReceipt(statement: statement, signature: signature, publicKey: key)
    }

    private func check(_ disclosure: Message.Disclose, tokens: [TokenID: ConsentToken]) throws(ParleyError) {
        guard let token = tokens[disclosure.tokenID] else {
            throw ParleyError(.fieldNotGranted, "no usable grant '\(disclosure.tokenID)' in this session")
        }
        _ = try ConsentedData(values: disclosure.data, token: token, holder: audience, session: session)
    }
}
