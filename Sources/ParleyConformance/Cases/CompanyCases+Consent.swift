import Parley

extension CompanyCases {
    // MARK: Consent token verification

    /// A grant whose token disagrees with its clear members (or is broken) must be refused with
    /// `code`, naming the grant, and change nothing: the session stays in `consentRequested`, where
    /// the customer may still deny (PROTOCOL.md §8).
    static func tokenCase(
        _ id: String, _ title: String, code: ParleyError.Code, spec: String = "CONSENT.md §7; PROTOCOL.md §5.3, §8",
        caveats: @escaping @Sendable (ConformanceContext, Message.ConsentRequest) -> [String]?,
        tamper: @escaping @Sendable (Message.ConsentGrant) -> Message.ConsentGrant = { $0 }
    ) -> ConformanceCase {
        make(
            id, .consent, title, spec,
            covers: rows(.consentRequested, .company, .error, .nonFatal) + rows(.consentRequested, .customer, .consentDeny), codes: [code]
        ) { context in
            var (session, request) = try await context.reachConsentRequested()
            let grant = tamper(context.grant(for: request, caveats: caveats(context, request)))
            let sent = try await context.send(.consentGrant(grant), in: &session, expectRejection: true)
            try await context.expectError(code, in: &session, answering: sent, what: "a grant whose token is refused")
            try await expectStillConsentRequested(context, &session, request)
        }
    }

    /// After a refused grant the session must still be in `consentRequested`: a `consent-deny` is
    /// admitted (in `disclosing` it would be `unexpected-message`).
    static func expectStillConsentRequested(
        _ context: ConformanceContext, _ session: inout ScriptedSession, _ request: Message.ConsentRequest
    ) async throws {
        let deny = try await context.send(.consentDeny(.init(request: request.id)), in: &session)
        let reply = try await context.next(in: &session, after: deny)
        if case .error(let report) = reply.message {
            throw ConformanceFailure(
                "after a refused grant, a consent-deny got error '\(report.code)': the refused grant changed the session (§8)",
                envelope: reply)
        }
    }

    static func standard(_ context: ConformanceContext, _ request: Message.ConsentRequest) -> [String] {
        [
            "aud = \(context.profile.companyID)", "purpose in \(request.purpose)",
            "fields in \(request.fields.map(\.rawValue).sorted().joined(separator: ","))", "time < \(context.profile.expiry.rfc3339)",
            "retention <= P\(request.retentionDays)D",
        ]
    }

    static func replacing(_ prefix: String, with caveat: String) -> @Sendable (ConformanceContext, Message.ConsentRequest) -> [String]? {
        { context, request in standard(context, request).map { $0.hasPrefix(prefix) ? caveat : $0 } }
    }

