extension SessionStateMachine {
    /// The table row that admits `message` from `sender` now, after the content rules (§7) hold.
    ///
    /// - Throws: `unexpected-message` when no row admits it, or the content rule it breaks.
    func admissibleRow(for message: Message, from sender: Role, now: Instant) throws(ParleyError) -> TransitionTable.Row {
        let rows = TransitionTable.rows(in: phase, from: sender, kind: message.kind)
        guard !rows.isEmpty else {
            throw ParleyError(.unexpectedMessage, "'\(message.kind)' from the \(sender) is not allowed in phase '\(phase)'")
        }
        let condition = Self.condition(of: message, fatalCodes: TransitionTable.fatalErrorCodes)
        guard let row = rows.first(where: { $0.condition == .always || $0.condition == condition }) else {
            throw ParleyError(
                .unexpectedMessage, "'\(message.kind)' (\(condition.rawValue)) from the \(sender) is not allowed in phase '\(phase)'")
        }
        try checkContent(of: message, from: sender, now: now)
        return row
    }

    static func condition(of message: Message, fatalCodes: Set<ParleyError.Code>) -> TransitionTable.Condition {
        switch message {
        case .decline(let decline): return decline.proposals.isEmpty ? .withoutProposals : .withProposals
        case .confirm(let confirm): return confirm.status == .cancelled ? .cancelledStatus : .bookedOrRescheduled
        case .error(let report): return TransitionTable.isFatal(code: report.code) ? .fatal : .nonFatal
        default: return .always
        }
    }

    /// The content rules of `Spec/PROTOCOL.md` §7, checked against the negotiation so far.
    func checkContent(of message: Message, from sender: Role, now: Instant) throws(ParleyError) {
        switch message {
        case .hello(let hello):
            guard hello.role == sender else {
                throw ParleyError(.invalidField, "body.role: a \(sender) cannot say hello as \(hello.role)")
            }
            guard commonVersion(with: hello) != nil else {
                throw ParleyError(.noCommonVersion, "no common protocol version (peer speaks \(hello.versions))")
            }
        case .offer(let offer):
            try checkFresh(offer.proposals)
            for (index, proposal) in offer.proposals.enumerated()
            where !context.windows.contains(where: { $0.contains(proposal.slot.start) }) {
                throw ParleyError(
                    .offerOutsideWindow,
                    "body.proposals[\(index)]: starts at \(proposal.slot.start), outside every asked window; alternatives go in a counter-offer"
                )
            }
        case .counterOffer(let offer):
            try checkFresh(offer.proposals)
        case .decline(let decline):
            try checkFresh(decline.proposals)
        case .accept(let accept):
            try checkAccept(accept, now: now)
        case .reject(let reject):
            for id in reject.proposals where !context.table.contains(where: { $0.id == id }) {
                throw ParleyError(.unknownProposal, "body.proposals: '\(id)' is not on the table")
            }
        case .answer(let answer):
            guard answer.question == context.openQuestion else {
                throw ParleyError(.unknownReference, "body.question: '\(answer.question)' is not the open question")
            }
            guard context.openQuestionOptions.isEmpty || context.openQuestionOptions.contains(answer.value) else {
                throw ParleyError(.invalidField, "body.value: '\(answer.value)' is not one of the question's options")
            }
        case .consentRequest(let request):
            guard
                context.acceptedRequirements.contains(where: {
                    $0.covers(fields: request.fields, purpose: request.purpose, retentionDays: request.retentionDays)
                })
            else {
                throw ParleyError(
                    .excessiveDataRequest,
                    "asks for \(request.fields.map(\.rawValue)) for '\(request.purpose)' (\(request.retentionDays) days), "
                        + "which the accepted proposal did not declare")
            }
        case .consentGrant(let grant):
            guard let request = context.openConsentRequest, grant.request == nil || grant.request == request.id else {
                throw ParleyError(.unknownReference, "body.request: no such open consent request")
            }
            guard grant.purpose == request.purpose, grant.retentionDays <= request.retentionDays,
                grant.fields.allSatisfy(request.fields.contains)
            else { throw ParleyError(.invalidField, "body: the grant is wider than the consent request") }
            try checkNewToken(grant.tokenID)
        case .consentDeny(let deny):
            guard deny.request == context.openConsentRequest?.id else {
                throw ParleyError(.unknownReference, "body.request: '\(deny.request)' is not the open consent request")
            }
        case .disclose(let disclose):
            try checkDisclosure(disclose, grants: context.grants)
        case .confirm(let confirm):
            try checkConfirm(confirm)
        case .cancel(let cancel):
            if phase == .booked, let booking = context.booking, booking.booking != cancel.booking {
                throw ParleyError(.unknownReference, "body.booking: '\(cancel.booking)' is not this session's booking")
            }
        case .reschedule(let reschedule):
            if phase == .booked, let booking = context.booking, booking.booking != reschedule.booking {
                throw ParleyError(.unknownReference, "body.booking: '\(reschedule.booking)' is not this session's booking")
            }
        case .request, .counterRequest, .question, .consentRevoke, .handoff, .error, .close:
            break
        }
    }

