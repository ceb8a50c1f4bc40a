extension CompanyAgent {
    /// The consent check for messages of session `id` at `now`.
    func screen(session id: SessionID, now: Instant) -> ConsentScreen {
        ConsentScreen(
            audience: profile.id, session: id, revocations: ledger.revocations, grants: sessionState(id)?.grants.mapValues(\.token) ?? [:],
            now: now,
            digest: sessionState(id)?.machine.digest ?? TranscriptDigest())
    }

    /// Checks a grant against its token and records it with a receipt; returns the error to report
    /// when the token does not say what the grant says (then the grant is not used).
    func receiveGrant(_ grant: Message.ConsentGrant, session id: SessionID, now: Instant) -> ParleyError? {
        let token: ConsentToken
        do throws(ParleyError) {
            token = try screen(session: id, now: now).verify(grant)
        } catch {
            return error
        }
        update(id) { $0.grants[grant.tokenID] = (grant, token) }
        let scope = ConsentScope(
            audience: profile.id, purposes: [grant.purpose], fields: Set(grant.fields), expiry: grant.expiresAt,
            retention: RetentionPeriod(days: grant.retentionDays))
        var receipt = ConsentReceipt(
            tokenID: grant.tokenID, issuer: token.location ?? sessionState(id)?.machine.peer ?? "unknown", scope: scope, grantedAt: now,
            transcriptDigest: sessionState(id)?.machine.agreementDigest ?? "")
        receipt.session = id
        recordReceipt(receipt)
        update(id) { $0.receipts[grant.tokenID] = receipt }
        emit(.consentGranted(id, tokenID: grant.tokenID, fields: grant.fields, purpose: grant.purpose), session: id)
        return nil
    }

    /// Wraps disclosed values in ``ConsentedData`` bound to their token; returns the error to
    /// report when a value is outside the token's fields (then nothing is kept).
    func receiveDisclosure(_ disclose: Message.Disclose, session id: SessionID) -> ParleyError? {
        guard let entry = sessionState(id)?.grants[disclose.tokenID] else {
            return ParleyError(.fieldNotGranted, "no usable grant '\(disclose.tokenID)' in this session")
        }
        do {
            let data = try ConsentedData(values: disclose.data, token: entry.token, holder: profile.id, session: id)
            update(id) { $0.data[disclose.tokenID] = data }
            return nil
        } catch {
            return error
        }
    }
}