    static var consent: [ConformanceCase] {
        [
            tokenCase(
                "consent.token-wrong-audience", "a token for another company is token-wrong-audience", code: .tokenWrongAudience,
                caveats: replacing("aud = ", with: "aud = other-company.example/bot")),
            tokenCase(
                "consent.token-purpose", "a token whose purpose differs from the grant's is token-purpose-not-allowed",
                code: .tokenPurposeNotAllowed, caveats: replacing("purpose in ", with: "purpose in marketing")),
            tokenCase(
                "consent.token-fields", "a token that does not cover the granted fields is token-field-not-covered",
                code: .tokenFieldNotCovered, caveats: replacing("fields in ", with: "fields in birthDate")),
            tokenCase(
                "consent.token-expired", "an expired token is token-expired", code: .tokenExpired,
                caveats: replacing("time < ", with: "time < 2020-01-01T00:00:00Z")),
            tokenCase(
                "consent.token-retention", "a token allowing a shorter retention is token-retention-exceeded",
                code: .tokenRetentionExceeded,
                caveats: replacing("retention <= ", with: "retention <= P1D")),
            tokenCase(
                "consent.token-wrong-session", "a token bound to another session is token-wrong-session", code: .tokenWrongSession,
                caveats: { context, request in standard(context, request) + ["session = another-session"] }),
            make(
                "consent.token-own-session", .consent, "a token bound to the session it is granted in is accepted there",
                "CONSENT.md §4, §7; PROTOCOL.md §5.3",
                covers: rows(.consentRequested, .customer, .consentGrant) + rows(.disclosing, .customer, .disclose)
            ) { context in
                var (session, request) = try await context.reachConsentRequested()
                let grant = context.grant(for: request, caveats: standard(context, request) + ["session = \(session.session)"])
                try await context.send(.consentGrant(grant), in: &session)
                if let reply = try await context.nextIfAny(in: &session) {
                    throw ConformanceFailure(
                        "a grant of a token bound to this very session should get no reply, the peer sent '\(reply.kind)'", envelope: reply)
                }
                let disclose = try await context.send(.disclose(context.disclosure(for: grant)), in: &session)
                try await context.expect([.confirm], in: &session, after: disclose, what: "disclosing under a session-bound token")
            },
            make(
                "consent.signed-grant", .consent, "a grant signed over its consent statement is accepted",
                "CONSENT.md §10.1; PROTOCOL.md §5.3",
                covers: rows(.consentRequested, .customer, .consentGrant) + rows(.disclosing, .customer, .disclose)
            ) { context in
                guard let key = context.profile.customerSigningKey else { throw ConformanceSkip("the profile has no customerSigningKey") }
                var (session, request) = try await context.reachConsentRequested()
                let grant = context.grant(for: request).signed(
                    with: key, session: session.session, customer: session.local, company: session.peer, grantedAt: session.now,
                    transcriptDigest: session.agreementDigest)
                try await context.send(.consentGrant(grant), in: &session)
                if let reply = try await context.nextIfAny(in: &session) {
                    throw ConformanceFailure("a correctly signed grant should get no reply, the peer sent '\(reply.kind)'", envelope: reply)
                }
                let disclose = try await context.send(.disclose(context.disclosure(for: grant)), in: &session)
                try await context.expect([.confirm], in: &session, after: disclose, what: "disclosing under a signed grant")
            },
            make(
                "proof.company-signs-confirms", .flow,
                "the company signs its confirm with its published key, over exactly the confirm it sends",
                "PROTOCOL.md §5.7", covers: rows(.disclosing, .company, .confirm)
            ) { context in
                guard let key = context.profile.companyPublicKey else {
                    throw ConformanceSkip("the profile names no company public key (companyPublicKey)")
                }
                let (session, confirm) = try await context.reachBooked()
                let envelope = Envelope(
                    id: "confirm", session: session.session, from: session.peer, to: session.local, sequence: 1, sentAt: session.now,
                    message: .confirm(confirm))
                do {
                    _ = try SignedReceipt.booking(from: envelope, trusting: [key])
                } catch {
                    throw ConformanceFailure("the confirm's signature does not prove it: \(error) (§5.7)")
                }
            },
            tokenCase(
                "consent.bad-signature", "a grant whose signature covers another session's statement is consent-bad-signature",
                code: .consentBadSignature, spec: "CONSENT.md §10.1; PROTOCOL.md §5.3, §8", caveats: standard,
                tamper: { grant in
                    grant.signed(
                        with: CustomerCases.strangerKey, session: "another-session", customer: "conformance.example/customer",
                        company: "salon.example/bot", grantedAt: Instant(secondsSinceEpoch: 0),
                        transcriptDigest: String(repeating: "0", count: 64))
                }),
            tokenCase(
                "consent.token-unknown-caveat", "a token with a caveat nobody understands is token-unknown-caveat",
                code: .tokenUnknownCaveat,
                caveats: { context, request in standard(context, request) + ["colour = blue"] }),
            tokenCase(
                "consent.token-malformed-caveat", "a token with a malformed caveat is token-malformed", code: .tokenMalformed,
                caveats: { context, request in standard(context, request) + ["time < tomorrow"] }),
            tokenCase(
                "consent.token-malformed", "a token that is not a macaroon is token-malformed", code: .tokenMalformed,
                caveats: { _, _ in nil },
                tamper: { grant in
                    var grant = grant
                    grant.token = "AAAA"
                    return grant
                }),
            tokenCase(
                "consent.token-id-mismatch", "a grant whose tokenId is not the token's id is invalid-field", code: .invalidField,
                spec: "PROTOCOL.md §5.3", caveats: { _, _ in nil },
                tamper: { grant in
                    var grant = grant
                    grant.tokenID = "tok-not-the-tokens-id"
                    return grant
                }),
            make(
                "consent.token-revoked", .consent, "a token revoked in an earlier session is token-revoked",
                "CONSENT.md §7 step 3, §8; PROTOCOL.md §5.3", covers: rows(.ready, .customer, .consentRevoke), codes: [.tokenRevoked]
            ) { context in
                let tokenID = TokenID(stringLiteral: "tok-revoked-\(context.newSessionID().rawValue.suffix(16))")
                var first = try await context.greet()
                try await context.send(.consentRevoke(.init(tokenID: tokenID)), in: &first)
                if let reply = try await context.nextIfAny(in: &first) {
                    throw ConformanceFailure("a consent-revoke needs no reply, the peer sent '\(reply.kind)'", envelope: reply)
                }
                try await context.send(.close(.init(outcome: "done")), in: &first)
                var (session, request) = try await context.reachConsentRequested()
                let grant = context.grant(for: request, tokenID: tokenID)
                let sent = try await context.send(.consentGrant(grant), in: &session, expectRejection: true)
                try await context.expectError(.tokenRevoked, in: &session, answering: sent, what: "a grant of a revoked token")
                try await expectStillConsentRequested(context, &session, request)
            },
        ]
    }

