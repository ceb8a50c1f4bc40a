extension CustomerAgent {
    /// Takes the best acceptable proposal, or asks for the next window, or gives up.
    func consider(_ proposals: [Proposal], session id: SessionID, now: Instant) async -> [Message] {
        guard let state = sessions[id] else { return [] }
        let best = proposals.compactMap { proposal -> (Proposal, Int64)? in
            guard now < proposal.expiresAt else { return nil }
            return strategy.score(proposal, proposal.price, wishes).map { (proposal, $0) }
        }.min { $0.1 < $1.1 }?.0
        if case .reschedule(_, let windows, _) = state.goal {
            guard let chosen = proposals.first(where: { p in windows.contains { $0.contains(p.slot.start) } && now < p.expiresAt }) else {
                sessions[id]?.outcome = .noAgreement(reason: "no proposal in the new windows")
                return [.reject(.init(reason: "outside-window")), .close(.init(outcome: "no-agreement"))]
            }
            return [.accept(.init(proposal: chosen.id))]
        }
        if let best {
            if case .book(collecting: true) = state.goal {
                sessions[id]?.candidate = best
                return []
            }
            return [.accept(acceptance(of: best, session: id, addOns: await chooseAddOns(of: best, company: state.company), now: now))]
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
        sessions[id]?.outcome = .noAgreement(reason: "no proposal fits the wishes")
        return [.reject(.init(reason: "no-suitable-proposal")), .close(.init(outcome: "no-agreement"))]
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
                    || (decision == .ask && addOns.contains(where: { proposal.addOn($0)?.requires.contains(requirement) == true })),
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
        if decision == .ask {
            // An add-on the person already agreed to was approved for exactly this.
            if promotion != nil {
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
            let grant = consent.grant(
                tokenID: tokenID, request: request, audience: company, purpose: purpose, fields: fields, expiresAt: until,
                retentionDays: retentionDays, session: session, now: now, transcriptDigest: sessions[session]?.machine.agreementDigest ?? ""
            )
        else { return nil }
        sessions[session]?.grants.append(grant)
        eventSink.yield(.consentGranted(session, tokenID: tokenID, fields: fields, purpose: purpose))
        return (grant, Message.Disclose(tokenID: tokenID, data: data))
    }

    func declined(_ decline: Message.Decline, session id: SessionID) -> [Message] {
        guard let state = sessions[id] else { return [] }
        if decline.reason == "no-reservation-needed", case .book = state.goal {
            sessions[id]?.walkInText = decline.text ?? "No reservation needed."
            sessions[id]?.walkInQuestions = wishes.walkInQuestions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
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
        sessions[id]?.outcome = .noAgreement(reason: "\(decline.reason)\(decline.text.map { ": \($0)" } ?? "")")
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
        let (topic, question) = state.walkInQuestions.removeFirst()
        state.questionCounter += 1
        state.askedTopic = topic
        sessions[id] = state
        return [.question(.init(id: QuestionID(stringLiteral: "cq\(state.questionCounter)"), topic: topic, text: question))]
    }

    /// Records the confirmation and closes with the matching outcome.
    func confirmed(_ confirm: Message.Confirm, session id: SessionID) -> [Message] {
        guard let state = sessions[id] else { return [] }
        var grants = state.grants
        if case .reschedule(let previous, _, _) = state.goal { grants = previous.grants + grants }
        if case .cancel(let previous) = state.goal { grants = previous.grants }
        let booking = Booking(company: state.company, session: id, confirmation: confirm, grants: grants)
        recordBooking(booking)
        consent.recordAgreement(digest: confirm.agreementDigest, for: state.grants.map(\.tokenID))
        sessions[id]?.outcome = .booked(booking)
        let outcome =
            switch confirm.status {
            case .booked: "booked"
            case .rescheduled: "rescheduled"
            case .cancelled: "cancelled"
            }
        return [.close(.init(outcome: outcome))]
    }
}
