import Parley

extension CompanyCases {
    // MARK: Message validity

    static var content: [ConformanceCase] {
        [
            make(
                "content.no-common-version", .content, "a hello without a common version gets no-common-version (fatal)",
                "PROTOCOL.md §5.1, §7",
                covers: rows(.start, .company, .error, .fatal), codes: [.noCommonVersion]
            ) { context in
                var session = context.customerSession()
                let hello = try await context.send(.hello(.init(versions: [99], role: .customer)), in: &session, expectRejection: true)
                try await context.expectError(.noCommonVersion, in: &session, answering: hello, what: "a hello for version 99 only")
            },
            make(
                "content.hello-role", .content, "a customer's hello claiming the company role is invalid-field", "PROTOCOL.md §5.1, §7",
                covers: rows(.start, .company, .error, .nonFatal), codes: [.invalidField]
            ) { context in
                var session = context.customerSession()
                let hello = try await context.send(.hello(.init(role: .company)), in: &session, expectRejection: true)
                try await context.expectError(.invalidField, in: &session, answering: hello, what: "a hello with role 'company'")
            },
            make(
                "content.offer-inside-window", .content,
                "an offer's proposals start inside the asked window, with fresh ids and a future expiry",
                "PROTOCOL.md §5.2, §7", covers: rows(.ready, .customer, .request) + rows(.requested, .company, .offer)
            ) { context in
                var session = try await context.greet()
                let reply = try await context.request(context.profile.service, in: context.profile.freeWindow, &session)
                guard case .offer(let offer) = reply.message else {
                    throw ConformanceFailure("a request for a free window got '\(reply.kind)', not an offer", envelope: reply)
                }
                let window = context.profile.freeWindow
                for proposal in offer.proposals {
                    try context.require(
                        window.contains(proposal.slot.start),
                        "proposal \(proposal.id) starts at \(proposal.slot.start), outside \(window) (§7)", reply)
                    try context.require(proposal.slot.start < proposal.slot.end, "proposal \(proposal.id) has an empty slot", reply)
                    try context.require(
                        proposal.expiresAt > reply.sentAt, "proposal \(proposal.id) expires at \(proposal.expiresAt), before it was sent",
                        reply)
                }
                try context.require(Set(offer.proposals.map(\.id)).count == offer.proposals.count, "proposal ids repeat (§5.2)", reply)
            },
            make(
                "content.counter-offer", .content, "a busy window gets a counter-offer (or an in-window offer)", "PROTOCOL.md §5.2",
                covers: rows(.requested, .company, .counterOffer)
            ) { context in
                var session = try await context.greet()
                let reply = try await context.request(context.profile.service, in: context.profile.busyWindow, &session)
                if case .offer(let offer) = reply.message {
                    for proposal in offer.proposals {
                        try context.require(
                            context.profile.busyWindow.contains(proposal.slot.start), "an offer outside the window (use counter-offer)",
                            reply)
                    }
                }
                try context.require([.counterOffer, .offer, .decline].contains(reply.kind), "a busy window got '\(reply.kind)'", reply)
            },
            make(
                "content.question-answer", .content, "an ambiguous request gets a question; the answer gets an offer", "PROTOCOL.md §5.2",
                covers: rows(.requested, .company, .question) + rows(.questioned, .customer, .answer)
            ) { context in
                var (session, question) = try await context.reachQuestioned()
                let value =
                    question.options.first { $0.value == context.profile.service }?.value ?? question.options.first?.value
                    ?? context.profile.service
                let answer = try await context.send(.answer(.init(question: question.id, value: value)), in: &session)
                try await context.expect([.offer, .counterOffer, .question], in: &session, after: answer, what: "answering the question")
            },
            make(
                "content.answer-unknown-question", .content, "an answer to no open question is unknown-reference", "PROTOCOL.md §7",
                covers: rows(.questioned, .company, .error, .nonFatal), codes: [.unknownReference]
            ) { context in
                var (session, _) = try await context.reachQuestioned()
                let answer = try await context.send(
                    .answer(.init(question: "no-such-question", value: "x")), in: &session, expectRejection: true)
                try await context.expectError(.unknownReference, in: &session, answering: answer, what: "an answer naming no open question")
            },
            make(
                "content.counter-request-after-question", .content, "a counter-request replaces the ask after a question",
                "PROTOCOL.md §5.2",
                covers: rows(.questioned, .customer, .counterRequest)
            ) { context in
                var (session, _) = try await context.reachQuestioned()
                let reply = try await context.request(context.profile.service, in: context.profile.wideWindow, &session, counter: true)
                try context.require([.offer, .counterOffer].contains(reply.kind), "a counter-request got '\(reply.kind)'", reply)
            },
            make(
                "content.unknown-proposal", .content, "accepting a proposal not on the table is unknown-proposal", "PROTOCOL.md §7",
                covers: rows(.offered, .company, .error, .nonFatal), codes: [.unknownProposal]
            ) { context in
                var session = try await context.reachOffered()
                let accept = try await context.send(.accept(.init(proposal: "p-not-offered")), in: &session, expectRejection: true)
                try await context.expectError(.unknownProposal, in: &session, answering: accept, what: "accepting an unknown proposal")
            },
            make(
                "content.unknown-add-on", .content, "accepting an add-on the proposal does not have is unknown-reference", "PROTOCOL.md §7",
                codes: [.unknownReference]
            ) { context in
                var session = try await context.reachOffered()
                let accept = try await context.send(
                    .accept(.init(proposal: session.firstProposal().id, addOns: ["no-such-add-on"])), in: &session,
                    expectRejection: true)
                try await context.expectError(.unknownReference, in: &session, answering: accept, what: "accepting an unknown add-on")
            },
            make(
                "content.reject-then-request", .content, "a reject returns to ready; a new request is answered", "PROTOCOL.md §5.2, §6",
                covers: rows(.offered, .customer, .reject)
            ) { context in
                var session = try await context.reachOffered()
                try await context.send(.reject(.init(reason: "no-suitable-proposal")), in: &session)
                if let reply = try await context.nextIfAny(in: &session) {
                    throw ConformanceFailure("a reject needs no reply, the peer sent '\(reply.kind)'", envelope: reply)
                }
                let reply = try await context.request(context.profile.service, in: context.profile.wideWindow, &session)
                try context.require([.offer, .counterOffer].contains(reply.kind), "a request after a reject got '\(reply.kind)'", reply)
            },
            make(
                "content.counter-request-in-offered", .content, "a counter-request while proposals are on the table gets new ones",
                "PROTOCOL.md §5.2", covers: rows(.offered, .customer, .counterRequest)
            ) { context in
                var session = try await context.reachOffered()
                let reply = try await context.request(context.profile.service, in: context.profile.wideWindow, &session, counter: true)
                try context.require([.offer, .counterOffer].contains(reply.kind), "a counter-request got '\(reply.kind)'", reply)
            },
            make(
                "content.inquiry", .content, "a customer's question is answered and the phase resumes", "PROTOCOL.md §5.2, §6",
                covers: rows(.ready, .customer, .question) + rows(.offered, .customer, .question) + rows(.inquiring, .company, .answer)
                    + rows(.offered, .customer, .accept) + rows(.accepted, .company, .consentRequest)
            ) { context in
                var session = try await context.greet()
                var question = try await context.send(
                    .question(.init(id: "cq1", topic: "parking", text: "Is there parking?")), in: &session)
                try await context.expect([.answer], in: &session, after: question, what: "a question in 'ready'")
                try context.require(session.phase == .ready, "after the answer the phase is '\(session.phase)', not 'ready'")
                let offer = try await context.request(context.profile.service, in: context.profile.wideWindow, &session)
                try context.require(!session.table.isEmpty, "a request in the wide window got '\(offer.kind)', not proposals", offer)
                question = try await context.send(.question(.init(id: "cq2", topic: "wait-time", text: "How long?")), in: &session)
                try await context.expect([.answer], in: &session, after: question, what: "a question in 'offered'")
                let accept = try await context.send(.accept(.init(proposal: session.firstProposal().id)), in: &session)
                try await context.expect([.consentRequest, .confirm], in: &session, after: accept, what: "accepting after the inquiry")
            },
            make(
                "content.declined", .content, "after a decline the customer may request, counter-request or ask", "PROTOCOL.md §6",
                covers: rows(.requested, .company, .decline, .withoutProposals) + rows(.declined, .customer, .request)
                    + rows(.declined, .customer, .counterRequest) + rows(.declined, .customer, .question)
            ) { context in
                var session = try await context.reachDeclined()
                var reply = try await context.request(context.profile.service, in: context.profile.wideWindow, &session)
                try context.require([.offer, .counterOffer].contains(reply.kind), "a request after a decline got '\(reply.kind)'", reply)
                session = try await context.reachDeclined()
                reply = try await context.request(context.profile.service, in: context.profile.wideWindow, &session, counter: true)
                try context.require(
                    [.offer, .counterOffer].contains(reply.kind), "a counter-request after a decline got '\(reply.kind)'", reply)
                session = try await context.reachDeclined()
                let question = try await context.send(
                    .question(.init(id: "cq1", topic: "services", text: "What do you offer?")), in: &session)
                try await context.expect([.answer], in: &session, after: question, what: "a question after a decline")
            },
            make(
                "content.handoff", .content, "a service that needs a person is handed off", "PROTOCOL.md §5.4",
                covers: rows(.requested, .company, .handoff)
            ) { context in
                _ = try await context.reachHandedOff()
            },
            make(
                "content.consent-deny", .content, "a denied consent request ends in a decline, not a booking", "PROTOCOL.md §5.3, §6",
                covers: rows(.consentRequested, .customer, .consentDeny) + rows(.accepted, .company, .decline, .withoutProposals)
            ) { context in
                var (session, request) = try await context.reachConsentRequested()
                let deny = try await context.send(.consentDeny(.init(request: request.id)), in: &session)
                let reply = try await context.expect(
                    [.decline, .consentRequest, .handoff], in: &session, after: deny, what: "a consent-deny")
                try context.require(reply.kind != .confirm, "booked without the data it asked for", reply)
            },
        ]
    }