    private func checkFresh(_ proposals: [Proposal]) throws(ParleyError) {
        for proposal in proposals where context.offeredIDs.contains(proposal.id) {
            throw ParleyError(.invalidField, "body: proposal id '\(proposal.id)' was already used in this session")
        }
    }

    private func checkNewToken(_ tokenID: TokenID) throws(ParleyError) {
        guard !context.grants.contains(where: { $0.tokenID == tokenID }) else {
            throw ParleyError(.invalidField, "body.tokenId: token '\(tokenID)' was already granted in this session")
        }
    }

    private func checkAccept(_ accept: Message.Accept, now: Instant) throws(ParleyError) {
        guard let proposal = context.table.first(where: { $0.id == accept.proposal }) else {
            throw ParleyError(.unknownProposal, "body.proposal: '\(accept.proposal)' is not on the table")
        }
        guard now < proposal.expiresAt else {
            throw ParleyError(.offerExpired, "body.proposal: '\(proposal.id)' expired at \(proposal.expiresAt)")
        }
        var requirements = proposal.requires
        for id in accept.addOns {
            guard let addOn = proposal.addOn(id) else {
                throw ParleyError(.unknownReference, "body.addOns: '\(id)' is not an add-on of '\(proposal.id)'")
            }
            requirements += addOn.requires
        }
        for grant in accept.grants {
            guard
                requirements.contains(where: { $0.covers(fields: grant.fields, purpose: grant.purpose, retentionDays: grant.retentionDays) }
                )
            else { throw ParleyError(.invalidField, "body.grants: a grant exceeds what the proposal and its add-ons declare") }
            try checkNewToken(grant.tokenID)
        }
        for disclosure in accept.disclosures {
            try checkDisclosure(disclosure, grants: context.grants + accept.grants)
        }
    }

    private func checkDisclosure(_ disclose: Message.Disclose, grants: [Message.ConsentGrant]) throws(ParleyError) {
        guard let grant = grants.first(where: { $0.tokenID == disclose.tokenID }), !context.revoked.contains(disclose.tokenID) else {
            throw ParleyError(.fieldNotGranted, "body.tokenId: no live grant '\(disclose.tokenID)' in this session")
        }
        for field in disclose.data.keys.sorted() where !grant.fields.contains(field) {
            throw ParleyError(.fieldNotGranted, "body.data.\(field): not covered by grant '\(grant.tokenID)'")
        }
    }

