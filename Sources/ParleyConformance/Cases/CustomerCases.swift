import Parley

/// The cases run against a customer peer; the suite plays the company. A customer peer opens one
/// session and negotiates as its person wants (S1: a haircut on 3 May); the suite answers.
enum CustomerCases {
    static var all: [ConformanceCase] { content + terms + signatures + flows + privacy + expiry + idempotency + table }

    typealias Row = TransitionTable.Row
    static func rows(_ phase: SessionPhase, _ sender: Role, _ kind: Message.Kind, _ condition: TransitionTable.Condition? = nil) -> [Row] {
        TransitionTable.rows(phase, sender, kind, condition)
    }

    static func make(
        _ id: String, _ group: ConformanceCase.Group, _ title: String, _ spec: String, covers: [Row] = [], codes: [ParleyError.Code] = [],
        _ run: @escaping @Sendable (ConformanceContext) async throws -> Void
    ) -> ConformanceCase {
        ConformanceCase(id: id, group: group, title: title, specSection: spec, role: .customer, covers: covers, codes: codes, run: run)
    }

    static let opening = rows(.start, .customer, .hello) + rows(.greeting, .company, .hello) + rows(.ready, .customer, .request)

    static var content: [ConformanceCase] {
        [
            make(
                "content.customer.offer-outside-window", .content,
                "an offer outside the asked window is offer-outside-window; an inside one is taken",
                "PROTOCOL.md §7", covers: rows(.requested, .customer, .error, .nonFatal) + rows(.requested, .company, .offer),
                codes: [.offerOutsideWindow]
            ) { context in
                var (session, request) = try await context.reachRequested()
                let outside = context.proposal("p-outside", at: context.outside(request), request: request)
                let offer = try await context.send(.offer(.init(proposals: [outside])), in: &session, expectRejection: true)
                try await context.expectError(
                    .offerOutsideWindow, in: &session, answering: offer, what: "an offer starting outside every window")
                let inside = context.proposal("p-inside", at: context.inside(request), request: request)
                let good = try await context.send(.offer(.init(proposals: [inside])), in: &session)
                try await context.expect(
                    [.accept, .reject, .counterRequest, .question, .close], in: &session, after: good, what: "a valid offer")
            },
            make(
                "content.customer.agreement-mismatch", .content, "a confirm with a wrong agreement digest is agreement-mismatch (fatal)",
                "PROTOCOL.md §5.6, §7", covers: rows(.accepted, .customer, .error, .fatal), codes: [.agreementMismatch]
            ) { context in
                var session = try await context.reachAccepted()
                guard let proposal = session.accepted else { return }
                let confirm = context.signed(context.confirmation(of: proposal, digest: String(repeating: "0", count: 64)), in: session)
                let sent = try await context.send(.confirm(confirm), in: &session, expectRejection: true)
                try await context.expectError(.agreementMismatch, in: &session, answering: sent, what: "a confirm with a zero digest")
            },
            make(
                "content.customer.decline-with-proposals", .content, "proposals on a decline are on the table like an offer",
                "PROTOCOL.md §5.2, §6", covers: rows(.requested, .company, .decline, .withProposals) + rows(.offered, .customer, .accept)
            ) { context in
                var (session, request) = try await context.reachRequested()
                let proposal = context.proposal("p-after-decline", at: context.inside(request), request: request)
                let decline = try await context.send(.decline(.init(reason: "slot-taken", proposals: [proposal])), in: &session)
                try await context.expect([.accept], in: &session, after: decline, what: "a decline carrying an acceptable proposal")
            },
            make(
                "content.customer.counter-offer", .content, "a counter-offer outside the window is not accepted blindly",
                "PROTOCOL.md §5.2",
                covers: rows(.requested, .company, .counterOffer) + rows(.offered, .customer, .counterRequest)
            ) { context in
                var (session, request) = try await context.reachRequested()
                let proposal = context.proposal("p-counter", at: context.outside(request), request: request)
                let sent = try await context.send(.counterOffer(.init(proposals: [proposal])), in: &session)
                try await context.expect(
                    [.counterRequest, .reject, .close, .accept, .question], in: &session, after: sent, what: "a counter-offer")
            },
            make(
                "content.customer.question", .content, "a company question is answered with one of its options", "PROTOCOL.md §5.2, §7",
                covers: rows(.requested, .company, .question) + rows(.questioned, .customer, .answer)
            ) { context in
                var (session, _) = try await context.reachRequested()
                let options = [
                    Message.Question.Option(value: "haircut-women", label: "Women's haircut"),
                    Message.Question.Option(value: "haircut-women-long", label: "Wash, cut and blow-dry"),
                ]
                let question = try await context.send(
                    .question(.init(id: "kq1", topic: "service", text: "Which service?", options: options)), in: &session)
                let reply = try await context.expect(
                    [.answer, .counterRequest, .close], in: &session, after: question, what: "a question with options")
                if case .answer(let answer) = reply.message {
                    try context.require(
                        answer.question == "kq1" && options.contains { $0.value == answer.value }, "the answer is not one of the options",
                        reply)
                }
            },
            make(
                "content.customer.handoff", .content, "after a hand-off the customer closes", "PROTOCOL.md §5.4",
                covers: rows(.accepted, .company, .handoff) + rows(.handedOff, .customer, .close)
            ) { context in
                var session = try await context.reachAccepted()
                let handoff = try await context.send(
                    .handoff(.init(reason: "needs-consultation", channel: "phone", summary: "conformance")), in: &session)
                try await context.expect([.close], in: &session, after: handoff, what: "a hand-off")
            },
            make(
                "content.customer.decline-after-accept", .content, "a decline after the accept is taken; the customer may ask again",
                "PROTOCOL.md §6", covers: rows(.accepted, .company, .decline, .withoutProposals)
            ) { context in
                var session = try await context.reachAccepted()
                let decline = try await context.send(.decline(.init(reason: "slot-taken")), in: &session)
                try await context.expect([.request, .counterRequest, .question, .close], in: &session, after: decline, what: "a decline")
            },
            make(
                "content.customer.decline-after-accept-with-proposals", .content,
                "a decline with fresh proposals after the accept is an offer",
                "PROTOCOL.md §6", covers: rows(.accepted, .company, .decline, .withProposals)
            ) { context in
                var session = try await context.reachAccepted()
                guard let accepted = session.accepted else { return }
                var fresh = accepted
                fresh.id = "p-fresh"
                let decline = try await context.send(.decline(.init(reason: "slot-taken", proposals: [fresh])), in: &session)
                try await context.expect(
                    [.accept, .reject, .counterRequest, .close], in: &session, after: decline, what: "a decline with proposals")
            },
        ]
    }

