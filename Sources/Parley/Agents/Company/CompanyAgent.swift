/// A company's service bot: it answers requests from its catalogue and calendar, books into its
/// ``BookingStore`` without ever double-booking, asks only for the data a booking needs, hands
/// judgement calls to a person, and keeps a ledger of the consent it received.
///
/// One agent serves any number of sessions at once, over any number of transports. Events of
/// one session are handled strictly in order; sessions never wait for each other except on the
/// store's atomic operations.
///
/// ```swift
/// let salon = CompanyAgent(profile: profile, catalogue: catalogue, store: InMemoryBookingStore(openingHours: hours))
/// Task { await salon.serve(transport, clock: SystemClock()) }
/// ```
public actor CompanyAgent {
    /// Who the agent is.
    public nonisolated let profile: CompanyProfile
    /// What it offers.
    public nonisolated let catalogue: Catalogue
    /// How it negotiates.
    public nonisolated let policy: CompanyPolicy
    /// Its calendar and bookings.
    public nonisolated let store: any BookingStore
    /// Structured events for logging and tracing.
    public nonisolated let events: AsyncStream<AgentEvent>
    private let eventSink: AsyncStream<AgentEvent>.Continuation
    private let configuration: SessionStateMachine.Configuration
    /// How many sessions it serves at once.
    public nonisolated let limits: ServiceLimits
    /// The service and category names its `hello` lists, computed once rather than per session.
    let helloServices: [String]

    private var sessions: [SessionID: CompanySession] = [:]
    /// Ended sessions in the order they ended, kept for the idempotency window and then forgotten.
    private var endedSessions = EndedSessions()
    /// Open (not yet ended) sessions, by the peer agent id that opened them.
    private var openSessionsByPeer: [AgentID: Set<SessionID>] = [:]
    private var openSessionTotal = 0
    var bookingCounter = 0
    let local: LocalTime?
    /// The consent this agent received: receipts and revocations.
    public private(set) var ledger = ConsentLedger()
    /// Signed consent receipts of the signed grants received, by token id.
    private var consentProofs: [TokenID: SignedReceipt] = [:]
    /// The key this agent signs its confirms with, if any (`Spec/PROTOCOL.md` §5.7).
    let signingKey: SigningKey?
    /// Data received for each booking, readable only through its consent.
    private var bookingData: [BookingReference: [ConsentedData]] = [:]

    func sessionState(_ id: SessionID) -> CompanySession? { sessions[id] }

    func update(_ id: SessionID, _ body: (inout CompanySession) -> Void) {
        guard var state = sessions[id] else { return }
        body(&state)
        sessions[id] = state
    }

    func eventSinkYield(_ event: AgentEvent) { eventSink.yield(event) }

    func recordRevocation(_ token: TokenID, at instant: Instant) {
        ledger.recordRevocation(of: token, at: instant)
        eventSink.yield(.consentRevoked(token))
    }

    func recordReceipt(_ receipt: ConsentReceipt) { ledger.record(receipt) }

    /// Files the session's consented data under the booking and binds its receipts to the agreement.
    func bind(session id: SessionID, to booking: BookingReference, agreementDigest: String) {
        guard let state = sessions[id] else { return }
        bookingData[booking, default: []] += state.data.values.sorted { $0.token.id < $1.token.id }
        for tokenID in state.grants.keys {
            guard var receipt = ledger.receipt(for: tokenID) else { continue }
            receipt.transcriptDigest = agreementDigest
            ledger.record(receipt)
        }
    }

    /// Creates a company agent.
    ///
    /// - Parameters:
    ///   - profile: who the company is: its agent id, name and time zone.
    ///   - catalogue: the services it offers.
    ///   - store: where slots are held and bookings kept; it alone decides whether a slot is free.
    ///   - policy: how it negotiates: offer validity, holds, cancellation terms, hand-off channel.
    ///   - configuration: the session tunables (timeouts and per-session limits).
    ///   - limits: how many sessions the agent serves at once, per peer and in all.
    ///   - signingKey: the key the agent signs every `confirm` with (`Spec/PROTOCOL.md` §5.7), so that
    ///     customers can keep a booking receipt anyone can verify; publish its public key (e.g. as a
    ///     JWK with `kid` ``PublicSigningKey/keyID``). `nil` (the default) signs nothing.
    public init(
        profile: CompanyProfile, catalogue: Catalogue, store: any BookingStore, policy: CompanyPolicy = CompanyPolicy(),
        configuration: SessionStateMachine.Configuration = SessionStateMachine.Configuration(), limits: ServiceLimits = ServiceLimits(),
        signingKey: SigningKey? = nil
    ) {
        self.profile = profile
        self.catalogue = catalogue
        self.store = store
        self.policy = policy
        self.configuration = configuration
        self.limits = limits
        self.signingKey = signingKey
        self.helloServices = Array(catalogue.names.prefix(ProtocolLimits.maximumServices))
        self.local = LocalTime(timeZone: profile.timeZone)
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
    }

    // MARK: - Runtime

    /// Serves every session that arrives on `transport` until it closes.
    ///
    /// The transport counts as one peer for ``ServiceLimits/openSessionsPerPeer``: once it holds
    /// that many open sessions, further new sessions on it are refused with `limit-exceeded`,
    /// whatever agent ids they claim. Sessions on other transports are not affected.
    public func serve(_ transport: some Transport, clock: some AgentClock) async {
        let timers = TimerScheduler(clock: clock)
        var opened = Set<SessionID>()
        for await event in transport.inbound {
            let now = clock.now
            var output: AgentOutput
            if case .envelope(let envelope) = event, sessions[envelope.session] == nil {
                if opened.count >= limits.openSessionsPerPeer { opened = opened.filter(isOpen) }
                if opened.count >= limits.openSessionsPerPeer {
                    output = refuse(
                        envelope,
                        ParleyError(
                            .limitExceeded, "this connection already holds \(opened.count) open sessions (MAX_PEER_SESSIONS)"),
                        now: now)
                } else {
                    output = await handle(event, now: now)
                    if sessions[envelope.session] != nil { opened.insert(envelope.session) }
                }
            } else {
                output = await handle(event, now: now)
            }
            await deliver(output, over: transport, timers: timers)
        }
        await timers.cancelAll()
    }

    private func isOpen(_ session: SessionID) -> Bool {
        sessions[session].map { !$0.machine.phase.isTerminal } ?? false
    }

    /// Why a new session from `peer` is not admitted now, or `nil` when it is.
    private func admission(of peer: AgentID) -> ParleyError? {
        if let open = openSessionsByPeer[peer], open.count >= limits.openSessionsPerPeer {
            return ParleyError(.limitExceeded, "agent '\(peer)' already holds \(open.count) open sessions (MAX_PEER_SESSIONS)")
        }
        if openSessionTotal >= limits.openSessions {
            return ParleyError(.limitExceeded, "\(openSessionTotal) sessions are open (MAX_OPEN_SESSIONS); try again later")
        }
        return nil
    }

    /// Answers the first envelope of a session the agent will not open, and forgets the session.
    func refuse(_ envelope: Envelope, _ reason: ParleyError, now: Instant) -> AgentOutput {
        guard envelope.to == profile.id else { return AgentOutput() }
        var machine = SessionStateMachine(
            role: .company, session: envelope.session, local: profile.id, peer: nil, configuration: configuration)
        var output = AgentOutput()
        output.absorb(machine.refuse(envelope, reason: reason, now: now), session: envelope.session)
        eventSink.yield(.messageRejected(envelope.session, reason))
        return output
    }

    /// Takes an ended session off the open counts (once: only the first call for a session counts).
    private func noteEnded(_ session: SessionID) {
        guard let peer = sessions[session]?.openedBy, openSessionsByPeer[peer]?.remove(session) != nil else { return }
        if openSessionsByPeer[peer]?.isEmpty == true { openSessionsByPeer[peer] = nil }
        openSessionTotal -= 1
    }

    private func deliver(_ output: AgentOutput, over transport: some Transport, timers: TimerScheduler) async {
        for envelope in output.envelopes {
            do { try await transport.send(envelope) } catch { break }
        }
        for request in output.timers {
            await timers.schedule(request) { [weak self] session, timer, now in
                guard let self else { return }
                let output = await self.timerFired(timer, session: session, now: now)
                await self.deliver(output, over: transport, timers: timers)
            }
        }
    }

    // MARK: - Sans-transport API

    /// Handles one inbound event at `now` and returns what to send and which timers to set.
    ///
    /// Sessions that ended more than the idempotency window
    /// (``SessionStateMachine/Configuration/idempotencyWindow``) before `now` are forgotten first,
    /// so a long-running agent holds a bounded number of sessions.
    public func handle(_ event: TransportEvent, now: Instant) async -> AgentOutput {
        purgeSessions(endedBefore: now.adding(seconds: -configuration.idempotencyWindow))
        let sessionID: SessionID
        switch event {
        case .envelope(let envelope): sessionID = envelope.session
        case .undecodable(let error, let session, let from, _):
            // §8: answered only in a session we hold with that peer; otherwise reported locally.
            guard let session, let state = sessions[session], from == nil || from == state.openedBy else {
                eventSink.yield(.inputRejected(error, session: session))
                return AgentOutput()
            }
            sessionID = session
        }
        if case .envelope(let envelope) = event, let state = sessions[sessionID], opensAnew(envelope, state) {
            // §5.5: a new customer that reuses the id of a session we hold is not answered from that
            // session's records. The old session is over for us; the hello opens a fresh one.
            await endSuperseded(sessionID, now: now)
        }
        if sessions[sessionID] == nil {
            guard case .envelope(let envelope) = event, envelope.to == profile.id else { return AgentOutput() }
            if let reason = admission(of: envelope.from) { return refuse(envelope, reason, now: now) }
            var machine = SessionStateMachine(
                role: .company, session: sessionID, local: profile.id, peer: nil, configuration: configuration)
            let started = machine.start(now: now)
            var probe = machine
            let first = probe.messageReceived(envelope, now: now)
            let rejected = first.contains { if case .rejected = $0 { true } else { false } }
            guard !rejected, !probe.phase.isTerminal else {
                // Rejected (not a `hello`, or no common version): answered, and no state kept
                // (§4.4), so junk cannot hold a session open. An envelope buffered ahead of a
                // missing `hello` (§9) is not rejected and keeps its session.
                var output = AgentOutput()
                output.envelopes = first.compactMap { if case .send(let sent) = $0 { sent } else { nil } }
                for case .rejected(let error) in first { eventSink.yield(.messageRejected(sessionID, error)) }
                return output
            }
            var output = AgentOutput()
            output.absorb(started, session: sessionID)
            sessions[sessionID] = CompanySession(machine: machine, openedBy: envelope.from)
            openSessionsByPeer[envelope.from, default: []].insert(sessionID)
            openSessionTotal += 1
            eventSink.yield(.sessionOpened(sessionID, peer: envelope.from))
            output.append(await process(event, session: sessionID, now: now))
            return output
        }
        return await process(event, session: sessionID, now: now)
    }

    /// Whether `envelope` opens a new session under the id of `state`'s session: a `hello` with
    /// `seq` 1 that is not a retransmission of the session's own opening `hello` (same `id`,
    /// `sentAt` and body), from the session's peer or, once the session has ended, from anyone.
    private func opensAnew(_ envelope: Envelope, _ state: CompanySession) -> Bool {
        guard envelope.kind == .hello, envelope.sequence == 1, envelope.to == profile.id else { return false }
        guard envelope.from == state.openedBy || state.machine.phase.isTerminal else { return false }
        guard let opening = state.transcript.first, opening.kind == .hello else { return false }
        return opening.id != envelope.id || opening.sentAt != envelope.sentAt || opening.message != envelope.message
            || opening.from != envelope.from
    }

    /// Forgets a session replaced by a new one with the same id: its hold is released, it stops
    /// counting against the limits, and it is reported ended (without telling the peer, who has
    /// started over).
    private func endSuperseded(_ session: SessionID, now: Instant) async {
        guard let state = sessions[session] else { return }
        if !state.machine.phase.isTerminal {
            noteEnded(session)
            let end = SessionEnd(
                outcome: "failed", error: ParleyError(.sessionClosed, "a new session reused this session id", fault: .remote),
                endedBy: .company)
            eventSink.yield(.sessionEnded(session, end))
        }
        sessions[session] = nil
        await store.release(session: session)
    }

    /// Handles a timer expiry of `session`.
    public func timerFired(_ timer: SessionTimer, session: SessionID, now: Instant) async -> AgentOutput {
        purgeSessions(endedBefore: now.adding(seconds: -configuration.idempotencyWindow))
        guard var state = sessions[session] else { return AgentOutput() }
        let actions = state.machine.timerFired(timer, now: now)
        sessions[session] = state
        return await execute(actions, session: session, now: now)
    }

    /// The transcript of `session` so far (envelopes sent and admitted, in order).
    public func transcript(of session: SessionID) -> [Envelope] { sessions[session]?.transcript ?? [] }

    /// The phase of `session`.
    public func phase(of session: SessionID) -> SessionPhase? { sessions[session]?.machine.phase }

    /// The consent receipts this agent holds, one per grant received.
    public var receipts: [ConsentReceipt] { ledger.receipts }

    /// The public key customers verify this agent's confirms with, when it has a signing key.
    public nonisolated var publicSigningKey: PublicSigningKey? { signingKey?.publicKey }

    /// The signed consent receipts of the signed grants this agent admitted, ordered by grant time,
    /// then token id: the customer's signatures over exactly which fields, purpose, retention and
    /// negotiation each consent was for, and when it was given (`Spec/CONSENT.md` §10.1). Show one
    /// to an auditor with ``SignedReceipt/jsonText``; it verifies with the customer's public key.
    public var signedConsentReceipts: [SignedReceipt] {
        consentProofs.values.sorted {
            ($0.consent?.grantedAt ?? Instant(secondsSinceEpoch: 0), $0.consent?.tokenID.rawValue ?? "")
                < ($1.consent?.grantedAt ?? Instant(secondsSinceEpoch: 0), $1.consent?.tokenID.rawValue ?? "")
        }
    }

    /// The signed consent receipt of the grant `token`, if that grant was signed and admitted.
    public func signedConsentReceipt(for token: TokenID) -> SignedReceipt? { consentProofs[token] }

    /// The personal data received for `booking`, each piece readable only within its consent.
    public func consentedData(for booking: BookingReference) -> [ConsentedData] { bookingData[booking] ?? [] }

    /// Reads `field` of the person who made `booking`, for `purpose`, at `now`: checked against the
    /// token's scope and this agent's revocations on every call.
    ///
    /// - Throws: the token's error (`token-revoked`, `token-expired`, `token-purpose-not-allowed`,
    ///   `token-field-not-covered`), or `unknown-reference` when no data was received for the booking.
    public func personalData(_ field: DataField, of booking: BookingReference, for purpose: Purpose, at now: Instant) throws(ParleyError)
        -> String
    {
        let candidates = bookingData[booking] ?? []
        guard !candidates.isEmpty else {
            throw ParleyError(.unknownReference, "no personal data was received for booking '\(booking)'", fault: .local)
        }
        var lastError = ParleyError(.tokenFieldNotCovered, "no consent covers '\(field)' for booking '\(booking)'", fault: .local)
        for data in candidates where data.disclosedFields.contains(field) {
            do {
                let value = try data.value(of: field, for: purpose, at: now, ledger: ledger)
                eventSink.yield(.consentUsed(tokenID: data.token.id, field: field, purpose: purpose, allowed: true))
                return value
            } catch {
                eventSink.yield(.consentUsed(tokenID: data.token.id, field: field, purpose: purpose, allowed: false))
                lastError = error
            }
        }
        throw lastError
    }

    /// Sessions known to the agent, open or finished.
    public var sessionCount: Int { sessions.count }

    /// Sessions open now (not yet ended): what ``ServiceLimits/openSessions`` counts.
    public var openSessionCount: Int { openSessionTotal }

    /// Forgets every finished session now, even within the idempotency window: a late
    /// retransmission to one of them is then treated as a new session's message.
    ///
    /// The agent forgets finished sessions by itself once they have been over for
    /// ``SessionStateMachine/Configuration/idempotencyWindow`` (on the next event or timer it
    /// handles), so calling this is never needed to keep memory bounded.
    public func purgeFinishedSessions() {
        sessions = sessions.filter { !$0.value.machine.phase.isTerminal }
        endedSessions = EndedSessions()
    }

    /// Forgets the sessions that ended before `instant` and have not been replaced since.
    private func purgeSessions(endedBefore instant: Instant) {
        while let (session, endedAt) = endedSessions.popFirst(endedBefore: instant) {
            guard let state = sessions[session], state.machine.phase.isTerminal, state.endedAt == endedAt else { continue }
            sessions[session] = nil
        }
    }

    // MARK: - Processing

    private func process(_ event: TransportEvent, session: SessionID, now: Instant) async -> AgentOutput {
        var output = AgentOutput()
        var next = sessions[session]?.inbox.admit(event)
        while let current = next {
            guard var state = sessions[session] else { break }
            let before = state.machine.phase
            var screening = screen(session: session, now: now)
            let actions = state.machine.consume(current, now: now) { screening.check($0) }
            sessions[session] = state
            consentProofs.merge(screening.proofs) { _, new in new }
            if before != state.machine.phase { eventSink.yield(.phaseChanged(session, from: before, to: state.machine.phase)) }
            output.append(await execute(actions, session: session, now: now))
            next = sessions[session]?.inbox.next()
        }
        return output
    }

    /// Runs the machine's actions: records sends, reacts to delivered messages, reports events.
    private func execute(_ actions: [SessionAction], session: SessionID, now: Instant) async -> AgentOutput {
        var output = AgentOutput()
        output.absorb(actions, session: session)
        for action in actions {
            switch action {
            case .send(let envelope):
                if TranscriptDigest.counts(envelope.kind) || envelope.kind == .close { sessions[session]?.transcript.append(envelope) }
                eventSink.yield(.messageSent(envelope))
            case .deliver(let envelope):
                sessions[session]?.transcript.append(envelope)
                eventSink.yield(.messageReceived(envelope))
                for message in await respond(to: envelope, session: session, now: now) {
                    output.append(await send(message, inReplyTo: envelope.id, session: session, now: now))
                }
            case .rejected(let error):
                eventSink.yield(.messageRejected(session, error))
            case .finish(let end):
                await finished(session, end, now: now)
            case .setTimer, .cancelTimer:
                break
            }
        }
        return output
    }

    private func send(_ message: Message, inReplyTo: MessageID?, session: SessionID, now: Instant) async -> AgentOutput {
        guard var state = sessions[session] else { return AgentOutput() }
        var message = message
        if case .confirm(let confirm) = message, let signingKey, let customer = state.machine.peer {
            message = .confirm(confirm.signed(with: signingKey, session: session, company: profile.id, customer: customer))
        }
        let before = state.machine.phase
        do {
            let actions = try state.machine.send(message, inReplyTo: inReplyTo, now: now)
            sessions[session] = state
            var output = AgentOutput()
            output.absorb(actions, session: session)
            for case .send(let envelope) in actions {
                sessions[session]?.transcript.append(envelope)
                eventSink.yield(.messageSent(envelope))
            }
            if before != state.machine.phase { eventSink.yield(.phaseChanged(session, from: before, to: state.machine.phase)) }
            for case .finish(let end) in actions { await finished(session, end, now: now) }
            return output
        } catch {
            // Our own logic tried to break the protocol: a bug. Fail the session rather than the process.
            let actions = state.machine.fail(ParleyError(.internalError, "company agent: \(error.message)", fault: .local), now: now)
            sessions[session] = state
            var output = AgentOutput()
            output.absorb(actions, session: session)
            for case .finish(let end) in actions { await finished(session, end, now: now) }
            return output
        }
    }

    /// A session ended: it no longer counts against the limits, its hold is released, and it is reported.
    private func finished(_ session: SessionID, _ end: SessionEnd, now: Instant) async {
        noteEnded(session)
        if sessions[session]?.endedAt == nil {
            sessions[session]?.endedAt = now
            endedSessions.append(session, endedAt: now)
        }
        await store.release(session: session)
        eventSink.yield(.sessionEnded(session, end))
    }
}