    /// `confirm` (§7): the digest matches, and every term the confirmation restates is the one
    /// agreed — the accepted proposal with its accepted add-ons, or the booking being moved or
    /// cancelled when this session confirmed it.
    private func checkConfirm(_ confirm: Message.Confirm) throws(ParleyError) {
        guard confirm.agreementDigest == digest.hex else {
            throw ParleyError(.agreementMismatch, "body.agreementDigest: does not match this side's transcript (\(digest.hex))")
        }
        switch confirm.status {
        case .booked, .rescheduled:
            guard let accepted = context.accepted, confirm.proposal == accepted.id else {
                throw ParleyError(.agreementMismatch, "body.proposal: the confirmation names another proposal than the accepted one")
            }
            let expected: BookingStatus = context.rescheduling == nil ? .booked : .rescheduled
            guard confirm.status == expected else {
                throw ParleyError(.agreementMismatch, "body.status: expected '\(expected)'")
            }
            if let rescheduling = context.rescheduling, rescheduling != confirm.booking {
                throw ParleyError(.agreementMismatch, "body.booking: expected '\(rescheduling)'")
            }
            try Self.checkTerms(of: confirm, agree: accepted, addOns: context.acceptedAddOns)
            let earlier = context.booking.flatMap { $0.booking == confirm.booking ? $0 : nil }
            switch confirm.status {
            case .booked:
                try Self.check(confirm.revision == 0, "revision", "a new booking has revision 0")
            case .rescheduled, .cancelled:
                try Self.checkRevision(of: confirm, after: earlier)
                if let earlier { try Self.check(confirm.heldFor == earlier.heldFor, "heldFor", "differs from the booking being moved") }
            }
            try Self.check(confirm.fee == nil, "fee", "only a cancellation charges a fee")
        case .cancelled:
            guard confirm.booking == context.cancelling else {
                throw ParleyError(.agreementMismatch, "body.booking: '\(confirm.booking)' is not the booking being cancelled")
            }
            // A booking confirmed in this session (or recalled from an earlier one) is known term
            // by term; otherwise only the company's record knows it.
            guard let booked = context.booking, booked.booking == confirm.booking, booked.status != .cancelled else {
                try Self.checkRevision(of: confirm, after: nil)
                return
            }
            try Self.check(confirm.service == booked.service, "service", "differs from the booking being cancelled")
            try Self.check(confirm.slot == booked.slot, "slot", "differs from the booking being cancelled")
            try Self.check(confirm.timeZone == booked.timeZone, "timeZone", "differs from the booking being cancelled")
            try Self.check(confirm.price == booked.price, "price", "differs from the booking being cancelled")
            try Self.check(confirm.cancellation == booked.cancellation, "cancellation", "differs from the booking being cancelled")
            if !confirm.addOns.isEmpty {
                try Self.check(Self.sameSet(confirm.addOns, booked.addOns), "addOns", "differ from the booking being cancelled")
            }
            try Self.check(confirm.location == booked.location, "location", "differs from the booking being cancelled")
            try Self.check(confirm.heldFor == booked.heldFor, "heldFor", "differs from the booking being cancelled")
            try Self.checkRevision(of: confirm, after: booked)
            if let fee = confirm.fee {
                try Self.check(fee == booked.cancellation.fee, "fee", "is not the fee of the booking's cancellation terms")
            }
        }
    }

    /// The terms a booked or rescheduled confirmation restates, against the accepted proposal
    /// and add-ons (§7): service, slot, time zone, price, cancellation terms, add-ons, location.
    static func checkTerms(of confirm: Message.Confirm, agree accepted: Proposal, addOns: [AddOnID]) throws(ParleyError) {
        try check(confirm.service == accepted.service, "service", "differs from the accepted proposal's '\(accepted.service)'")
        try check(confirm.slot == accepted.slot, "slot", "differs from the accepted proposal's")
        try check(confirm.timeZone == accepted.timeZone, "timeZone", "differs from the accepted proposal's '\(accepted.timeZone)'")
        let price = Proposal.price(of: accepted, addOns: addOns)
        try check(confirm.price == price, "price", "\(confirm.price) is not the agreed \(price)")
        try check(confirm.cancellation == accepted.cancellation, "cancellation", "differs from the accepted proposal's terms")
        try check(sameSet(confirm.addOns, addOns), "addOns", "differ from the add-ons accepted")
        try check(confirm.location == accepted.location, "location", "differs from the accepted proposal's")
    }

    private static func checkRevision(of confirm: Message.Confirm, after earlier: Message.Confirm?) throws(ParleyError) {
        if let earlier {
            try check(confirm.revision == earlier.revision + 1, "revision", "expected \(earlier.revision + 1)")
        } else {
            try check(confirm.revision >= 1, "revision", "a changed booking has a revision of at least 1")
        }
    }