    static var flows: [ConformanceCase] {
        [
            make(
                "flow.customer.booking", .flow, "request, offer, accept, consent, disclosure, confirm, close 'booked'",
                "PROTOCOL.md §5, §5.6; scenarios.md S1",
                covers: opening + rows(.requested, .company, .offer) + rows(.offered, .customer, .accept)
                    + rows(.accepted, .company, .consentRequest)
                    + rows(.consentRequested, .customer, .consentGrant) + rows(.disclosing, .customer, .disclose)
                    + rows(.accepted, .company, .confirm) + rows(.booked, .customer, .close)
            ) { context in
                var (session, _, _) = try await context.reachDisclosed()
                guard let proposal = session.accepted else { return }
                let confirm = try await context.send(
                    .confirm(context.signed(context.confirmation(of: proposal, digest: session.agreementDigest), in: session)), in: &session
                )
                let reply = try await context.expect([.close], in: &session, after: confirm, what: "a correct confirm")
                if case .close(let close) = reply.message {
                    try context.require(close.outcome == "booked", "the customer closed with '\(close.outcome)', not 'booked'", reply)
                }
            },
            make(
                "content.customer.consent-deny", .content,
                "a proposal requiring data the person's policy refuses is refused before the accept, or its request denied after it",
                "PROTOCOL.md §5.2, §5.3; CONSENT.md §9",
                covers: rows(.offered, .customer, .reject) + rows(.consentRequested, .customer, .consentDeny)
            ) { context in
                var (session, request) = try await context.reachRequested()
                let refused = context.profile.refusedRequirement
                let offer = try await context.send(
                    .offer(.init(proposals: [context.proposal("p1", at: context.inside(request), request: request, requirement: refused)])),
                    in: &session)
                let answer = try await context.expect(
                    [.accept, .reject, .counterRequest, .close], in: &session, after: offer, what: "an offer requiring refused data")
                guard answer.kind == .accept else {
                    context.note("the customer decided before accepting (\(answer.kind))")
                    return
                }
                if case .accept(let accept) = answer.message, !accept.disclosures.isEmpty {
                    throw ConformanceFailure("data disclosed for a requirement the policy refuses", envelope: answer)
                }
                let sent = try await context.send(
                    .consentRequest(
                        .init(id: "kcr1", fields: refused.fields, purpose: refused.purpose, retentionDays: refused.retentionDays)),
                    in: &session)
                try await context.expect([.consentDeny, .close], in: &session, after: sent, what: "a request the policy refuses")
                if let extra = try await context.nextIfAny(in: &session), extra.kind == .disclose {
                    throw ConformanceFailure("data disclosed after a refusal", envelope: extra)
                }
            },
        ]
    }

