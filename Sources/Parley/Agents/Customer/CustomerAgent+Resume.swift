/// Saving sessions, and continuing them after a restart (`Spec/PROTOCOL.md` §9, "Resuming an assistant").
///
/// Every session is saved in ``CustomerAgent/sessionStore`` after each event and before anything
/// the event produced is sent or reported (``CustomerAgent/events``), so nothing is ever sent
/// that a restart could forget: a restarted
/// agent finds in the store every message it minted (in the session's transcript and its
/// unacknowledged envelopes) and never mints one again; it only retransmits, with the same ids.
///
/// What the agent keeps beyond its sessions is saved with the session it came from and restored
/// with it: the consent receipts of the grants a session made (as the ledger holds them, bound
/// to the agreement once confirmed), their signed consent receipts, the booking a session
/// confirmed or cancelled (its outcome), and a revocation (kept by the session that tells the
/// company, with the instant of the revocation).
extension CustomerAgent {
    // MARK: - Saving

    /// Saves every session `output` concerns (and `touching`) and returns the part of `output`
    /// that may be sent: all of it, or without the envelopes of a session whose save failed (then
    /// ``AgentOutput/storeFailure`` says why). Timers are kept when the store was unavailable (a
    /// retransmission tries again); a session that lost a compare-and-set is abandoned here.
    func persisted(_ output: AgentOutput, touching: SessionID?) async -> AgentOutput {
        var ids = Set(output.envelopes.map(\.session)).union(output.timers.map(\.session)).union(output.finished.keys)
        if let touching { ids.insert(touching) }
        var failed: [SessionID: SessionStoreError] = [:]
        for id in ids.sorted() where sessions[id] != nil {
            sessions[id]?.noteTimers(output.timers, session: id)
            if sessions[id]?.machine.phase.isTerminal == true, sessions[id]?.endedAt == nil { sessions[id]?.endedAt = clock.now }
            if let error = await persist(id) {
                failed[id] = error
                if error.kind == .conflict { await abandon(id, because: error) }
            }
        }
        reportEvents(of: ids, failed: failed)
        guard let first = failed.min(by: { $0.key < $1.key }) else { return output }
        var kept = output
        kept.envelopes.removeAll { failed[$0.session] != nil }
        kept.timers.removeAll { failed[$0.session]?.kind == .conflict }
        kept.storeFailure = kept.storeFailure ?? first.value
        return kept
    }

    /// Notes `event` of `session`, to report once the session is saved (``persisted(_:touching:)``).
    func emit(_ event: AgentEvent, session: SessionID) {
        pendingEvents[session, default: []].append(event)
    }

    /// Reports the events noted for `ids` now that their sessions were saved, or not: a session
    /// another instance continued (`conflict`) reports nothing more here, and a session whose save
    /// failed otherwise reports what happened but no `messageSent`, because nothing was sent.
    private func reportEvents(of ids: Set<SessionID>, failed: [SessionID: SessionStoreError]) {
        for id in ids.sorted() {
            guard let events = pendingEvents.removeValue(forKey: id) else { continue }
            guard let failure = failed[id] else {
                for event in events { eventSink.yield(event) }
                continue
            }
            guard failure.kind != .conflict else { continue }
            for event in events {
                if case .messageSent = event { continue }
                eventSink.yield(event)
            }
        }
    }

    /// Saves `session` as it is now; returns why the save failed, if it did. While a save of the
    /// session is under way, waits for the next one, which includes the changes made meanwhile.
    func persist(_ session: SessionID) async -> SessionStoreError? {
        if saving.contains(session) {
            return await withCheckedContinuation { saveWaiters[session, default: []].append($0) }
        }
        saving.insert(session)
        var result = await saveOnce(session)
        while let waiters = saveWaiters.removeValue(forKey: session) {
            result = await saveOnce(session)
            for waiter in waiters { waiter.resume(returning: result) }
        }
        saving.remove(session)
        return result
    }

    /// One compare-and-set save of `session` over the version this agent saved last. A conflict
    /// means another process (a newer instance of this assistant) continued the session: this
    /// one sends nothing more of it (``abandon(_:because:)``).
    private func saveOnce(_ session: SessionID) async -> SessionStoreError? {
        guard var state = sessions[session] else { return nil }
        state.receipts = state.grants.compactMap { consent.ledger.receipt(for: $0.tokenID) }
        state.consentProofs = state.grants.compactMap { consentProofs[$0.tokenID] }
        let version = (versions[session] ?? 0) + 1
        do {
            try await sessionStore.save(SavedSession(id: session, version: version, customer: state))
        } catch {
            return error
        }
        versions[session] = max(versions[session] ?? 0, version)
        return nil
    }

    // MARK: - Resuming

    /// Reads every session of this assistant from ``sessionStore`` after a restart and restores
    /// what the agent keeps beyond them (``receipts``, ``signedConsentReceipts``, ``bookings``,
    /// revocations, ``sessionIDs``); returns the sessions still open, oldest first, for
    /// ``resume(_:)`` to continue.
    ///
    /// Needs a store that lists sessions by agent (``SessionStore/sessions(of:)``); with one that
    /// does not, keep the ids yourself (``AgentEvent/sessionOpened(_:peer:)``, ``sessionIDs``)
    /// and call ``resume(_:)`` for each: it restores the same per session.
    ///
    /// - Throws: the store's error; nothing is restored then.
    public func restoreSessions() async throws(SessionStoreError) -> [SessionID] {
        var open: [SessionID] = []
        var saved: [SavedSession] = []
        for session in try await sessionStore.sessions(of: id) {
            if let value = try await sessionStore.load(session) { saved.append(value) }
        }
        for value in saved where value.role == .customer {
            try install(value)
            if let state = sessions[value.id], !state.machine.phase.isTerminal { open.append(value.id) }
        }
        return sessionIDs.filter(open.contains)
    }