    private static func sameSet(_ lhs: [AddOnID], _ rhs: [AddOnID]) -> Bool {
        Set(lhs) == Set(rhs)
    }

    private static func check(_ holds: Bool, _ member: String, _ problem: String) throws(ParleyError) {
        guard holds else { throw ParleyError(.agreementMismatch, "body.\(member): \(problem)") }
    }

    /// Moves the session on after an admitted message (sent or received).
    mutating func apply(_ envelope: Envelope, row: TransitionTable.Row, now: Instant, actions: inout [SessionAction]) {
        let message = envelope.message
        let sender = envelope.from == local ? role : role.peer
        if TranscriptDigest.counts(message.kind) { digest.append(envelope) }
        actions.append(.setTimer(.idle, at: now.adding(seconds: configuration.idleTimeout)))
        switch message {
        case .hello(let hello):
            context.version = commonVersion(with: hello)
        case .request(let request), .counterRequest(let request):
            context.windows = request.windows
            context.table = []
            if let concludeBy = request.concludeBy {
                context.concludeBy = concludeBy
                actions.append(.setTimer(.concludeBy, at: concludeBy))
            }
        case .reschedule(let reschedule):
            context.windows = reschedule.windows
            context.rescheduling = reschedule.booking
            context.table = []
        case .cancel(let cancel):
            context.cancelling = cancel.booking
        case .offer(let offer), .counterOffer(let offer):
            putOnTable(offer.proposals, actions: &actions)
        case .decline(let decline):
            if decline.proposals.isEmpty {
                context.table = []
                context.rescheduling = nil
                context.cancelling = nil
            } else {
                putOnTable(decline.proposals, actions: &actions)
            }
        case .question(let question):
            context.openQuestion = question.id
            context.openQuestionOptions = question.options.map(\.value)
        case .answer:
            context.openQuestion = nil
            context.openQuestionOptions = []
        case .accept(let accept):
            context.accepted = context.table.first { $0.id == accept.proposal }
            context.acceptedAddOns = accept.addOns
            context.grants += accept.grants
            context.table = []
            actions.append(.cancelTimer(.offerExpiry))
        case .reject(let reject):
            context.table.removeAll { reject.proposals.isEmpty || reject.proposals.contains($0.id) }
            if context.table.isEmpty { actions.append(.cancelTimer(.offerExpiry)) }
        case .consentRequest(let request):
            context.openConsentRequest = request
        case .consentGrant(let grant):
            context.grants.append(grant)
            context.openConsentRequest = nil
        case .consentDeny:
            context.openConsentRequest = nil
        case .consentRevoke(let revoke):
            context.revoked.insert(revoke.tokenID)
        case .confirm(let confirm):
            context.booking = confirm
            context.rescheduling = nil
            context.cancelling = nil
            if confirm.status != .cancelled { actions.append(.cancelTimer(.concludeBy)) }
        case .disclose, .handoff, .error, .close:
            break
        }
        if row.startsRound { rounds += 1 }
        let before = phase
        switch row.next {
        case .phase(let next):
            if next == .inquiring || next == .cancelling || next == .rescheduling { context.resume = before }
            phase = next
        case .resume:
            phase = context.resume ?? .ready
            context.resume = nil
        case .unchanged:
            break
        }
        switch message {
        case .close(let close):
            finish(SessionEnd(outcome: close.outcome, endedBy: sender), actions: &actions)
        case .error(let report) where phase == .failed:
            let error = ParleyError(
                report.knownCode ?? .internalError, report.text, offendingMessage: report.offending,
                fault: sender == role ? .local : .remote)
            finish(SessionEnd(outcome: "failed", error: error, endedBy: sender), actions: &actions)
        default:
            break
        }
    }

    private mutating func putOnTable(_ proposals: [Proposal], actions: inout [SessionAction]) {
        context.table = proposals
        context.offeredIDs.formUnion(proposals.map(\.id))
        if role == .customer, let earliest = proposals.map(\.expiresAt).min() {
            actions.append(.setTimer(.offerExpiry, at: earliest))
        }
    }
}