    static var privacy: [ConformanceCase] {
        [
            make(
                "privacy.customer.excessive-request", .privacy,
                "a consent request beyond the declaration is excessive-data-request; nothing is disclosed",
                "PROTOCOL.md §7, §11", covers: rows(.accepted, .customer, .error, .nonFatal), codes: [.excessiveDataRequest]
            ) { context in
                var session = try await context.reachAccepted()
                let sent = try await context.send(
                    .consentRequest(.init(id: "kcr-x", fields: [.givenName, .email], purpose: .booking, retentionDays: 30)),
                    in: &session, expectRejection: true)
                try await context.expectError(
                    .excessiveDataRequest, in: &session, answering: sent, what: "a request for an undeclared field")
                if let extra = try await context.nextIfAny(in: &session) {
                    try context.require(
                        ![.consentGrant, .disclose].contains(extra.kind), "the customer granted or disclosed after refusing", extra)
                }
            },
            make(
                "privacy.customer.grant-matches-token", .privacy,
                "the grant's token states exactly the clear scope: audience, purpose, fields, expiry",
                "PROTOCOL.md §5.3; CONSENT.md §4, §5"
            ) { context in
                let (session, grant, _) = try await context.reachDisclosed()
                let token: ConsentToken
                do { token = try ConsentToken(serialized: grant.token) } catch {
                    throw ConformanceFailure("the grant's token does not parse: \(error)", envelope: session.lastReceived)
                }
                try context.require(token.id == grant.tokenID, "tokenId \(grant.tokenID) ≠ the token's id \(token.id)")
                let caveats: [Caveat]
                do { caveats = try token.caveats() } catch {
                    throw ConformanceFailure("the token's caveats do not parse: \(error)")
                }
                var audiences: [AgentID] = [], purposes: Set<Purpose> = [], fields: Set<DataField> = [], expiries: [Instant] = []
                for caveat in caveats {
                    switch caveat {
                    case .audience(let agent): audiences.append(agent)
                    case .purposes(let set): purposes.formUnion(set)
                    case .fields(let set): fields.formUnion(set)
                    case .expiry(let instant): expiries.append(instant)
                    case .session, .retention: break
                    }
                }
                try context.require(audiences == [session.local], "the token's audience is \(audiences), not [\(session.local)]")
                try context.require(
                    purposes == [grant.purpose], "the token allows purposes \(purposes.sorted()), the grant says \(grant.purpose)")
                try context.require(fields == Set(grant.fields), "the token covers \(fields.sorted()), the grant says \(grant.fields)")
                try context.require(expiries == [grant.expiresAt], "the token expires \(expiries), the grant says \(grant.expiresAt)")
            },
            make(
                "privacy.customer.disclose-only-granted", .privacy,
                "the disclosure carries exactly the granted fields, under the grant's token",
                "PROTOCOL.md §7, §11; CONSENT.md §9", codes: [.fieldNotGranted]
            ) { context in
                let (session, grant, disclose) = try await context.reachDisclosed()
                try context.require(
                    disclose.tokenID == grant.tokenID, "the disclosure names token \(disclose.tokenID), the grant \(grant.tokenID)",
                    session.lastReceived)
                let extra = Set(disclose.data.keys).subtracting(grant.fields)
                try context.require(extra.isEmpty, "disclosed \(extra.sorted()) without a grant", session.lastReceived)
                try context.require(
                    Set(disclose.data.keys) == Set(grant.fields), "disclosed \(disclose.data.keys.sorted()), granted \(grant.fields)",
                    session.lastReceived)
            },
        ]
    }