    // MARK: Privacy

    static var privacy: [ConformanceCase] {
        [
            make(
                "privacy.consent-request-declared", .privacy, "a consent request asks only for data the accepted proposal declared",
                "PROTOCOL.md §7, §11", covers: rows(.accepted, .company, .consentRequest)
            ) { context in
                let (session, request) = try await context.reachConsentRequested()
                guard let accepted = session.accepted else { return }
                let covered = accepted.requires.contains { requirement in
                    requirement.purpose == request.purpose && request.retentionDays <= requirement.retentionDays
                        && request.fields.allSatisfy(requirement.fields.contains)
                }
                try context.require(
                    covered, "the consent request for \(request.fields) / \(request.purpose) exceeds what proposal \(accepted.id) declared",
                    session.lastReceived)
            },
            make(
                "privacy.field-not-granted", .privacy, "a disclosure beyond the grant is field-not-granted; the session goes on",
                "PROTOCOL.md §7; CONSENT.md §9", covers: rows(.disclosing, .company, .error, .nonFatal), codes: [.fieldNotGranted]
            ) { context in
                var (session, grant) = try await context.reachDisclosing()
                var data = context.disclosure(for: grant).data
                data[.email] = "kit@example.org"
                let sent = try await context.send(.disclose(.init(tokenID: grant.tokenID, data: data)), in: &session, expectRejection: true)
                try await context.expectError(
                    .fieldNotGranted, in: &session, answering: sent, what: "disclosing 'email' under a grant for \(grant.fields)")
                let disclose = try await context.send(.disclose(context.disclosure(for: grant)), in: &session)
                try await context.expect([.confirm, .consentRequest], in: &session, after: disclose, what: "the corrected disclosure")
            },
            make(
                "privacy.disclose-without-grant", .privacy, "data on an accept without a grant is field-not-granted",
                "PROTOCOL.md §7", covers: rows(.offered, .company, .error, .nonFatal), codes: [.fieldNotGranted]
            ) { context in
                var session = try await context.reachOffered()
                let accept = Message.Accept(
                    proposal: try session.firstProposal().id, disclosures: [.init(tokenID: "tok-never-granted", data: [.givenName: "Kit"])])
                let sent = try await context.send(.accept(accept), in: &session, expectRejection: true)
                try await context.expectError(
                    .fieldNotGranted, in: &session, answering: sent, what: "an accept disclosing data under no grant")
            },
        ]
    }

    // MARK: Idempotency and replays

    static var idempotency: [ConformanceCase] {
        [
            make(
                "idempotency.same-reply", .idempotency, "the same message again gets the same reply, unchanged, and nothing else",
                "PROTOCOL.md §5.5"
            ) { context in
                var session = try await context.greet()
                let request = try await context.send(
                    .request(.init(service: context.profile.service, windows: [context.profile.wideWindow])), in: &session)
                let first = try await context.next(in: &session, after: request)
                try await context.send(request)
                let again = try await context.next(in: &session, after: request, resends: true)
                try context.require(again.json == first.json, "the resent reply differs from the original (§5.5: unchanged)", again)
                if let extra = try await context.nextIfAny(in: &session) {
                    throw ConformanceFailure("a duplicate got more than the original reply", envelope: extra)
                }
            },
            make(
                "idempotency.same-error", .idempotency, "a duplicate of a rejected message gets the same error again", "PROTOCOL.md §5.5",
                codes: [.unexpectedMessage]
            ) { context in
                var session = try await context.greet()
                let accept = try await context.send(.accept(.init(proposal: "p-none")), in: &session, expectRejection: true)
                let first = try await context.expectError(.unexpectedMessage, in: &session, answering: accept, what: "an accept in 'ready'")
                try await context.send(accept)
                let again = try await context.next(in: &session, after: accept, resends: true)
                try context.require(again.json == first.json, "the resent error differs from the original", again)
            },
            make(
                "idempotency.duplicate-conflict", .idempotency,
                "a used id with a different body is duplicate-conflict, with no other effect",
                "PROTOCOL.md §5.5", codes: [.duplicateConflict]
            ) { context in
                var session = try await context.greet()
                let request = try await context.send(
                    .request(.init(service: context.profile.service, windows: [context.profile.wideWindow])), in: &session)
                _ = try await context.next(in: &session, after: request)
                let conflicting = session.crafted(
                    .request(.init(service: context.profile.category, windows: [context.profile.freeWindow])), id: request.id,
                    sequence: request.sequence)
                try await context.send(conflicting)
                try await context.expectError(.duplicateConflict, in: &session, answering: conflicting, what: "a conflicting duplicate")
                guard let proposal = session.table.first else {
                    throw ConformanceFailure("the request got no proposals, so the case cannot go on", envelope: request)
                }
                let accept = try await context.send(.accept(.init(proposal: proposal.id)), in: &session)
                try await context.expect(
                    [.consentRequest, .confirm], in: &session, after: accept, what: "the original proposals after the conflict")
            },
            make(
                "idempotency.replayed-seq", .idempotency, "a new id with an old seq is replayed-message, with no other effect",
                "PROTOCOL.md §5.5, §9", codes: [.replayedMessage]
            ) { context in
                var session = try await context.greet()
                let request = try await context.send(
                    .request(.init(service: context.profile.service, windows: [context.profile.wideWindow])), in: &session)
                _ = try await context.next(in: &session, after: request)
                let replay = session.crafted(
                    .request(.init(service: context.profile.service, windows: [context.profile.busyWindow])), id: "replay-1",
                    sequence: request.sequence)
                try await context.send(replay)
                try await context.expectError(
                    .replayedMessage, in: &session, answering: replay, what: "a new id with seq \(request.sequence)")
                let accept = try await context.send(.accept(.init(proposal: session.firstProposal().id)), in: &session)
                try await context.expect(
                    [.consentRequest, .confirm], in: &session, after: accept, what: "the original proposals after the replay")
            },
        ]
    }

