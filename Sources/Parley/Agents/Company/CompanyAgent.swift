internal import ParleyCrypto

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

    /// Where its sessions live between events (``SessionStore``).
    public nonisolated let sessionStore: any SessionStore
    /// The sessions being handled right now: working copies loaded from ``sessionStore`` for one
    /// event and saved back (compare-and-set) before anything produced is sent.
    private var sessions: [SessionID: CompanySession] = [:]
    /// Events waiting for their session, which is busy with an earlier one on this instance.
    private var inboxes: [SessionID: SerialInbox<SessionInput>] = [:]
    /// Agent events of the event being handled, per session: reported once the session is saved,
    /// dropped when the save loses a race and the event is handled again.
    private var pendingEvents: [SessionID: [AgentEvent]] = [:]
    /// When finished sessions were last purged from the store.
    private var lastPurge: Instant?
    /// Open (not yet ended) sessions this instance opened, by the peer agent id that opened them.
    private var openSessionsByPeer: [AgentID: Set<SessionID>] = [:]
    private var openSessionTotal = 0
    let local: LocalTime?
    /// The consent this agent received: receipts and revocations.
    public private(set) var ledger = ConsentLedger()
    /// Signed consent receipts of the signed grants received, by token id.
    private var consentProofs: [TokenID: SignedReceipt] = [:]
    /// The key this agent signs its confirms with, if any (`Spec/PROTOCOL.md` §5.7).
    let signingKey: SigningKey?

    /// What a session handles one after the other: an inbound event or a timer.
    enum SessionInput: Sendable {
        case event(TransportEvent)
        case timer(SessionTimer)
    }

    func sessionState(_ id: SessionID) -> CompanySession? { sessions[id] }

    func update(_ id: SessionID, _ body: (inout CompanySession) -> Void) {
        guard var state = sessions[id] else { return }
        body(&state)
        sessions[id] = state
    }

    /// Reports `event` of `session`: at once, or after the session is saved while an event of it is being handled.
    func emit(_ event: AgentEvent, session: SessionID) {
        if pendingEvents[session] != nil { pendingEvents[session]?.append(event) } else { eventSink.yield(event) }
    }

    /// Records the revocation of `token` by `customer`: in this agent's ledger, and in the consents
    /// kept with that customer's bookings (so every instance sharing the store honours it).
    func recordRevocation(_ token: TokenID, by customer: AgentID, at instant: Instant) async {
        ledger.recordRevocation(of: token, at: instant)
        for var booking in await store.activeBookings() where booking.customer == customer {
            guard let index = booking.consents.firstIndex(where: { $0.receipt.tokenID == token }),
                booking.consents[index].receipt.revokedAt == nil
            else { continue }
            booking.consents[index].receipt.revokedAt = instant
            _ = await store.update(booking, now: instant)
        }
        eventSink.yield(.consentRevoked(token))
    }

    func recordReceipt(_ receipt: ConsentReceipt) { ledger.record(receipt) }

    /// The consents of session `state`, to keep with its booking: each grant's token, its receipt
    /// bound to the agreement, and the data disclosed under it.
    func consents(of state: CompanySession, agreementDigest: String) -> [BookingConsent] {
        state.grants.sorted { $0.key < $1.key }.compactMap { tokenID, entry in
            guard var receipt = state.receipts[tokenID] else { return nil }
            receipt.transcriptDigest = agreementDigest
            if ledger.isRevoked(tokenID), receipt.revokedAt == nil { receipt.revokedAt = ledger.receipt(for: tokenID)?.revokedAt }
            return BookingConsent(token: entry.token, receipt: receipt, data: state.data[tokenID])
        }
    }

    /// Binds this agent's receipts of session `state`'s grants to the agreement.
    func bindReceipts(of state: CompanySession, agreementDigest: String) {
        for tokenID in state.grants.keys {
            guard var receipt = ledger.receipt(for: tokenID) ?? state.receipts[tokenID] else { continue }
            receipt.transcriptDigest = agreementDigest
            ledger.record(receipt)
        }
    }

    /// The reference of the booking made in `session`: the policy's prefix and ten base-32 digits
    /// of a hash of the company and the session. The same on every instance and every retry, so a
    /// request handled again after a crash commits the same booking instead of a second one.
    func bookingReference(for session: SessionID) -> BookingReference {
        let digest = SHA256.hash(Array("\(profile.id)\u{0}\(session)".utf8))
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var bits = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var digits: [Character] = []
        for _ in 0..<10 {
            digits.append(alphabet[Int(bits >> 59)])
            bits <<= 5
        }
        return BookingReference(rawValue: "\(policy.bookingPrefix)-\(String(digits))")
            ?? BookingReference(stringLiteral: "B-\(String(digits))")
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
    ///   - sessionStore: where sessions live between events. The default keeps them in this
    ///     process's memory; pass a database-backed store shared by every instance to survive
    ///     restarts and to let any instance take any event of any session.
    public init(
        profile: CompanyProfile, catalogue: Catalogue, store: any BookingStore, policy: CompanyPolicy = CompanyPolicy(),
        configuration: SessionStateMachine.Configuration = SessionStateMachine.Configuration(), limits: ServiceLimits = ServiceLimits(),
        signingKey: SigningKey? = nil, sessionStore: any SessionStore = InMemorySessionStore()
    ) {
        self.sessionStore = sessionStore
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
    ///
    /// A session continued from ``sessionStore`` (begun before a restart) has its timers armed
    /// again on this transport when its first event arrives here; its peer's retransmission
    /// brings that event.
    public func serve(_ transport: some Transport, clock: some AgentClock) async {
        let timers = TimerScheduler(clock: clock)
        var opened = Set<SessionID>()
        var armed = Set<SessionID>()
        for await event in transport.inbound {
            let now = clock.now
            var output = AgentOutput()
            if case .envelope(let envelope) = event, !armed.contains(envelope.session) {
                if let stored = await storedTimers(of: envelope.session) {
                    // Continued from the store: its timers were armed by another process, if any.
                    armed.insert(envelope.session)
                    output.timers = stored
                    output.append(await handle(event, now: now))
                } else {
                    if opened.count >= limits.openSessionsPerPeer { opened = await stillOpen(opened) }
                    if opened.count >= limits.openSessionsPerPeer {
                        output = refuse(
                            envelope,
                            ParleyError(
                                .limitExceeded, "this connection already holds \(opened.count) open sessions (MAX_PEER_SESSIONS)"),
                            now: now)
                    } else {
                        output = await handle(event, now: now)
                        if output.sessionKept {
                            opened.insert(envelope.session)
                            armed.insert(envelope.session)
                        }
                    }
                }
            } else {
                output = await handle(event, now: now)
            }
            for session in output.finished.keys { armed.remove(session) }
            await deliver(output, over: transport, timers: timers)
        }
        await timers.cancelAll()
    }

    /// The timers stored with `session`, as requests to arm them; `nil` when the store holds no such session.
    private func storedTimers(of session: SessionID) async -> [AgentOutput.TimerRequest]? {
        guard let saved = try? await sessionStore.load(session) else { return nil }
        return (saved.company?.timers ?? [:]).sorted { $0.key.rawValue < $1.key.rawValue }.map {
            AgentOutput.TimerRequest(session: session, timer: $0.key, at: $0.value)
        }
    }

    /// The sessions of `sessions` that have not ended.
    private func stillOpen(_ sessions: Set<SessionID>) async -> Set<SessionID> {
        var open = Set<SessionID>()
        for session in sessions where await phase(of: session).map({ !$0.isTerminal }) ?? false { open.insert(session) }
        return open
    }

    /// Why a new session from `peer` is not admitted now, or `nil` when it is.
    private func admission(of peer: AgentID) async -> ParleyError? {
        if let counted = openSessionsByPeer[peer], counted.count >= limits.openSessionsPerPeer {
            // Sessions this instance opened may have ended on another instance sharing the store
            // (or been purged): only the store knows. Sessions it cannot read keep counting.
            for session in counted {
                let saved: SavedSession?
                do { saved = try await sessionStore.load(session) } catch { continue }
                if saved?.company.map({ $0.machine.phase.isTerminal }) ?? true { noteEnded(session, openedBy: peer) }
            }
        }
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

    /// Takes an ended session off this instance's open counts (once: only the first call for a session counts).
    private func noteEnded(_ session: SessionID, openedBy peer: AgentID) {
        guard openSessionsByPeer[peer]?.remove(session) != nil else { return }
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

    /// How often an event is handled again when its save loses a compare-and-set race to
    /// another instance, before the event is given up with ``AgentOutput/storeFailure``.
    static let maximumAttempts = 4

    /// Handles one inbound event at `now` and returns what to send and which timers to set.
    ///
    /// The session is loaded from ``sessionStore``, advanced, and saved (compare-and-set) before
    /// this returns; when another instance saved it first, the event is handled again on the
    /// newer state. When the store fails, nothing is sent and ``AgentOutput/storeFailure`` says
    /// why: handle the event again later (a peer's retransmission does that by itself).
    ///
    /// Sessions that ended more than the idempotency window
    /// (``SessionStateMachine/Configuration/idempotencyWindow``) before `now` are purged from the
    /// store now and then, so a long-running agent holds a bounded number of sessions.
    public func handle(_ event: TransportEvent, now: Instant) async -> AgentOutput {
        await handle(event, now: now, admitting: nil)
    }

    /// ``handle(_:now:)``, asking `admitting` (the HTTP binding's per-client limit) before a new
    /// session is opened: a non-`nil` answer refuses it with that error.
    func handle(_ event: TransportEvent, now: Instant, admitting: (@Sendable (Envelope) async -> ParleyError?)?) async -> AgentOutput {
        await purgeIfDue(now: now)
        let session: SessionID
        switch event {
        case .envelope(let envelope): session = envelope.session
        case .undecodable(let error, let identified, _, _):
            guard let identified else {
                eventSink.yield(.inputRejected(error, session: nil))
                return AgentOutput()
            }
            session = identified
        }
        return await serially(.event(event), session: session, now: now, admitting: admitting)
    }

    /// Handles a timer expiry of `session`. A timer that is no longer due in the stored session
    /// (another instance fired it, or it was stopped since) does nothing.
    public func timerFired(_ timer: SessionTimer, session: SessionID, now: Instant) async -> AgentOutput {
        await purgeIfDue(now: now)
        return await serially(.timer(timer), session: session, now: now, admitting: nil)
    }

    /// Fires every timer due by `now` in ``sessionStore`` (at most `limit` sessions): the timers of
    /// sessions continued after a restart, or left by an instance that is gone. The HTTP binding
    /// calls it as requests arrive; a host with its own run loop may call it every second or so.
    /// Firing a timer that another instance fired already does nothing.
    public func fireDueTimers(now: Instant, limit: Int = 100) async -> AgentOutput {
        guard let due = try? await sessionStore.sessions(withTimersDueBy: now, limit: limit) else { return AgentOutput() }
        var output = AgentOutput()
        for session in due {
            guard let saved = try? await sessionStore.load(session) else { continue }
            for (timer, at) in (saved.company?.timers ?? [:]).sorted(by: { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) })
            where at <= now {
                output.append(await timerFired(timer, session: session, now: now))
            }
        }
        return output
    }

    /// Runs `input` when no earlier input of `session` is being handled on this instance;
    /// otherwise queues it, and the handler of the earlier one runs it next (its output then goes
    /// out with that handler's).
    private func serially(
        _ input: SessionInput, session: SessionID, now: Instant, admitting: (@Sendable (Envelope) async -> ParleyError?)?
    ) async -> AgentOutput {
        var output = AgentOutput()
        var next = inboxes[session, default: SerialInbox()].admit(input)
        var first = true
        while let current = next {
            output.append(await attempt(current, session: session, now: now, admitting: first ? admitting : nil))
            first = false
            next = inboxes[session]?.next()
        }
        if next == nil, !first { inboxes[session] = nil }
        return output
    }

    /// Loads the session, handles `input`, and saves the session before returning what to send;
    /// handles it again on the newer state when another instance saved the session first.
    private func attempt(
        _ input: SessionInput, session: SessionID, now: Instant, admitting: (@Sendable (Envelope) async -> ParleyError?)?
    ) async -> AgentOutput {
        var conflict: SessionStoreError?
        for _ in 0..<Self.maximumAttempts {
            let loaded: SavedSession?
            do {
                loaded = try await sessionStore.load(session)
            } catch {
                return AgentOutput(storeFailure: error)
            }
            if let loaded, loaded.role != .company {
                return AgentOutput(storeFailure: SessionStoreError(.corrupt, "session '\(session)' is stored as a \(loaded.role) session"))
            }
            pendingEvents[session] = []
            var opened: AgentID?
            var output = await apply(input, session: session, loaded: loaded?.company, now: now, admitting: admitting, opened: &opened)
            let events = pendingEvents.removeValue(forKey: session) ?? []
            guard var state = sessions.removeValue(forKey: session) else {
                for event in events { eventSink.yield(event) }
                return output
            }
            state.noteTimers(output.timers, session: session)
            for envelope in output.envelopes where envelope.session == session { state.noteOutbound(envelope) }
            do {
                try await sessionStore.save(SavedSession(id: session, version: (loaded?.version ?? 0) + 1, company: state))
            } catch {
                // Nothing of this attempt is sent or reported; the booking store's operations it
                // made are keyed by session and repeated identically by the next attempt.
                guard error.kind == .conflict else { return AgentOutput(storeFailure: error) }
                conflict = error
                continue
            }
            if let peer = opened {
                openSessionsByPeer[peer, default: []].insert(session)
                openSessionTotal += 1
            }
            if state.machine.phase.isTerminal { noteEnded(session, openedBy: state.openedBy) }
            for event in events { eventSink.yield(event) }
            output.sessionKept = true
            return output
        }
        return AgentOutput(storeFailure: conflict ?? SessionStoreError(.conflict, "session '\(session)' kept changing"))
    }

    /// Handles `input` on the working copy of the session (`sessions[session]`, from `loaded`);
    /// leaves there the state to save, or nothing when no state is kept. Sets `opened` to the
    /// peer when the input opened a new session.
    private func apply(
        _ input: SessionInput, session: SessionID, loaded: CompanySession?, now: Instant,
        admitting: (@Sendable (Envelope) async -> ParleyError?)?, opened: inout AgentID?
    ) async -> AgentOutput {
        sessions[session] = loaded
        let event: TransportEvent
        switch input {
        case .timer(let timer):
            guard var state = sessions[session], let due = state.timers[timer], due <= now else {
                sessions[session] = nil
                return AgentOutput()
            }
            state.timers[timer] = nil
            let actions = state.machine.timerFired(timer, now: now)
            sessions[session] = state
            return await execute(actions, session: session, now: now)
        case .event(let inbound):
            event = inbound
        }
        if case .undecodable(let error, _, let from, _) = event {
            // §8: answered only in a session we hold with that peer; otherwise reported locally.
            guard let state = loaded, from == nil || from == state.openedBy else {
                sessions[session] = nil
                eventSink.yield(.inputRejected(error, session: session))
                return AgentOutput()
            }
            return await process(event, session: session, now: now)
        }
        guard case .envelope(let envelope) = event else { return AgentOutput() }
        var output = AgentOutput()
        if let state = loaded, opensAnew(envelope, state) {
            // §5.5: a new customer that reuses the id of a session we hold is not answered from that
            // session's records. The old session is over for us; the hello opens a fresh one.
            await endSuperseded(session, state, now: now)
        }
        guard sessions[session] == nil else { return await process(event, session: session, now: now) }
        guard envelope.to == profile.id else { return AgentOutput() }
        var refusal = await admission(of: envelope.from)
        if refusal == nil, let admitting { refusal = await admitting(envelope) }
        if let refusal {
            output.append(refuse(envelope, refusal, now: now))
            return output
        }
        var machine = SessionStateMachine(role: .company, session: session, local: profile.id, peer: nil, configuration: configuration)
        let started = machine.start(now: now)
        var probe = machine
        let first = probe.messageReceived(envelope, now: now)
        let rejected = first.contains { if case .rejected = $0 { true } else { false } }
        guard !rejected, !probe.phase.isTerminal else {
            // Rejected (not a `hello`, or no common version): answered, and no state kept
            // (§4.4), so junk cannot hold a session open. An envelope buffered ahead of a
            // missing `hello` (§9) is not rejected and keeps its session.
            output.envelopes += first.compactMap { if case .send(let sent) = $0 { sent } else { nil } }
            for case .rejected(let error) in first { eventSink.yield(.messageRejected(session, error)) }
            return output
        }
        output.absorb(started, session: session)
        sessions[session] = CompanySession(machine: machine, openedBy: envelope.from)
        opened = envelope.from
        emit(.sessionOpened(session, peer: envelope.from), session: session)
        output.append(await process(event, session: session, now: now))
        return output
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
    /// started over). The new session takes its place in the store.
    private func endSuperseded(_ session: SessionID, _ state: CompanySession, now: Instant) async {
        if !state.machine.phase.isTerminal {
            noteEnded(session, openedBy: state.openedBy)
            let end = SessionEnd(
                outcome: "failed", error: ParleyError(.sessionClosed, "a new session reused this session id", fault: .remote),
                endedBy: .company)
            emit(.sessionEnded(session, end), session: session)
        }
        sessions[session] = nil
        await store.release(session: session)
    }

    /// The transcript of `session` so far (envelopes sent and admitted, in order); empty when the
    /// store holds no such session or cannot be read.
    public func transcript(of session: SessionID) async -> [Envelope] {
        (try? await sessionStore.load(session))?.company?.transcript ?? []
    }

    /// The phase of `session`; `nil` when the store holds no such session or cannot be read.
    public func phase(of session: SessionID) async -> SessionPhase? {
        (try? await sessionStore.load(session))?.company?.machine.phase
    }

    /// The envelopes sent to `peer` in `session` with a sequence number above `sequence`, in
    /// order: what an HTTP poll collects. `nil` when the store holds no such session of `peer`.
    func envelopes(sentIn session: SessionID, to peer: AgentID, after sequence: Int) async throws(SessionStoreError) -> [Envelope]? {
        guard let saved = try await sessionStore.load(session), let company = saved.company, company.openedBy == peer else { return nil }
        return company.outbound.filter { $0.sequence > sequence }
    }

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

    /// The personal data received for `booking`, each piece readable only within its consent:
    /// read from the consents kept with the booking in ``store``, so any instance sees them.
    public func consentedData(for booking: BookingReference) async -> [ConsentedData] {
        guard let record = await store.booking(booking) else { return [] }
        return record.consents.compactMap { try? $0.consentedData(holder: profile.id) }.sorted { $0.token.id < $1.token.id }
    }

    /// Reads `field` of the person who made `booking`, for `purpose`, at `now`: checked against the
    /// token's scope and this agent's revocations on every call.
    ///
    /// - Throws: the token's error (`token-revoked`, `token-expired`, `token-purpose-not-allowed`,
    ///   `token-field-not-covered`), or `unknown-reference` when no data was received for the booking.
    public func personalData(_ field: DataField, of booking: BookingReference, for purpose: Purpose, at now: Instant)
        async throws(ParleyError)
        -> String
    {
        let consents = await store.booking(booking)?.consents ?? []
        guard !consents.isEmpty else {
            throw ParleyError(.unknownReference, "no personal data was received for booking '\(booking)'", fault: .local)
        }
        var lastError = ParleyError(.tokenFieldNotCovered, "no consent covers '\(field)' for booking '\(booking)'", fault: .local)
        for consent in consents where consent.disclosedFields.contains(field) {
            // The revocations known here and those kept with the booking (received by any instance).
            var revocations = ledger
            if let revokedAt = consent.receipt.revokedAt { revocations.recordRevocation(of: consent.receipt.tokenID, at: revokedAt) }
            do {
                let data = try consent.consentedData(holder: profile.id)
                let value = try data.value(of: field, for: purpose, at: now, ledger: revocations)
                eventSink.yield(.consentUsed(tokenID: consent.receipt.tokenID, field: field, purpose: purpose, allowed: true))
                return value
            } catch {
                eventSink.yield(.consentUsed(tokenID: consent.receipt.tokenID, field: field, purpose: purpose, allowed: false))
                lastError = error
            }
        }
        throw lastError
    }

    /// Sessions this instance opened that are open now (not yet ended): what
    /// ``ServiceLimits/openSessions`` counts. Each instance of a fleet counts its own.
    public var openSessionCount: Int { openSessionTotal }

    /// Deletes every finished session from ``sessionStore`` now, even within the idempotency
    /// window: a late retransmission to one of them is then treated as a new session's message.
    ///
    /// The agent purges finished sessions by itself once they have been over for
    /// ``SessionStateMachine/Configuration/idempotencyWindow`` (checked at most once a minute, as
    /// events and timers arrive), so calling this is never needed to keep memory bounded.
    public func purgeFinishedSessions() async {
        _ = try? await sessionStore.purge(endedBefore: Instant(secondsSinceEpoch: Int64.max / 2))
    }

    /// How often, in seconds of the agent's clock, finished sessions are purged from the store.
    static let purgeInterval: Int64 = 60

    /// Purges the sessions that ended more than the idempotency window before `now`, at most once per ``purgeInterval``.
    private func purgeIfDue(now: Instant) async {
        if let last = lastPurge, now < last.adding(seconds: Self.purgeInterval), now >= last { return }
        lastPurge = now
        _ = try? await sessionStore.purge(endedBefore: now.adding(seconds: -configuration.idempotencyWindow))
    }

    // MARK: - Processing

    private func process(_ event: TransportEvent, session: SessionID, now: Instant) async -> AgentOutput {
        guard var state = sessions[session] else { return AgentOutput() }
        let before = state.machine.phase
        var screening = screen(session: session, now: now)
        let actions = state.machine.consume(event, now: now) { screening.check($0) }
        sessions[session] = state
        consentProofs.merge(screening.proofs) { _, new in new }
        if before != state.machine.phase { emit(.phaseChanged(session, from: before, to: state.machine.phase), session: session) }
        return await execute(actions, session: session, now: now)
    }

    /// Runs the machine's actions: records sends, reacts to delivered messages, reports events.
    private func execute(_ actions: [SessionAction], session: SessionID, now: Instant) async -> AgentOutput {
        var output = AgentOutput()
        output.absorb(actions, session: session)
        for action in actions {
            switch action {
            case .send(let envelope):
                // A resend (the reply to a duplicate, a retransmission) is already in the transcript.
                if TranscriptDigest.counts(envelope.kind) || envelope.kind == .close,
                    sessions[session]?.transcript.contains(where: { $0.id == envelope.id }) == false
                {
                    sessions[session]?.transcript.append(envelope)
                }
                emit(.messageSent(envelope), session: session)
            case .deliver(let envelope):
                sessions[session]?.transcript.append(envelope)
                emit(.messageReceived(envelope), session: session)
                for message in await respond(to: envelope, session: session, now: now) {
                    output.append(await send(message, inReplyTo: envelope.id, session: session, now: now))
                }
            case .rejected(let error):
                emit(.messageRejected(session, error), session: session)
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
                emit(.messageSent(envelope), session: session)
            }
            if before != state.machine.phase { emit(.phaseChanged(session, from: before, to: state.machine.phase), session: session) }
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

    /// A session ended: its hold is released and it is reported; it stops counting against the
    /// limits once saved.
    private func finished(_ session: SessionID, _ end: SessionEnd, now: Instant) async {
        if sessions[session]?.endedAt == nil { sessions[session]?.endedAt = now }
        await store.release(session: session)
        emit(.sessionEnded(session, end), session: session)
    }
}
