extension CompanyAgent {
    /// The company's reply to an admitted message: the business logic of a service bot.
    func respond(to envelope: Envelope, session id: SessionID, now: Instant) async -> [Message] {
        guard let state = sessionState(id) else { return [] }
        switch envelope.message {
        case .hello:
            return [
                .hello(.init(role: .company, name: profile.name, services: helloServices))
            ]
        case .request(let request), .counterRequest(let request):
            update(id) {
                $0.service = request.service
                $0.windows = request.windows
                $0.preferredStart = request.preferredStart
                $0.partySize = request.partySize
                $0.rescheduling = nil
            }
            return await answerAsk(session: id, now: now)
        case .answer(let answer):
            if state.machine.phase == .requested, catalogue.service(answer.value) != nil {
                update(id) { $0.service = answer.value }
            }
            return await answerAsk(session: id, now: now)
        case .question(let question):
            let text = policy.answers[question.topic] ?? "A person can answer that; we cannot."
            return [.answer(.init(question: question.id, value: text.prefix(utf8Bytes: ProtocolLimits.maximumTextBytes)))]
        case .reschedule(let reschedule):
            guard let booking = await store.booking(reschedule.booking), booking.customer == envelope.from else {
                return [.decline(.init(reason: "unknown-booking", text: "No such booking."))]
            }
            guard !booking.isCancelled else {
                return [.decline(.init(reason: "already-cancelled", text: "Booking \(booking.id) is cancelled; it cannot be moved."))]
            }
            update(id) {
                $0.rescheduling = booking
                $0.service = booking.service
                $0.windows = reschedule.windows
                $0.preferredStart = reschedule.preferredStart
            }
            return await answerAsk(session: id, now: now)
        case .cancel(let cancel):
            return await cancelBooking(cancel.booking, customer: envelope.from, session: id, now: now)
        case .accept(let accept):
            return await accepted(accept, session: id, now: now)
        case .consentGrant(let grant):
            // Screened before admission (ConsentScreen): a grant that reaches here verifies.
            if var error = receiveGrant(grant, session: id, now: now) {
                error.offendingMessage = envelope.id
                return [.error(.init(error))]
            }
            return []
        case .disclose(let disclose):
            if var error = receiveDisclosure(disclose, session: id) {
                error.offendingMessage = envelope.id
                return [.error(.init(error))]
            }
            return await proceedToBooking(session: id, now: now)
        case .consentDeny:
            await store.release(session: id)
            return [.decline(.init(reason: "data-required", text: "We cannot hold the booking without that data."))]
        case .consentRevoke(let revoke):
            await recordRevocation(revoke.tokenID, by: envelope.from, at: now)
            return []
        case .reject, .close, .error:
            await store.release(session: id)
            return []
        case .offer, .counterOffer, .confirm, .decline, .consentRequest, .handoff:
            return []  // company messages never reach a company: the table rejects them first
        }
    }

    /// Offers, counter-offers, asks which service, declines or hands off, for the current ask.
    private func answerAsk(session id: SessionID, now: Instant) async -> [Message] {
        guard let state = sessionState(id), let service = state.service else { return [] }
        var candidates = catalogue.candidates(for: service)
        if let moving = state.rescheduling { candidates = catalogue.service(moving.service).map { [$0] } ?? [] }
        guard !candidates.isEmpty else {
            return [.decline(.init(reason: "unknown-service", text: "We do not offer \(service)."))]
        }
        if let minimum = policy.minimumPartySize, let party = state.partySize, party < minimum {
            return [.decline(.init(reason: "no-reservation-needed", text: policy.walkInText))]
        }
        if candidates.allSatisfy(\.needsConsultation) {
            let summary =
                "Customer asks for \(candidates.map(\.title).joined(separator: " / ")) around "
                + "\(state.preferredStart.map { local?.dayAndClock($0) ?? $0.rfc3339 } ?? "any time"); needs a consultation."
            return [
                .handoff(
                    .init(
                        reason: "needs-consultation", channel: policy.handoffChannel,
                        text: "This needs a consultation with a stylist; a person will contact you.", summary: summary))
            ]
        }
        candidates.removeAll(where: \.needsConsultation)
        let planner = OfferPlanner(store: store, policy: policy)
        let plan = await planner.plan(
            candidates: candidates, windows: state.windows, preferred: state.preferredStart, session: id, now: now)
        switch plan {
        case .offer(let found):
            return [.offer(.init(proposals: proposals(found, session: id, now: now)))]
        case .counterOffer(let found):
            return [.counterOffer(.init(proposals: proposals(found, session: id, now: now)))]
        case .askWhichService(let services):
            var questionID: QuestionID = "q"
            update(id) { questionID = $0.nextQuestionID() }
            let options = services.prefix(ProtocolLimits.maximumOptions).map {
                Message.Question.Option(value: $0.id, label: "\($0.title) (\($0.durationMinutes) min, \($0.price))")
            }
            return [.question(.init(id: questionID, topic: "service", text: "Which service exactly?", options: Array(options)))]
        case .nothing:
            return [.decline(.init(reason: "no-availability", text: "Nothing is free near that time."))]
        }
    }