    // MARK: Transition table, phase by phase

    /// The customer-turn phases a company peer can be held in.
    static let heldPhases: [SessionPhase] = [
        .start, .ready, .questioned, .offered, .consentRequested, .disclosing, .booked, .declined, .handedOff,
    ]

    static var table: [ConformanceCase] {
        heldPhases.map { phase in
            var covers = rows(phase, .customer, .close) + rows(phase, .customer, .error) + rows(phase, .company, .error, .nonFatal)
            if phase != .start { covers += rows(phase, .customer, .consentRevoke) + rows(phase, .company, .error, .fatal) }
            let codes: [ParleyError.Code] =
                phase == .start ? [.unexpectedMessage, .sessionClosed] : [.unexpectedMessage, .sessionClosed, .unsupportedVersion]
            return make(
                "table.company.\(phase)", .table, "in '\(phase)' close, errors and revocations are admitted; other messages are unexpected",
                "PROTOCOL.md §6, §6.1, §8", covers: covers, codes: codes
            ) { context in
                // close: the session ends.
                var session = try await context.reach(phase)
                try await context.send(.close(.init(outcome: "done")), in: &session)
                try await context.expectEnded(&session, what: "close in '\(phase)'")
                // A fatal error: the session fails.
                session = try await context.reach(phase)
                try await context.send(.error(.init(code: "internal-error", text: "conformance probe", retryable: true)), in: &session)
                try await context.expectEnded(&session, what: "a fatal error in '\(phase)'")
                // A non-fatal error (an unknown code is non-fatal): nothing changes.
                session = try await context.reach(phase)
                try await context.send(
                    .error(.init(code: "x-conformance-probe", text: "conformance probe", retryable: false)), in: &session)
                if phase == .start {
                    let hello = try await context.send(.hello(.init(role: .customer)), in: &session)
                    try await context.expect([.hello], in: &session, after: hello, what: "a hello after a non-fatal error in 'start'")
                    let probe = try await context.send(.reject(.init(reason: "other")), in: &session, expectRejection: true)
                    _ = probe
                    var fresh = context.customerSession()
                    let early = try await context.send(.reject(.init(reason: "other")), in: &fresh, expectRejection: true)
                    try await context.expectError(.unexpectedMessage, in: &fresh, answering: early, what: "a reject as the first message")
                    return
                }
                try await context.expectAlive(&session, what: "a non-fatal error in '\(phase)'")
                // A revocation: nothing changes.
                session = try await context.reach(phase)
                try await context.send(.consentRevoke(.init(tokenID: "tok-conformance-unknown")), in: &session)
                try await context.expectAlive(&session, what: "a consent-revoke in '\(phase)'")
                // A fatal decoding error from the peer: the session fails.
                session = try await context.reach(phase)
                let (id, sequence) = session.reserveSequence()
                let wrongVersion = session.crafted(.close(.init(outcome: "done")), id: id, sequence: sequence, version: 2)
                try await context.send(wrongVersion)
                try await context.expectError(
                    .unsupportedVersion, in: &session, answering: nil, what: "an envelope of version 2 in '\(phase)'")
                try await context.expectEnded(&session, what: "after unsupported-version in '\(phase)'")
            }
        }
    }
}