    // MARK: Whole negotiations

    static var flows: [ConformanceCase] {
        [
            make(
                "flow.s1-booking", .flow, "S1: counter-offer, counter-request, question, answer, offer, accept, consent, confirm",
                "PROTOCOL.md §5, §5.6; scenarios.md S1",
                covers: greeting + rows(.consentRequested, .customer, .consentGrant) + rows(.disclosing, .customer, .disclose)
                    + rows(.accepted, .company, .confirm) + rows(.booked, .customer, .close)
            ) { context in
                var session = try await context.greet()
                var reply = try await context.request(context.profile.category, in: context.profile.busyWindow, &session)
                try context.require(
                    [.counterOffer, .offer, .question, .decline].contains(reply.kind), "the first request got '\(reply.kind)'", reply)
                reply = try await context.request(context.profile.category, in: context.profile.freeWindow, &session, counter: true)
                if case .question(let question) = reply.message {
                    let value = question.options.first { $0.value == context.profile.service }?.value ?? context.profile.service
                    let answer = try await context.send(.answer(.init(question: question.id, value: value)), in: &session)
                    reply = try await context.next(in: &session, after: answer)
                }
                try context.require(reply.kind == .offer, "no offer for the free window, got '\(reply.kind)'", reply)
                let proposal = try session.firstProposal()
                let accept = try await context.send(.accept(.init(proposal: proposal.id)), in: &session)
                reply = try await context.expect([.consentRequest, .confirm], in: &session, after: accept, what: "accepting")
                if case .consentRequest(let request) = reply.message {
                    let grant = context.grant(for: request)
                    try await context.send(.consentGrant(grant), in: &session)
                    let expected = { () -> String in session.agreementDigest }
                    let disclose = try await context.send(.disclose(context.disclosure(for: grant)), in: &session)
                    let digest = expected()
                    reply = try await context.expect([.confirm], in: &session, after: disclose, what: "disclosing")
                    guard case .confirm(let confirm) = reply.message else { return }
                    try context.require(
                        confirm.agreementDigest == digest, "agreementDigest \(confirm.agreementDigest) ≠ transcript \(digest) (§5.6)", reply
                    )
                    try context.require(
                        confirm.slot == proposal.slot && confirm.proposal == proposal.id, "the confirm differs from the accepted proposal",
                        reply)
                }
                try await context.send(.close(.init(outcome: "booked")), in: &session)
            },
            make(
                "flow.accept-with-consent", .flow, "grants and disclosures riding on the accept lead straight to a confirm",
                "PROTOCOL.md §5.2, §6", covers: rows(.accepted, .company, .confirm)
            ) { context in
                var session = try await context.reachOffered()
                let proposal = try session.firstProposal()
                var accept = Message.Accept(proposal: proposal.id)
                for requirement in proposal.requires {
                    let request = Message.ConsentRequest(
                        id: "inline", fields: requirement.fields, purpose: requirement.purpose, retentionDays: requirement.retentionDays)
                    var grant = context.grant(for: request)
                    grant.request = nil
                    accept.grants.append(grant)
                    accept.disclosures.append(context.disclosure(for: grant))
                }
                let sent = try await context.send(.accept(accept), in: &session)
                let digest = session.agreementDigest
                let reply = try await context.expect(
                    [.confirm], in: &session, after: sent, what: "an accept carrying every grant and disclosure")
                if case .confirm(let confirm) = reply.message {
                    try context.require(
                        confirm.agreementDigest == digest, "agreementDigest \(confirm.agreementDigest) ≠ transcript \(digest)", reply)
                }
            },
            make(
                "flow.cancel", .flow, "a booking is cancelled in its session; an unknown booking is declined",
                "PROTOCOL.md §5.2, §6",
                covers: rows(.booked, .customer, .cancel) + rows(.cancelling, .company, .confirm)
                    + rows(.ready, .customer, .cancel) + rows(.cancelling, .company, .decline)
            ) { context in
                var (session, confirm) = try await context.reachBooked()
                var cancel = try await context.send(.cancel(.init(booking: confirm.booking)), in: &session)
                let reply = try await context.expect([.confirm, .decline], in: &session, after: cancel, what: "cancelling the booking")
                if case .confirm(let cancelled) = reply.message {
                    try context.require(
                        cancelled.status == .cancelled && cancelled.booking == confirm.booking, "the cancel confirm is wrong", reply)
                }
                var other = try await context.greet()
                cancel = try await context.send(.cancel(.init(booking: "no-such-booking")), in: &other)
                try await context.expect([.decline], in: &other, after: cancel, what: "cancelling an unknown booking")
                try context.require(other.phase == .ready, "after the decline the phase is '\(other.phase)', not 'ready'")
            },
            make(
                "flow.reschedule", .flow, "a booking is moved in a later session; unknown bookings are declined",
                "PROTOCOL.md §5.2, §6",
                covers: rows(.booked, .customer, .reschedule) + rows(.rescheduling, .company, .offer)
                    + rows(.rescheduling, .company, .counterOffer) + rows(.ready, .customer, .reschedule)
                    + rows(.rescheduling, .company, .decline)
            ) { context in
                var (session, confirm) = try await context.reachBooked(window: context.profile.freeWindow)
                var sent = try await context.send(
                    .reschedule(.init(booking: confirm.booking, windows: [context.profile.busyWindow])), in: &session)
                try await context.expect(
                    [.counterOffer, .offer, .decline], in: &session, after: sent, what: "rescheduling into a busy window")
                var later = try await context.greet()
                sent = try await context.send(
                    .reschedule(.init(booking: confirm.booking, windows: [context.profile.wideWindow])), in: &later)
                var reply = try await context.expect(
                    [.offer, .counterOffer], in: &later, after: sent, what: "rescheduling from a new session")
                let proposal = try later.firstProposal()
                let accept = try await context.send(.accept(.init(proposal: proposal.id)), in: &later)
                let digest = later.agreementDigest
                reply = try await context.expect([.confirm], in: &later, after: accept, what: "accepting the new time")
                if case .confirm(let moved) = reply.message {
                    try context.require(
                        moved.status == .rescheduled && moved.booking == confirm.booking, "the reschedule confirm is wrong", reply)
                    try context.require(moved.agreementDigest == digest, "agreementDigest differs from the transcript", reply)
                }
                var unknown = try await context.greet()
                sent = try await context.send(
                    .reschedule(.init(booking: "no-such-booking", windows: [context.profile.wideWindow])), in: &unknown)
                try await context.expect([.decline], in: &unknown, after: sent, what: "rescheduling an unknown booking")
            },
            make(
                "flow.question-when-booked", .flow, "a question after the booking is answered and the booking stands",
                "PROTOCOL.md §6", covers: rows(.booked, .customer, .question)
            ) { context in
                var (session, _) = try await context.reachBooked()
                let question = try await context.send(.question(.init(id: "cq1", topic: "parking", text: "Parking?")), in: &session)
                try await context.expect([.answer], in: &session, after: question, what: "a question in 'booked'")
                try context.require(session.phase == .booked, "after the answer the phase is '\(session.phase)'")
            },
        ]
    }

    // MARK: Deadlines and expiry

    static var expiry: [ConformanceCase] {
        [
            make(
                "expiry.accept-after-expiry", .expiry, "accepting a proposal at or after its expiresAt is offer-expired",
                "PROTOCOL.md §6.2, §7",
                codes: [.offerExpired]
            ) { context in
                var session = try await context.reachOffered()
                let proposal = try session.firstProposal()
                let offeredAt = session.lastReceived?.sentAt ?? context.profile.now
                let validFor = Double(offeredAt.seconds(to: proposal.expiresAt))
                guard validFor <= 10 else {
                    throw ConformanceSkip(
                        "the peer's proposals stay valid \(Int(validFor)) s; the suite waits at most 10 s for one to expire")
                }
                try await Task.sleep(nanoseconds: UInt64((validFor + 1.5) * 1_000_000_000))
                let accept = try await context.send(.accept(.init(proposal: proposal.id)), in: &session, expectRejection: true)
                try await context.expectError(.offerExpired, in: &session, answering: accept, what: "accepting an expired proposal")
            }
        ]
    }
}