    private func proposals(_ found: [(Service, Instant)], session id: SessionID, now: Instant) -> [Proposal] {
        var result: [Proposal] = []
        update(id) { state in
            for (service, start) in found {
                result.append(
                    Proposal(
                        id: state.nextProposalID(), service: service.id,
                        slot: Slot(start: start, end: start.adding(minutes: service.durationMinutes)), timeZone: profile.timeZone,
                        price: service.price, cancellation: policy.cancellation, requires: service.requires, addOns: service.addOns,
                        expiresAt: now.adding(minutes: policy.offerValidityMinutes), location: profile.location))
            }
        }
        return result
    }

    /// Holds the accepted slot atomically, then asks for data or confirms.
    private func accepted(_ accept: Message.Accept, session id: SessionID, now: Instant) async -> [Message] {
        guard let proposal = sessionState(id)?.machine.acceptedProposal else { return [] }
        let held = await store.hold(
            proposal.slot, service: proposal.service, for: id, until: now.adding(minutes: policy.holdMinutes), now: now)
        guard held else {
            let fresh = await answerAsk(session: id, now: now)
            if case .offer(let offer)? = fresh.first {
                return [.decline(.init(reason: "slot-taken", text: "That time was just taken.", proposals: offer.proposals))]
            }
            if case .counterOffer(let offer)? = fresh.first {
                return [.decline(.init(reason: "slot-taken", text: "That time was just taken.", proposals: offer.proposals))]
            }
            return [.decline(.init(reason: "slot-taken", text: "That time was just taken; nothing else is free near it."))]
        }
        for grant in accept.grants { _ = receiveGrant(grant, session: id, now: now) }
        for disclosure in accept.disclosures { _ = receiveDisclosure(disclosure, session: id) }
        return await proceedToBooking(session: id, now: now)
    }

    /// Asks for the first unmet data requirement, or commits the booking and confirms it.
    private func proceedToBooking(session id: SessionID, now: Instant) async -> [Message] {
        guard let state = sessionState(id), let proposal = state.machine.acceptedProposal else { return [] }
        let requirements =
            state.rescheduling != nil
            ? [] : proposal.requires + state.machine.acceptedAddOns.compactMap { proposal.addOn($0) }.flatMap(\.requires)
        if let missing = requirements.first(where: { !state.isSatisfied($0) }) {
            var requestID: ConsentRequestID = "cr"
            update(id) { requestID = $0.nextConsentRequestID() }
            return [
                .consentRequest(
                    .init(
                        id: requestID, fields: missing.fields, purpose: missing.purpose, retentionDays: missing.retentionDays,
                        text: "We need \(missing.fields.map(\.rawValue).joined(separator: ", ")) for \(missing.purpose)."))
            ]
        }
        let heldFor = state.data.values.sorted { $0.token.id < $1.token.id }.lazy
            .compactMap { try? $0.value(of: .givenName, for: .booking, at: now, ledger: self.ledger) }.first
        let price = proposal.price(withAddOns: state.machine.acceptedAddOns)
        let customer = state.machine.peer ?? "unknown"
        if var moving = state.rescheduling {
            // The booking's data was consented to when it was made; moving it needs no new data.
            moving.slot = proposal.slot
            moving.price = price  // the terms of the accepted proposal, as the confirm restates them
            moving.session = id
            moving.revision += 1
            guard await store.update(moving, now: now) else {
                return [.decline(.init(reason: "slot-taken", text: "That time was just taken."))]
            }
            update(id) { $0.rescheduling = moving }
            return [.confirm(confirmation(of: moving, status: .rescheduled, proposal: proposal, session: id))]
        }
        var record = BookingRecord(
            id: bookingReference(for: id), customer: customer, session: id,
            service: proposal.service, slot: proposal.slot, price: price, heldFor: heldFor)
        let confirm = confirmation(of: record, status: .booked, proposal: proposal, session: id)
        record.consents = consents(of: state, agreementDigest: confirm.agreementDigest)
        guard await store.commit(record, now: now) else {
            return [.decline(.init(reason: "slot-taken", text: "The hold expired and the time was taken."))]
        }
        bindReceipts(of: state, agreementDigest: confirm.agreementDigest)
        return [.confirm(confirm)]
    }

    private func cancelBooking(_ reference: BookingReference, customer: AgentID, session id: SessionID, now: Instant) async -> [Message] {
        guard var booking = await store.booking(reference), booking.customer == customer else {
            return [.decline(.init(reason: "unknown-booking", text: "No such booking."))]
        }
        guard !booking.isCancelled else {
            return [.decline(.init(reason: "already-cancelled", text: "Booking \(booking.id) was already cancelled."))]
        }
        booking.isCancelled = true
        booking.revision += 1
        booking.session = id
        guard await store.update(booking, now: now) else { return [.decline(.init(reason: "other"))] }
        var confirm = confirmation(of: booking, status: .cancelled, proposal: nil, session: id)
        confirm.fee = policy.cancellation.fee(cancellingAt: now, start: booking.slot.start)
        return [.confirm(confirm)]
    }

    private func confirmation(of record: BookingRecord, status: BookingStatus, proposal: Proposal?, session id: SessionID)
        -> Message.Confirm
    {
        Message.Confirm(
            booking: record.id, status: status, proposal: proposal?.id, service: record.service, slot: record.slot,
            timeZone: profile.timeZone, price: record.price, cancellation: policy.cancellation,
            addOns: sessionState(id)?.machine.acceptedAddOns ?? [], location: profile.location, heldFor: record.heldFor,
            revision: record.revision, agreementDigest: sessionState(id)?.machine.agreementDigest ?? "")
    }
}
