import Parley

// The code of the article "Consent tokens and receipts"
// (Sources/Parley/Parley.docc/ConsentTokensAndReceipts.md), compiled here and run by
// ArticleTests; ArticleCodeTests checks that each `// BEGIN DOCS` region stands in the article verbatim.

/// What the article's walk through a token's life produces, for the test to check.
struct ConsentWalk {
    var token: ConsentToken
    var smsToken: ConsentToken
    var refusals: [ParleyError.Code]
    var receipt: ConsentReceipt
    var statusAfterRevocation: ConsentReceipt.Status
}

enum ConsentArticle {
    static func walk(rootKey: ConsentRootKey) throws -> ConsentWalk {
        var refusals: [ParleyError.Code] = []
        // BEGIN DOCS consent-mint
        let now = Instant(rfc3339: "2026-04-30T09:00:00Z")!
        var issuer = ConsentIssuer(agent: "assistant.example/lisa", rootKey: rootKey)
        let scope = ConsentScope(
            audience: "salon.example/bot", purposes: [.booking, .reminder], fields: [.givenName, .phone],
            expiry: now.adding(seconds: 30 * 86_400), retention: RetentionPeriod(days: 30))
        let token = try issuer.mint(id: "t-0001", scope: scope)
        let wire = token.serialized  // base64url text: what a consent-grant carries
        // END DOCS consent-mint

        // BEGIN DOCS consent-attenuate
        // The salon narrows the token before handing it to the service that sends its text
        // message reminders: the phone number, for reminders only. No key is needed to narrow.
        let smsToken = token.attenuated(by: .purposes([.reminder]), .fields([.phone]))
        // END DOCS consent-attenuate

        // BEGIN DOCS consent-verify
        let reminder = ConsentUse(audience: "salon.example/bot", purpose: .reminder, fields: [.phone], at: now)
        try issuer.verify(smsToken, for: reminder)  // allowed

        let booking = ConsentUse(audience: "salon.example/bot", purpose: .booking, fields: [.phone], at: now)
        do {
            try issuer.verify(smsToken, for: booking)
        } catch {
            print(error.code)  // token-purpose-not-allowed: the narrowed token allows reminders only
            refusals.append(error.code)
        }
        // END DOCS consent-verify
        _ = wire

        // BEGIN DOCS consent-revoke
        issuer.revoke(token.id)  // refuses the token and every token narrowed from it
        do {
            try issuer.verify(smsToken, for: reminder)
        } catch {
            print(error.code)  // token-revoked
            refusals.append(error.code)
        }
        // END DOCS consent-revoke

        // BEGIN DOCS consent-receipt
        var ledger = ConsentLedger()
        let digest = ConsentReceipt.transcriptDigest(of: Array("the canonical transcript of the session".utf8))
        ledger.record(ConsentReceipt(tokenID: token.id, issuer: issuer.agent, scope: scope, grantedAt: now, transcriptDigest: digest))
        ledger.recordRevocation(of: token.id, at: now.adding(seconds: 3600))
        let status = ledger.status(of: token.id, at: now.adding(seconds: 7200))  // revoked
        // END DOCS consent-receipt

        return ConsentWalk(
            token: token, smsToken: smsToken, refusals: refusals, receipt: ledger.receipt(for: token.id)!,
            statusAfterRevocation: status!)
    }
}
