extension CustomerAgent {
    /// Handles one inbound event at `now` (sans-transport API, also used by simulations).
    ///
    /// The session is saved in ``sessionStore`` before this returns; when the save fails, the
    /// output holds no envelopes of the session and ``AgentOutput/storeFailure`` says why.
    public func handle(_ event: TransportEvent, now: Instant) async -> AgentOutput {
        let (output, session) = await process(event, now: now)
        let saved = await persisted(output, touching: session)
        if let session { delivered(session) }
        return saved
    }

    /// Handles one inbound event without waking whoever waits for the session's outcome: the
    /// transport reader sends the output first and then calls ``delivered(_:)``, so that a final
    /// `error` or `close` is written before the waiting caller (e.g. `parley serve`) closes the
    /// transport. Until then even a caller that finds the session ended waits.
    func process(_ event: TransportEvent, now: Instant) async -> (AgentOutput, SessionID?) {
        let session: SessionID
        switch event {
        case .envelope(let envelope): session = envelope.session
        case .undecodable(_, let id, _, _):
            guard let id else { return (AgentOutput(), nil) }
            session = id
        }
        guard sessions[session] != nil else { return (AgentOutput(), nil) }
        undelivered[session, default: 0] += 1  // the caller sends the output, then calls delivered(_:)
        var output = AgentOutput()
        var next = inboxes[session, default: SerialInbox()].admit(event)
        while let current = next {
            guard var state = sessions[session] else { break }
            let before = state.machine.phase
            let trusted = trustedCompanyKeys[state.company] ?? []
            let actions = state.machine.consume(current, now: now) { envelope in
                // §5.7: a confirm from a company whose keys we trust must be signed by one of them.
                guard case .confirm = envelope.message else { return nil }
                do throws(ParleyError) {
                    _ = try SignedReceipt.booking(from: envelope, trusting: trusted)
                    return nil
                } catch {
                    return error
                }
            }
            sessions[session] = state
            if before != state.machine.phase { emit(.phaseChanged(session, from: before, to: state.machine.phase), session: session) }
            output.append(await execute(actions, session: session, now: now))
            next = inboxes[session]?.next()
        }
        return (output, session)
    }

    /// Handles a timer expiry of `session`; the session is saved in ``sessionStore`` before this
    /// returns, as with ``handle(_:now:)``.
    public func timerFired(_ timer: SessionTimer, session: SessionID, now: Instant) async -> AgentOutput {
        await persisted(fire(timer, session: session, now: now), touching: session)
    }

    /// Handles a timer expiry of `session` without saving it: the caller saves before sending.
    func fire(_ timer: SessionTimer, session: SessionID, now: Instant) async -> AgentOutput {
        guard var state = sessions[session] else { return AgentOutput() }
        state.timers[timer] = nil
        let actions = state.machine.timerFired(timer, now: now)
        sessions[session] = state
        if timer == .concludeBy, actions.isEmpty, let deadline = wishes.concludeBy, now >= deadline, case .book = state.goal,
            !state.machine.phase.isTerminal, state.machine.phase != .booked
        {
            // Before the request is out (e.g. the company has not said hello) the machine knows no
            // deadline: the wishes' deadline ends the session all the same.
            let closing = send(
                .close(.init(outcome: "no-agreement", text: "the conclude-by deadline \(deadline) passed")), session: session, now: now)
            sessions[session]?.outcome = .noAgreement(.deadlinePassed)
            notifyWaiters(session)
            return closing
        }
        if timer == .concludeBy || timer == .idle, state.machine.phase.isTerminal, state.outcome == nil {
            sessions[session]?.outcome = .noAgreement(timer == .idle ? .timeout : .deadlinePassed)
        }
        let output = await execute(actions, session: session, now: now)
        notifyWaiters(session)
        return output
    }

    /// The outcome of `session`, once known.
    public func outcome(of session: SessionID) -> NegotiationOutcome? { sessions[session]?.outcome }

    /// Whether `session` has ended (its machine is in a terminal phase).
    public func isFinished(_ session: SessionID) -> Bool { sessions[session]?.machine.phase.isTerminal ?? false }

    private func execute(_ actions: [SessionAction], session: SessionID, now: Instant) async -> AgentOutput {
        var output = AgentOutput()
        output.absorb(actions, session: session)
        for action in actions {
            switch action {
            case .send(let envelope):
                emit(.messageSent(envelope), session: session)
            case .deliver(let envelope):
                sessions[session]?.transcript.append(envelope)
                emit(.messageReceived(envelope), session: session)
                for message in await react(to: envelope, session: session, now: now) {
                    output.append(send(message, session: session, now: now, inReplyTo: envelope.id))
                }
            case .rejected(let error):
                emit(.messageRejected(session, error), session: session)
            case .finish(let end):
                if sessions[session]?.outcome == nil, let error = end.error { sessions[session]?.outcome = .failed(error) }
                emit(.sessionEnded(session, end), session: session)
            case .setTimer, .cancelTimer:
                break
            }
        }
        return output
    }

