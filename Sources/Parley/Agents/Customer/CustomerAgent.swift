/// A person's assistant: it negotiates within the person's wishes and privacy policy, with one
/// company or several at once, and returns a typed ``NegotiationOutcome``.
///
/// It never accepts anything outside the wishes, never discloses a field that no grant covers,
/// and decides what to share only by its ``PrivacyPolicy`` and the person's answers through the
/// approval hook — never because the company's bot asks.
///
/// ```swift
/// let lisa = CustomerAgent(id: "assistant.example/lisa", wishes: wishes, policy: policy,
///                          personalData: [.givenName: "Lisa"], consentKey: key, clock: SystemClock())
/// await lisa.connect(to: "salon.example/bot", over: transport)
/// let outcome = await lisa.book(at: "salon.example/bot")
/// ```
public actor CustomerAgent {
    /// The assistant's agent id.
    public nonisolated let id: AgentID
    /// What the person wants.
    public nonisolated let wishes: Wishes
    /// How the person's data may be shared.
    public nonisolated let policy: PrivacyPolicy
    /// How offers are compared.
    public let strategy: OfferStrategy
    /// Whether consent and data ride along with the acceptance when the proposal declares its
    /// needs (one round trip less), instead of waiting for the company's consent request.
    public let discloseWithAcceptance: Bool
    /// Structured events for logging and tracing. A session's events are reported once the
    /// session is saved in ``sessionStore``; when the save fails, no `messageSent` is reported for
    /// what was not sent, and nothing more of a session another instance of the assistant continued.
    public nonisolated let events: AsyncStream<AgentEvent>

    let eventSink: AsyncStream<AgentEvent>.Continuation
    let personalData: [DataField: String]
    let approval: (@Sendable (ApprovalRequest) async -> Bool)?
    let clock: any AgentClock
    let configuration: SessionStateMachine.Configuration
    /// The key this agent signs its consent grants with, if any.
    let signingKey: SigningKey?
    /// The companies' keys this agent trusts to sign their confirms, by company.
    public nonisolated let trustedCompanyKeys: [AgentID: [PublicSigningKey]]
    /// Signed consent receipts of the grants this agent made, by token id.
    var consentProofs: [TokenID: SignedReceipt] = [:]
    var consent: ConsentAuthority
    var random: IdentifierSource
    var sessions: [SessionID: CustomerSession] = [:]
    var sessionOrder: [SessionID] = []
    var inboxes: [SessionID: SerialInbox<TransportEvent>] = [:]
    var links: [AgentID: any Transport] = [:]
    private var readers: [AgentID: Task<Void, Never>] = [:]
    /// Connections made so far, and the number of the current one to each company.
    private var connections = 0
    private var linkConnections: [AgentID: Int] = [:]
    /// Who waits for each session's outcome (``book(at:)``, ``resume(_:)``, …).
    var outcomeWaiters: [SessionID: [CheckedContinuation<NegotiationOutcome, Never>]] = [:]
    var progressWaiters: [SessionID: CheckedContinuation<Void, Never>] = [:]
    /// Inbound events processed whose output is not sent yet, by session: waiters wake only when
    /// it is 0, so that a final `error` or `close` goes out before `book` returns.
    var undelivered: [SessionID: Int] = [:]
    let timers: TimerScheduler
    /// Bookings made, by reference.
    public internal(set) var bookings: [BookingReference: Booking] = [:]
    /// When each booking in ``bookings`` was recorded, so that restoring saved sessions in any
    /// order keeps the latest state of a booking.
    var bookingTimes: [BookingReference: Instant] = [:]
    /// When each token this agent revoked was revoked, so that a receipt restored after its
    /// revocation carries the revocation time.
    var revocationTimes: [TokenID: Instant] = [:]

    /// Where its sessions live between events (``SessionStore``): every session is saved after
    /// each event and before anything the event produced is sent.
    public nonisolated let sessionStore: any SessionStore
    /// The version of each session this agent saved last.
    var versions: [SessionID: Int64] = [:]
    /// Sessions being saved right now, and who waits for a save that includes their changes.
    var saving: Set<SessionID> = []
    var saveWaiters: [SessionID: [CheckedContinuation<SessionStoreError?, Never>]] = [:]
    /// Sessions restored from the store whose timers are armed again.
    var resumed: Set<SessionID> = []
    /// Events of each session not reported yet: they are reported once the session is saved.
    var pendingEvents: [SessionID: [AgentEvent]] = [:]

    /// Creates an assistant.
    ///
    /// - Parameters:
    ///   - id: the assistant's agent id, which companies see.
    ///   - wishes: what to book, when, and the highest price to accept.
    ///   - policy: which personal data may be shared, for which purpose, and when to ask the person.
    ///   - personalData: the person's data, by field; only granted fields ever leave the agent.
    ///   - consentKey: the root key consent tokens are minted with; keep it secret and stable.
    ///   - strategy: how acceptable proposals are ranked.
    ///   - discloseWithAcceptance: whether to grant and disclose the data a proposal requires together
    ///     with the `accept`, saving a round trip, instead of waiting for the company's `consent-request`.
    ///   - seed: makes session and token ids replay exactly from this seed, for tests, simulations and
    ///     demos. Leave it `nil` (the default) in production: ids are then drawn from the system's
    ///     cryptographically secure generator, 128 bits each, and differ on every run.
    ///   - approval: asked when the policy says ``PrivacyPolicy/Decision/ask``; without it, `ask` means no.
    ///   - clock: the time source: ``SystemClock`` in production, ``ManualClock`` in tests.
    ///   - configuration: the session tunables (timeouts and per-session limits).
    ///   - signingKey: the key the agent signs each consent grant with (`Spec/CONSENT.md` §10.1), so
    ///     that the company holds proof of exactly what was consented to; `nil` (the default) signs nothing.
    ///   - trustedCompanyKeys: the signing keys the agent trusts for each company, from a source the
    ///     embedder trusts (e.g. the company's signed discovery document). For a company listed here,
    ///     every `confirm` must be signed by one of its keys, or the session fails (`confirm-unsigned`,
    ///     `confirm-unknown-key`, `confirm-bad-signature`); for a company not listed, confirms are
    ///     accepted signed or not (`Spec/PROTOCOL.md` §5.7). A signed confirm gives the booking a
    ///     ``Booking/receipt``.
    ///   - sessionStore: where sessions are saved, after every event and before anything is sent.
    ///     The default keeps them in this process's memory. Pass a store that outlives the process
    ///     (a file or database the app owns) to continue negotiations after the app is killed:
    ///     build the agent again with the same id, wishes, policy, consent key and store, connect
    ///     it, and call ``restoreSessions()`` and ``resume(_:)``.
    public init(
        id: AgentID, wishes: Wishes, policy: PrivacyPolicy, personalData: [DataField: String], consentKey: ConsentRootKey,
        strategy: OfferStrategy = .nearestThenCheapest, discloseWithAcceptance: Bool = false,
        approval: (@Sendable (ApprovalRequest) async -> Bool)? = nil, clock: any AgentClock, seed: UInt64? = nil,
        configuration: SessionStateMachine.Configuration = SessionStateMachine.Configuration(), signingKey: SigningKey? = nil,
        trustedCompanyKeys: [AgentID: [PublicSigningKey]] = [:], sessionStore: any SessionStore = InMemorySessionStore()
    ) {
        self.sessionStore = sessionStore
        self.id = id
        self.wishes = wishes
        self.policy = policy
        self.personalData = personalData
        self.strategy = strategy
        self.discloseWithAcceptance = discloseWithAcceptance
        self.approval = approval
        self.clock = clock
        self.configuration = configuration
        self.signingKey = signingKey
        self.trustedCompanyKeys = trustedCompanyKeys
        self.consent = ConsentAuthority(issuer: id, rootKey: consentKey)
        self.random = IdentifierSource(seed: seed)
        self.timers = TimerScheduler(clock: clock)
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
    }

    // MARK: - Connections

    /// Connects to `company` over `transport`; every later negotiation with it uses this transport.
    public func connect(to company: AgentID, over transport: any Transport) {
        links[company] = transport
        connections += 1
        let connection = connections
        linkConnections[company] = connection
        readers[company]?.cancel()
        readers[company] = Task { [weak self] in
            for await event in transport.inbound {
                guard let self else { return }
                let (output, session) = await self.process(event, now: self.clock.now)
                await self.execute(output, touching: session)
                if let session { await self.delivered(session) }
            }
            guard !Task.isCancelled, let self else { return }
            await self.linkEnded(company, connection: connection)
        }
    }

    /// The transport to `company` delivers nothing more (its input ended, e.g. standard input
    /// reached end of file, §4.6): every open session with `company` ends at once with a `close`
    /// (sent if the transport still takes it) and the outcome
    /// ``NegotiationOutcome/noAgreement(_:)`` with the reason ``NoAgreementReason/inputEnded``, instead of
    /// retransmitting into the void until the idle timeout.
    private func linkEnded(_ company: AgentID, connection: Int) async {
        guard linkConnections[company] == connection else { return }  // replaced by a newer connection
        let now = clock.now
        for session in sessionOrder {
            guard let state = sessions[session], state.company == company, !state.machine.phase.isTerminal else { continue }
            if state.outcome == nil { sessions[session]?.outcome = .noAgreement(.inputEnded) }
            let output = send(.close(.init(outcome: "no-agreement", text: "The connection ended.")), session: session, now: now)
            await execute(output, touching: session)
            await timers.cancel(session: session)
            notifyWaiters(session)
        }
        readers[company] = nil
    }

    /// Ends every session still open with a polite `close`, stops reading from every transport
    /// and cancels timers. A negotiation in progress returns at once: its outcome is
    /// ``NegotiationOutcome/noAgreement(_:)`` with the reason ``NoAgreementReason/disconnected``, or the outcome it
    /// already reached (a booking stays booked).
    public func disconnect() async {
        let now = clock.now
        for session in sessionOrder where sessions[session]?.machine.phase.isTerminal == false {
            await execute(finish(session, reason: .disconnected, now: now), touching: session)
        }
        for reader in readers.values { reader.cancel() }
        readers.removeAll()
        await timers.cancelAll()
        for (session, waiters) in outcomeWaiters {
            for waiter in waiters { waiter.resume(returning: sessions[session]?.outcome ?? .noAgreement(.disconnected)) }
        }
        outcomeWaiters.removeAll()
        for waiter in progressWaiters.values { waiter.resume() }
        progressWaiters.removeAll()
    }

    // MARK: - Negotiations

    /// Negotiates a booking with one company.
    public func book(at company: AgentID) async -> NegotiationOutcome {
        await run(goal: .book(collecting: false), with: company)
    }

    /// Asks every company at once, compares their acceptable proposals by the strategy, accepts
    /// the best and politely rejects the others, which never receive any personal data.
    public func book(atAnyOf companies: [AgentID]) async -> NegotiationOutcome {
        var opened: [SessionID] = []
        for company in companies {
            let (session, output) = open(.book(collecting: true), with: company)
            opened.append(session)
            await execute(output, touching: session)
        }
        for session in opened { await waitForProgress(session) }
        let ranked = opened.compactMap { session -> (SessionID, Int64)? in
            guard let state = sessions[session], let candidate = state.candidate, state.outcome == nil else { return nil }
            let price = candidate.price(withAddOns: [])
            return strategy.score(candidate, price, wishes).map { (session, $0) }
        }.sorted { $0.1 < $1.1 }
        for session in opened where session != ranked.first?.0 {
            await execute(finish(session, reason: .choseAnotherCompany, now: clock.now), touching: session)
        }
        guard let winner = ranked.first?.0 else {
            let reasons = opened.compactMap { sessions[$0]?.outcome }
            return reasons.first { if case .noReservationNeeded = $0 { true } else { false } }
                ?? .noAgreement(.noAcceptableCompany)
        }
        let output = acceptCandidate(session: winner, now: clock.now)
        await execute(output, touching: winner)
        return await waitForOutcome(winner)
    }

    /// Moves `booking` into one of `windows`, under the company's cancellation policy.
    public func reschedule(_ booking: Booking, to windows: [TimeWindow], preferredStart: Instant? = nil) async -> NegotiationOutcome {
        await run(goal: .reschedule(booking, windows: windows, preferred: preferredStart), with: booking.company)
    }

    /// Cancels `booking`.
    public func cancel(_ booking: Booking) async -> NegotiationOutcome {
        await run(goal: .cancel(booking), with: booking.company)
    }

    /// Revokes a consent token in this agent's ledger (its own verification refuses the token and
    /// every token narrowed from it at once) and tells `company` in a session of its own.
    /// Returns whether the company was told: the revocation was sent and the session closed cleanly
    /// (the company applies it when the message arrives).
    ///
    /// The revocation is saved in ``sessionStore`` with that session before anything is sent, so a
    /// restart never forgets it. When the agent is not connected to `company`, this returns `false`
    /// at once and the session waits, saved: after ``connect(to:over:)`` its retransmission tells
    /// the company, and after a restart ``restoreSessions()`` restores the revocation and lists the
    /// session for ``resume(_:)``. A session that waits longer than the idle timeout
    /// (``SessionStateMachine/Configuration/idleTimeout``) ends without telling the company; the
    /// revocation stays in the ledger, and calling this again once connected tells the company.
    @discardableResult
    public func revoke(_ token: TokenID, at company: AgentID) async -> Bool {
        let now = clock.now
        consent.revoke(token, at: now)
        revocationTimes[token] = min(revocationTimes[token] ?? now, now)
        eventSink.yield(.consentRevoked(token))
        guard links[company] != nil else {
            let (session, output) = open(.revoke(token), with: company)
            await execute(output, touching: session)
            return false
        }
        if case .revocationDelivered = await run(goal: .revoke(token), with: company) { return true }
        return false
    }

    /// The consent receipts this agent has issued.
    public var receipts: [ConsentReceipt] { consent.receipts(at: clock.now) }

    /// The signed consent receipts of the grants this agent made with its signing key, ordered by
    /// grant time, then token id: the same statements the company holds (`Spec/CONSENT.md` §10.1).
    public var signedConsentReceipts: [SignedReceipt] {
        consentProofs.values.sorted {
            ($0.consent?.grantedAt ?? Instant(secondsSinceEpoch: 0), $0.consent?.tokenID.rawValue ?? "")
                < ($1.consent?.grantedAt ?? Instant(secondsSinceEpoch: 0), $1.consent?.tokenID.rawValue ?? "")
        }
    }

    /// Verifies a token this agent issued for the use described (the issuer's check a company
    /// must pass before using data again, e.g. for a reminder).
    public func verify(token: String, use: ConsentUse) throws(ParleyError) {
        try consent.verify(token: token, for: use)
    }

    /// The transcript of a session.
    public func transcript(of session: SessionID) -> [Envelope] { sessions[session]?.transcript ?? [] }

    /// Every session this agent opened, oldest first.
    public var sessionIDs: [SessionID] { sessionOrder }

    /// The transcripts of every session, oldest first.
    public func allTranscripts() -> [[Envelope]] { sessionOrder.map { sessions[$0]?.transcript ?? [] } }

    // MARK: - Running sessions

    private func run(goal: CustomerSession.Goal, with company: AgentID) async -> NegotiationOutcome {
        guard links[company] != nil else {
            return .failed(ParleyError(.misaddressed, "not connected to \(company): call connect(to:over:) first", fault: .local))
        }
        let (session, output) = open(goal, with: company)
        if let failure = await execute(output, touching: session) {
            // Nothing was sent: the session could not be saved (e.g. its id is taken in the store).
            return .failed(ParleyError(.internalError, "the session could not be saved: \(failure)", fault: .local))
        }
        return await waitForOutcome(session)
    }

    /// Opens a session for `goal`: a fresh machine, the hello.
    func open(_ goal: CustomerSession.Goal, with company: AgentID) -> (SessionID, AgentOutput) {
        let session = SessionID(stringLiteral: "s-\(random.hex())")
        var machine = SessionStateMachine(role: .customer, session: session, local: id, peer: company, configuration: configuration)
        var output = AgentOutput()
        switch goal {
        case .cancel(let booking), .reschedule(let booking, _, _): machine.recall(booking.confirmation)
        case .book, .revoke: break
        }
        output.absorb(machine.start(now: clock.now), session: session)
        sessions[session] = CustomerSession(machine: machine, company: company, goal: goal)
        if case .revoke(let token) = goal { sessions[session]?.revokedAt = revocationTimes[token] }
        sessionOrder.append(session)
        emit(.sessionOpened(session, peer: company), session: session)
        output.append(send(.hello(.init(role: .customer)), session: session, now: clock.now))
        if case .book = goal, let deadline = wishes.concludeBy {
            // The deadline holds from the first hello on, not only once the request is out: a
            // company that never answers must not keep the person waiting until the idle timeout.
            output.timers.append(AgentOutput.TimerRequest(session: session, timer: .concludeBy, at: deadline))
        }
        return (session, output)
    }

    func waitForOutcome(_ session: SessionID) async -> NegotiationOutcome {
        if let outcome = sessions[session]?.outcome, sessions[session]?.machine.phase.isTerminal == true, undelivered[session] == nil {
            return outcome
        }
        return await withCheckedContinuation { outcomeWaiters[session, default: []].append($0) }
    }

    private func waitForProgress(_ session: SessionID) async {
        guard let state = sessions[session], state.candidate == nil, state.outcome == nil else { return }
        await withCheckedContinuation { progressWaiters[session] = $0 }
    }

    /// Notes that the output of one processed inbound event of `session` has been sent, then
    /// wakes its waiters if nothing else is pending.
    func delivered(_ session: SessionID) {
        if let pending = undelivered[session], pending > 1 { undelivered[session] = pending - 1 } else { undelivered[session] = nil }
        notifyWaiters(session)
    }

    /// Resumes whoever waits on `session` when it has reached an outcome or a candidate, unless
    /// output of the session is still being sent.
    func notifyWaiters(_ session: SessionID) {
        guard undelivered[session] == nil, let state = sessions[session] else { return }
        if state.candidate != nil || state.outcome != nil, let waiter = progressWaiters.removeValue(forKey: session) {
            waiter.resume()
        }
        if state.machine.phase.isTerminal {
            let outcome = state.outcome ?? .failed(state.machine.end?.error ?? ParleyError(.sessionClosed, "the session ended"))
            if sessions[session]?.outcome == nil { sessions[session]?.outcome = outcome }
            if let waiter = progressWaiters.removeValue(forKey: session) { waiter.resume() }
            for waiter in outcomeWaiters.removeValue(forKey: session) ?? [] { waiter.resume(returning: outcome) }
        }
    }

    /// Saves the sessions `output` concerns (and `touching`), then sends the envelopes of those
    /// saved over the right links and schedules the timers. Returns why a save failed, if one did.
    @discardableResult
    func execute(_ output: AgentOutput, touching: SessionID? = nil) async -> SessionStoreError? {
        let output = await persisted(output, touching: touching)
        for envelope in output.envelopes {
            guard let link = links[envelope.to] else { continue }
            do { try await link.send(envelope) } catch { continue }
        }
        await schedule(output.timers)
        return output.storeFailure
    }

    /// Sets or stops timers; a timer that fires is handled, saved and its output sent.
    func schedule(_ requests: [AgentOutput.TimerRequest]) async {
        for request in requests {
            await timers.schedule(request) { [weak self] session, timer, now in
                guard let self else { return }
                let output = await self.fire(timer, session: session, now: now)
                await self.execute(output, touching: session)
            }
        }
    }

    func recordBooking(_ booking: Booking) {
        bookings[booking.reference] = booking
        bookingTimes[booking.reference] = clock.now
    }
}