    static var expiry: [ConformanceCase] {
        [
            make(
                "expiry.customer.expired-offer", .expiry, "a proposal whose expiresAt has passed is never accepted", "PROTOCOL.md §6.2, §7",
                codes: [.offerExpired]
            ) { context in
                var (session, request) = try await context.reachRequested()
                var proposal = context.proposal("p-expired", at: context.inside(request), request: request)
                let now = session.lastReceived?.sentAt ?? context.profile.now
                proposal.expiresAt = now.adding(seconds: -3600)
                let offer = try await context.send(.offer(.init(proposals: [proposal])), in: &session)
                let reply = try await context.nextIfAny(in: &session, within: context.replyTimeout)
                if let reply, case .accept(let accept) = reply.message, accept.proposal == proposal.id {
                    throw ConformanceFailure("accepted proposal \(proposal.id), which expired at \(proposal.expiresAt)", envelope: reply)
                }
                _ = offer
            }
        ]
    }

    static var idempotency: [ConformanceCase] {
        [
            make("idempotency.customer.same-reply", .idempotency, "the same offer again gets the same reply, unchanged", "PROTOCOL.md §5.5")
            { context in
                var (session, request) = try await context.reachRequested()
                let proposal = context.proposal("p-dup", at: context.inside(request), request: request)
                let offer = try await context.send(.offer(.init(proposals: [proposal])), in: &session)
                let first = try await context.next(in: &session, after: offer)
                try await context.send(offer)
                let again = try await context.next(in: &session, after: offer, resends: true)
                try context.require(again.json == first.json, "the resent reply differs from the original", again)
            },
            make(
                "idempotency.customer.duplicate-conflict", .idempotency, "a used id with a different body is duplicate-conflict",
                "PROTOCOL.md §5.5", codes: [.duplicateConflict]
            ) { context in
                var (session, request) = try await context.reachRequested()
                let proposal = context.proposal("p-a", at: context.inside(request), request: request)
                let offer = try await context.send(.offer(.init(proposals: [proposal])), in: &session)
                _ = try await context.next(in: &session, after: offer)
                var other = proposal
                other.id = "p-b"
                let conflicting = session.crafted(.offer(.init(proposals: [other])), id: offer.id, sequence: offer.sequence)
                try await context.send(conflicting)
                try await context.expectError(.duplicateConflict, in: &session, answering: conflicting, what: "a conflicting duplicate")
            },
            make(
                "idempotency.customer.replayed-seq", .idempotency, "a new id with an old seq is replayed-message", "PROTOCOL.md §5.5",
                codes: [.replayedMessage]
            ) { context in
                var (session, _) = try await context.reachRequested()
                let replay = session.crafted(.hello(.init(role: .company)), id: "replay-1", sequence: 1)
                try await context.send(replay)
                try await context.expectError(.replayedMessage, in: &session, answering: replay, what: "a new id with seq 1")
            },
        ]
    }
}
