extension CustomerAgent {
    /// Takes the best acceptable proposal, or asks for the next window, or gives up.
    ///
    /// A proposal is acceptable when the wishes admit it (windows, price ceiling, service, and the
    /// duration and cancellation limits) and the person's privacy policy (or the person, through
    /// the approval hook) agrees to share what it `requires`: that is decided here, before the
    /// accept, never after it (`Spec/PROTOCOL.md` §5.2).
    func consider(_ proposals: [Proposal], session id: SessionID, now: Instant) async -> [Message] {
        guard let state = sessions[id] else { return [] }
        var refusals: [ProposalRefusal] = []
        if case .reschedule(_, let windows, _) = state.goal {
            for proposal in proposals where now < proposal.expiresAt {
                // The booking's data was shared when it was made: moving it asks for none.
                guard let refusal = Self.rescheduleRefusal(of: proposal, windows: windows, limits: wishes.limits) else {
                    return [.accept(.init(proposal: proposal.id))]
                }
                refusals.append(refusal)
            }
            sessions[id]?.outcome = .noAgreement(.noSuitableProposal(refusals))
            return [rejection(refusals), .close(.init(outcome: "no-agreement"))]
        }
        var ranked: [(Proposal, Int64)] = []
        for proposal in proposals where now < proposal.expiresAt {
            if let score = strategy.score(proposal, proposal.price, wishes) {
                ranked.append((proposal, score))
            } else {
                refusals.append(wishes.refusal(of: proposal) ?? .outsideWindows)
            }
        }
        // Best score first; among equals, the company's order.
        let best = ranked.enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element.0)
        for proposal in best {
            if let refusal = await dataRefusal(of: proposal, session: id) {
                refusals.append(refusal)
                continue
            }
            if case .book(collecting: true) = state.goal {
                sessions[id]?.candidate = proposal
                return []
            }
            return [
                .accept(acceptance(of: proposal, session: id, addOns: await chooseAddOns(of: proposal, company: state.company), now: now))
            ]
        }
        let nextWindow = state.windowIndex + 1
        if nextWindow < wishes.windows.count {
            sessions[id]?.windowIndex = nextWindow
            return [
                .counterRequest(
                    .init(
                        service: wishes.service, windows: [wishes.windows[nextWindow]], preferredStart: wishes.preferredStart,
                        partySize: wishes.partySize, priceCeiling: wishes.priceCeiling, concludeBy: wishes.concludeBy))
            ]
        }
        sessions[id]?.outcome = .noAgreement(.noSuitableProposal(refusals))
        return [rejection(refusals), .close(.init(outcome: "no-agreement"))]
    }

    /// Why a proposal for a reschedule is not acceptable: outside the new windows or the limits.
    private static func rescheduleRefusal(of proposal: Proposal, windows: [TimeWindow], limits: TermLimits) -> ProposalRefusal? {
        guard windows.contains(where: { $0.contains(proposal.slot.start) }) else { return .outsideWindows }
        return limits.refusal(of: proposal)
    }

    /// The `reject` of everything on the table, giving the first refusal's reason and saying why in its text.
    private func rejection(_ refusals: [ProposalRefusal]) -> Message {
        guard let first = refusals.first else { return .reject(.init(reason: "no-suitable-proposal")) }
        return .reject(.init(reason: first.rejectReason, text: "The proposal \(first.summary)."))
    }

    /// Whether the person shares what `proposal` requires, asked before accepting it: `nil` when
    /// every requirement is allowed (or approved by the person, remembered for the consent
    /// request that follows), else the refusal naming the fields.
    func dataRefusal(of proposal: Proposal, session id: SessionID) async -> ProposalRefusal? {
        guard let company = sessions[id]?.company else { return nil }
        for requirement in proposal.requires {
            let refused = ProposalRefusal.requiresRefusedData(fields: requirement.fields, purpose: requirement.purpose)
            guard requirement.fields.allSatisfy({ personalData[$0] != nil }) else { return refused }
            switch policy.decision(fields: requirement.fields, purpose: requirement.purpose, retentionDays: requirement.retentionDays) {
            case .allow:
                continue
            case .deny:
                return refused
            case .ask:
                if sessions[id]?.approved.contains(requirement) == true { continue }
                let request = ApprovalRequest(
                    company: company, fields: requirement.fields, purpose: requirement.purpose, retentionDays: requirement.retentionDays,
                    inExchangeFor: nil)
                guard await approval?(request) ?? false else { return refused }
                sessions[id]?.approved.append(requirement)
            }
        }
        return nil
    }

    /// The promotional add-ons the person's policy (or the person) agrees to trade data for.
    private func chooseAddOns(of proposal: Proposal, company: AgentID) async -> [AddOnID] {
        var chosen: [AddOnID] = []
        for addOn in proposal.addOns where !addOn.requires.isEmpty {
            var agreed = true
            for requirement in addOn.requires {
                let decision = policy.decision(
                    fields: requirement.fields, purpose: requirement.purpose, retentionDays: requirement.retentionDays,
                    discountPercent: addOn.discountPercent)
                switch decision {
                case .allow: continue
                case .deny: agreed = false
                case .ask:
                    let request = ApprovalRequest(
                        company: company, fields: requirement.fields, purpose: requirement.purpose,
                        retentionDays: requirement.retentionDays, inExchangeFor: addOn)
                    agreed = await approval?(request) ?? false
                }
                if !agreed { break }
            }
            if agreed && addOn.requires.allSatisfy({ $0.fields.allSatisfy { personalData[$0] != nil } }) { chosen.append(addOn.id) }
        }
        return chosen
    }

    /// The accept message; with ``discloseWithAcceptance``, grants and data for every declared requirement the policy allows ride along.
    func acceptance(of proposal: Proposal, session id: SessionID, addOns: [AddOnID], now: Instant) -> Message.Accept {
        var accept = Message.Accept(proposal: proposal.id, addOns: addOns)
        guard discloseWithAcceptance, let company = sessions[id]?.company else { return accept }
        let requirements = proposal.requires + addOns.compactMap { proposal.addOn($0) }.flatMap(\.requires)
        for requirement in requirements {
            let decision = policy.decision(
                fields: requirement.fields, purpose: requirement.purpose, retentionDays: requirement.retentionDays)
            guard
                decision == .allow
                    || (decision == .ask
                        && (sessions[id]?.approved.contains(requirement) == true
                            || addOns.contains(where: { proposal.addOn($0)?.requires.contains(requirement) == true }))),
                let (grant, disclosure) = grantAndDisclose(
                    fields: requirement.fields, purpose: requirement.purpose, retentionDays: requirement.retentionDays, request: nil,
                    company: company, session: id, proposal: proposal, now: now)
            else { continue }
            accept.grants.append(grant)
            accept.disclosures.append(disclosure)
        }
        return accept
    }

    /// Grants and discloses exactly what a consent request asks, if the policy (or the person) allows it.
    func answerConsentRequest(_ request: Message.ConsentRequest, session id: SessionID, now: Instant) async -> [Message] {
        guard let state = sessions[id] else { return [] }
        let proposal = state.machine.acceptedProposal
        let promotion = state.machine.acceptedAddOns.compactMap { proposal?.addOn($0) }.first {
            $0.requires.contains { $0.purpose == request.purpose }
        }
        var decision = policy.decision(
            fields: request.fields, purpose: request.purpose, retentionDays: request.retentionDays,
            discountPercent: promotion?.discountPercent)
        let approvedBeforeAccepting = state.approved.contains {
            $0.covers(fields: request.fields, purpose: request.purpose, retentionDays: request.retentionDays)
        }
        if decision == .ask {
            // An add-on the person already agreed to, or the person before the accept, approved exactly this.
            if promotion != nil || approvedBeforeAccepting {
                decision = .allow
            } else {
                let approved =
                    await approval?(
                        ApprovalRequest(
                            company: state.company, fields: request.fields, purpose: request.purpose, retentionDays: request.retentionDays,
                            inExchangeFor: nil)) ?? false
                decision = approved ? .allow : .deny
            }
        }
        guard decision == .allow,
            let (grant, disclosure) = grantAndDisclose(
                fields: request.fields, purpose: request.purpose, retentionDays: request.retentionDays, request: request.id,
                company: state.company, session: id, proposal: proposal, now: now)
        else {
            return [.consentDeny(.init(request: request.id, text: "The person does not share that."))]
        }
        return [.consentGrant(grant), .disclose(disclosure)]
    }

    /// Mints a token for exactly `fields` and `purpose` and builds the disclosure of those fields.
    /// `nil` when the person's data lacks a field.
    private func grantAndDisclose(
        fields: [DataField], purpose: Purpose, retentionDays: Int, request: ConsentRequestID?, company: AgentID, session: SessionID,
        proposal: Proposal?, now: Instant
    ) -> (Message.ConsentGrant, Message.Disclose)? {
        var data: [DataField: String] = [:]
        for field in fields {
            guard let value = personalData[field] else { return nil }
            data[field] = value
        }
        // The company may use the data until the appointment is over plus the retention period.
        let until = (proposal?.slot.end ?? now).adding(seconds: Int64(max(retentionDays, 1)) * 86_400)
        let tokenID = TokenID(stringLiteral: "t-\(random.hex())")
        guard
            let minted = consent.grant(
                tokenID: tokenID, request: request, audience: company, purpose: purpose, fields: fields, expiresAt: until,
                retentionDays: retentionDays, session: session, now: now, transcriptDigest: sessions[session]?.machine.agreementDigest ?? ""
            )
        else { return nil }
        let grant = signed(minted, session: session, company: company, now: now)
        sessions[session]?.grants.append(grant)
        emit(.consentGranted(session, tokenID: tokenID, fields: fields, purpose: purpose), session: session)
        return (grant, Message.Disclose(tokenID: tokenID, data: data))
    }

    /// `grant` with this agent's signature over its consent statement (`Spec/CONSENT.md` §10.1),
    /// which is also kept as a signed consent receipt; `grant` itself when the agent has no key.
    /// The grant leaves in a message sent at `now`, right after the session's current transcript.
    private func signed(_ grant: Message.ConsentGrant, session: SessionID, company: AgentID, now: Instant) -> Message.ConsentGrant {
        guard let signingKey, let digest = sessions[session]?.machine.agreementDigest else { return grant }
        let statement = SignedStatement.consent(
            grant, session: session, customer: id, company: company, grantedAt: now, transcriptDigest: digest)
        var grant = grant
        grant.signature = MessageSignature(signing: statement, with: signingKey, includingKey: true)
        if let signature = grant.signature,
            let receipt = try? SignedReceipt(statement: statement, signature: signature, publicKey: signingKey.publicKey)
        {
            consentProofs[grant.tokenID] = receipt
        }
        return grant
    }

    func declined(_ decline: Message.Decline, session id: SessionID) -> [Message] {
        guard let state = sessions[id] else { return [] }
        if decline.reason == "no-reservation-needed", case .book = state.goal {
            sessions[id]?.walkInText = decline.text ?? "No reservation needed."
            sessions[id]?.walkInQuestions = wishes.walkInQuestions.sorted { $0.key < $1.key }.map {
                CustomerSession.WalkInQuestion(topic: $0.key, text: $0.value)
            }
            return nextWalkInStep(session: id)
        }
        switch state.goal {
        case .book:
            let nextWindow = state.windowIndex + 1
            if nextWindow < wishes.windows.count, decline.reason == "no-availability" || decline.reason == "slot-taken" {
                sessions[id]?.windowIndex = nextWindow
                return [
                    .request(
                        .init(
                            service: wishes.service, windows: [wishes.windows[nextWindow]], preferredStart: wishes.preferredStart,
                            partySize: wishes.partySize, priceCeiling: wishes.priceCeiling, concludeBy: wishes.concludeBy))
                ]
            }
        case .reschedule, .cancel, .revoke:
            break
        }
        sessions[id]?.outcome = .noAgreement(.declined(DeclineReason(rawValue: decline.reason), text: decline.text))
        return [.close(.init(outcome: "no-agreement"))]
    }

    /// Asks the next walk-in question, or closes with the walk-in outcome.
    func nextWalkInStep(session id: SessionID) -> [Message] {
        guard var state = sessions[id], let text = state.walkInText else { return [] }
        if state.walkInQuestions.isEmpty {
            state.outcome = .noReservationNeeded(text: text, answers: state.walkInAnswers)
            sessions[id] = state
            return [.close(.init(outcome: "no-reservation-needed"))]
        }
        let next = state.walkInQuestions.removeFirst()
        let (topic, question) = (next.topic, next.text)
        state.questionCounter += 1
        state.askedTopic = topic
        sessions[id] = state
        return [.question(.init(id: QuestionID(stringLiteral: "cq\(state.questionCounter)"), topic: topic, text: question))]
    }

    /// Records the confirmation and closes with the matching outcome.
    func confirmed(_ confirm: Message.Confirm, receipt: SignedReceipt?, session id: SessionID) -> [Message] {
        guard let state = sessions[id] else { return [] }
        var grants = state.grants
        if case .reschedule(let previous, _, _) = state.goal { grants = previous.grants + grants }
        if case .cancel(let previous) = state.goal { grants = previous.grants }
        let booking = Booking(company: state.company, session: id, confirmation: confirm, grants: grants, receipt: receipt)
        recordBooking(booking)
        consent.recordAgreement(digest: confirm.agreementDigest, for: state.grants.map(\.tokenID))
        sessions[id]?.outcome = confirm.status == .cancelled ? .cancelled(booking) : .booked(booking)
        let outcome =
            switch confirm.status {
            case .booked: "booked"
            case .rescheduled: "rescheduled"
            case .cancelled: "cancelled"
            }
        return [.close(.init(outcome: outcome))]
    }
}