    /// Continues `session` from ``sessionStore`` after a restart and waits for its outcome.
    ///
    /// Build the agent again with the same id, wishes, policy, personal data, consent key and
    /// store, ``connect(to:over:)`` it to the session's company, then call this (after
    /// ``restoreSessions()``, or alone for a session whose id you kept). The session continues
    /// exactly where it was saved: its timers are armed again (a retransmission of what the
    /// company has not acknowledged goes out when its timer is due, with the same message ids),
    /// and nothing the agent sent before is minted again — no second `accept`, no second token.
    ///
    /// An ended session returns its outcome at once. The session's consent receipts, signed
    /// consent receipts, booking and revocation are restored either way.
    ///
    /// Returns ``NegotiationOutcome/failed(_:)`` with `unknown-reference` when the store holds no
    /// such session of this assistant, `internal-error` when the store fails, and `misaddressed`
    /// when the agent is not connected to the session's company (connect, then call again).
    public func resume(_ session: SessionID) async -> NegotiationOutcome {
        if sessions[session] == nil {
            do {
                guard let saved = try await sessionStore.load(session) else {
                    return .failed(ParleyError(.unknownReference, "the session store holds no session '\(session)'", fault: .local))
                }
                try install(saved)
            } catch {
                return .failed(ParleyError(.internalError, "session '\(session)' cannot be restored: \(error)", fault: .local))
            }
        }
        guard let state = sessions[session] else {
            return .failed(ParleyError(.unknownReference, "session '\(session)' is not a session of \(id)", fault: .local))
        }
        if state.machine.phase.isTerminal {
            return state.outcome ?? .failed(state.machine.end?.error ?? ParleyError(.sessionClosed, "the session ended", fault: .local))
        }
        guard links[state.company] != nil else {
            return .failed(ParleyError(.misaddressed, "not connected to \(state.company): call connect(to:over:) first", fault: .local))
        }
        await rearmTimers(of: session)
        return await waitForOutcome(session)
    }

    /// Takes a saved session in (unless the agent holds it already) and restores what it kept.
    private func install(_ saved: SavedSession) throws(SessionStoreError) {
        guard let state = saved.customer, saved.agent == id else {
            throw SessionStoreError(.corrupt, "session '\(saved.id)' is not a session of the assistant \(id)")
        }
        guard sessions[saved.id] == nil else { return }
        sessions[saved.id] = state
        versions[saved.id] = saved.version
        adopt(saved.id)
        restoreRecords(of: state, session: saved.id)
    }

    /// Restores the consent receipts, signed consent receipts, revocation and booking `state` kept.
    private func restoreRecords(of state: CustomerSession, session: SessionID) {
        for var receipt in state.receipts where consent.ledger.receipt(for: receipt.tokenID) == nil {
            if receipt.revokedAt == nil, let revoked = revocationTimes[receipt.tokenID] { receipt.revokedAt = revoked }
            consent.restore(receipt)
        }
        for proof in state.consentProofs {
            guard let token = proof.consent?.tokenID, consentProofs[token] == nil else { continue }
            consentProofs[token] = proof
        }
        if case .revoke(let token) = state.goal, let at = state.revokedAt {
            revocationTimes[token] = min(revocationTimes[token] ?? at, at)
            consent.revoke(token, at: at)
        }
        switch state.outcome {
        case .booked(let booking), .cancelled(let booking):
            restoreBooking(booking, at: state.endedAt ?? state.transcript.last?.sentAt ?? Instant(secondsSinceEpoch: 0))
        case .noReservationNeeded, .handedOff, .revocationDelivered, .noAgreement, .failed, nil:
            break
        }
    }

    // MARK: - Restoring

    /// Records `booking`, restored from a session saved at `instant`, unless a later state of it is known.
    func restoreBooking(_ booking: Booking, at instant: Instant) {
        if let known = bookingTimes[booking.reference], known > instant { return }
        bookings[booking.reference] = booking
        bookingTimes[booking.reference] = instant
    }

    /// Takes `session` into the agent's session order (restored sessions by their first envelope).
    func adopt(_ session: SessionID) {
        guard !sessionOrder.contains(session) else { return }
        sessionOrder.append(session)
        let first = { (id: SessionID) in self.sessions[id]?.transcript.first?.sentAt ?? Instant(secondsSinceEpoch: 0) }
        sessionOrder.sort { (first($0), $0) < (first($1), $1) }
    }

    /// Stops handling `session` here because another instance of this assistant continued it
    /// (a save lost its compare-and-set): its timers stop and whoever waits for it gets `error`.
    func abandon(_ session: SessionID, because error: SessionStoreError) async {
        await timers.cancel(session: session)
        let outcome = NegotiationOutcome.failed(
            ParleyError(.internalError, "session '\(session)' was continued by another instance: \(error)", fault: .local))
        for waiter in outcomeWaiters.removeValue(forKey: session) ?? [] { waiter.resume(returning: outcome) }
        progressWaiters.removeValue(forKey: session)?.resume()
    }

    /// Arms the stored timers of `session` once (a restored session).
    func rearmTimers(of session: SessionID) async {
        guard let state = sessions[session], !resumed.contains(session) else { return }
        resumed.insert(session)
        let requests = state.timers.sorted(by: { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) }).map {
            AgentOutput.TimerRequest(session: session, timer: $0.key, at: $0.value)
        }
        await schedule(requests)
    }
}