    func send(_ message: Message, session: SessionID, now: Instant, inReplyTo: MessageID? = nil) -> AgentOutput {
        guard var state = sessions[session] else { return AgentOutput() }
        var output = AgentOutput()
        let before = state.machine.phase
        defer {
            if let after = sessions[session]?.machine.phase, after != before {
                emit(.phaseChanged(session, from: before, to: after), session: session)
            }
        }
        do {
            let actions = try state.machine.send(message, inReplyTo: inReplyTo, now: now)
            for case .send(let envelope) in actions {
                state.transcript.append(envelope)
                emit(.messageSent(envelope), session: session)
            }
            for case .finish(let end) in actions { emit(.sessionEnded(session, end), session: session) }
            sessions[session] = state
            output.absorb(actions, session: session)
        } catch {
            // Our own logic tried to break the protocol: end the session with the error, never crash.
            let actions = state.machine.fail(error, now: now)
            state.outcome = .failed(error)
            sessions[session] = state
            output.absorb(actions, session: session)
        }
        return output
    }

    /// Ends a collecting session that lost: rejects what is on the table, then closes.
    func finish(_ session: SessionID, reason: NoAgreementReason, now: Instant) -> AgentOutput {
        guard let state = sessions[session], !state.machine.phase.isTerminal else { return AgentOutput() }
        var output = AgentOutput()
        if state.machine.phase == .offered {
            let wire = reason == .choseAnotherCompany ? "chose-another-company" : "other"
            output.append(send(.reject(.init(reason: wire, text: "Thank you, we chose another offer.")), session: session, now: now))
        }
        output.append(send(.close(.init(outcome: "no-agreement")), session: session, now: now))
        if sessions[session]?.outcome == nil { sessions[session]?.outcome = .noAgreement(reason) }
        notifyWaiters(session)
        return output
    }

    /// Accepts the candidate of a collecting session (the contract-net winner).
    func acceptCandidate(session: SessionID, now: Instant) -> AgentOutput {
        guard let candidate = sessions[session]?.candidate else { return AgentOutput() }
        sessions[session]?.candidate = nil
        return send(.accept(acceptance(of: candidate, session: session, addOns: [], now: now)), session: session, now: now)
    }

    // MARK: - Reactions

    /// The assistant's reply to an admitted message.
    private func react(to envelope: Envelope, session id: SessionID, now: Instant) async -> [Message] {
        guard let state = sessions[id] else { return [] }
        switch envelope.message {
        case .hello:
            if case .revoke(let token) = state.goal {
                sessions[id]?.outcome = .revocationDelivered(token)
                return [opening(for: state.goal), .close(.init(outcome: "done"))]
            }
            if case .book = state.goal, wishes.windows.isEmpty { sessions[id]?.outcome = .noAgreement(.noWindows) }
            return [opening(for: state.goal)]
        case .offer(let offer), .counterOffer(let offer):
            return await consider(offer.proposals, session: id, now: now)
        case .decline(let decline):
            if !decline.proposals.isEmpty { return await consider(decline.proposals, session: id, now: now) }
            return declined(decline, session: id)
        case .question(let question):
            if let answer = wishes.answers[question.topic],
                question.options.isEmpty || question.options.contains(where: { $0.value == answer })
            {
                return [.answer(.init(question: question.id, value: answer))]
            }
            sessions[id]?.outcome = .noAgreement(.unansweredQuestion(topic: question.topic, text: question.text))
            return [.close(.init(outcome: "no-agreement", text: "We cannot answer that."))]
        case .answer(let answer):
            if let topic = sessions[id]?.askedTopic { sessions[id]?.walkInAnswers[topic] = answer.value }
            return nextWalkInStep(session: id)
        case .consentRequest(let request):
            return await answerConsentRequest(request, session: id, now: now)
        case .confirm(let confirm):
            let receipt = try? SignedReceipt.booking(from: envelope, trusting: trustedCompanyKeys[state.company] ?? [])
            return confirmed(confirm, receipt: receipt, session: id)
        case .handoff(let handoff):
            sessions[id]?.outcome = .handedOff(handoff)
            return [.close(.init(outcome: "handed-off"))]
        case .error(let report):
            if sessions[id]?.machine.phase.isTerminal == false, state.outcome == nil {
                let error = ParleyError(report.knownCode ?? .internalError, report.text, offendingMessage: report.offending)
                sessions[id]?.outcome = .failed(error)
                return [.close(.init(outcome: "failed", text: "The company rejected our message: \(report.code)."))]
            }
            return []
        case .close(let close):
            if sessions[id]?.outcome == nil {
                sessions[id]?.outcome = .noAgreement(.closedByCompany(outcome: close.outcome))
            }
            return []
        case .request, .counterRequest, .accept, .reject, .cancel, .reschedule, .consentGrant, .consentDeny, .consentRevoke,
            .disclose:
            return []  // customer messages never reach a customer: the table rejects them first
        }
    }

    private func opening(for goal: CustomerSession.Goal) -> Message {
        switch goal {
        case .book:
            guard let first = wishes.windows.first else {
                return .close(.init(outcome: "no-agreement", text: "No time window to ask for."))
            }
            return .request(
                .init(
                    service: wishes.service, windows: [first], preferredStart: wishes.preferredStart,
                    partySize: wishes.partySize, priceCeiling: wishes.priceCeiling, concludeBy: wishes.concludeBy))
        case .reschedule(let booking, let windows, let preferred):
            return .reschedule(.init(booking: booking.reference, windows: windows, preferredStart: preferred))
        case .cancel(let booking):
            return .cancel(.init(booking: booking.reference))
        case .revoke(let token):
            return .consentRevoke(.init(tokenID: token, text: "The person withdrew this consent."))
        }
    }
}
