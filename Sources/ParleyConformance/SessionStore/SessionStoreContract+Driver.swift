import Parley

/// A real company agent, driven by the contract's own customer, whose sessions are what the
/// contract saves and loads: the values a ``SessionStore`` sees in production, made the way
/// production makes them.
struct SessionDriver: Sendable {
    static let company: AgentID = "salon.example/bot"
    static let customer: AgentID = "contract.example/customer"
    /// Monday 3 June 2030, 06:00 UTC: the contract's first instant.
    static let start = Instant(secondsSinceEpoch: 1_906_675_200 + 6 * 3600)
    /// The salon is open 07:00–16:00 UTC that day.
    static let opening = TimeWindow(start: start.adding(minutes: 60), end: start.adding(minutes: 600))
    /// The customer asks for 08:00–12:00 UTC.
    static let window = TimeWindow(start: start.adding(minutes: 120), end: start.adding(minutes: 360))
    /// When the customer's consent tokens expire.
    static let expiry = start.adding(seconds: 30 * 86_400)

    /// The sessions' store, as the contract sees it: the store under test, recording each save.
    let store: SaveWitness
    /// The salon's calendar, shared by every agent of a check (as a database would be).
    let bookings: InMemoryBookingStore

    init(store: any SessionStore) {
        self.store = SaveWitness(base: store)
        self.bookings = InMemoryBookingStore(openingHours: [Self.opening])
    }

    /// A new company agent on the check's stores: a restart, or another instance of a fleet.
    func agent() -> CompanyAgent {
        let service = Service(
            id: "haircut-women", category: "haircut", title: "Women's haircut", durationMinutes: 45,
            price: Money(amount: 4500, currency: "EUR"),
            requires: [DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)])
        return CompanyAgent(
            profile: CompanyProfile(id: Self.company, name: "Contract Salon", timeZone: "UTC"),
            catalogue: Catalogue(services: [service]), store: bookings, sessionStore: store)
    }

    /// A fresh customer side of session `id`, writing `now` into `sentAt`.
    static func customer(_ id: String, now: Instant = start) -> ScriptedSession {
        ScriptedSession(
            role: .customer, session: SessionID(stringLiteral: id), local: customer, peer: company, now: now)
    }
}

/// One step of a conversation: what the customer sent, and what the agent answered.
struct Exchange: Sendable {
    var sent: Envelope
    var replies: [Envelope]
    var output: AgentOutput
}

extension SessionDriver {
    /// Sends `message` to `agent` at `now` and takes in the replies; fails on a store failure.
    @discardableResult
    func send(_ message: Message, _ session: inout ScriptedSession, to agent: CompanyAgent, at now: Instant) async throws -> Exchange {
        let envelope = session.envelope(message)
        return try await deliver(envelope, &session, to: agent, at: now)
    }

    /// Delivers `envelope` (new or a duplicate) to `agent` at `now` and takes in the replies.
    @discardableResult
    func deliver(_ envelope: Envelope, _ session: inout ScriptedSession, to agent: CompanyAgent, at now: Instant) async throws -> Exchange {
        let output = await agent.handle(.envelope(envelope), now: now)
        if let failure = output.storeFailure {
            throw ContractFailure(reason: "the agent could not handle '\(envelope.kind)': the store failed (\(failure))")
        }
        let replies = output.envelopes.filter { $0.session == envelope.session }
        for reply in replies { session.received(reply) }
        return Exchange(sent: envelope, replies: replies, output: output)
    }

    /// Hellos exchanged.
    func greet(_ session: inout ScriptedSession, on agent: CompanyAgent, at now: Instant) async throws {
        let exchange = try await send(.hello(.init(role: .customer)), &session, to: agent, at: now)
        try expectKinds(exchange, [.hello], "hello")
    }

    /// A request answered with an offer.
    func request(_ session: inout ScriptedSession, on agent: CompanyAgent, at now: Instant) async throws {
        let exchange = try await send(
            .request(.init(service: "haircut-women", windows: [Self.window], preferredStart: Self.window.start)), &session, to: agent,
            at: now)
        try expectKinds(exchange, [.offer], "request")
    }

    /// A new session `id` greeted at ``start`` and its request answered with an offer a minute
    /// later: where most checks begin.
    func requested(_ id: String, on agent: CompanyAgent) async throws -> ScriptedSession {
        var session = Self.customer(id)
        try await greet(&session, on: agent, at: Self.start)
        try await request(&session, on: agent, at: Self.start.adding(seconds: 60))
        return session
    }

    /// The first proposal accepted; returns the exchange (a consent request).
    func accept(_ session: inout ScriptedSession, on agent: CompanyAgent, at now: Instant) async throws -> (
        Exchange, Message.ConsentRequest
    ) {
        guard let proposal = session.table.first else { throw ContractFailure(reason: "the agent put no proposal on the table") }
        let exchange = try await send(.accept(.init(proposal: proposal.id)), &session, to: agent, at: now)
        try expectKinds(exchange, [.consentRequest], "accept")
        guard case .consentRequest(let request)? = exchange.replies.first?.message else {
            throw ContractFailure(reason: "accepting got no consent request")
        }
        return (exchange, request)
    }

    /// Consent granted for `request`.
    func grant(_ request: Message.ConsentRequest, _ session: inout ScriptedSession, on agent: CompanyAgent, at now: Instant) async throws
        -> Message.ConsentGrant
    {
        let id = TokenID(stringLiteral: "tok-\(session.session.rawValue)")
        let fields = request.fields.map(\.rawValue).sorted().joined(separator: ",")
        let token = SuiteTokens.mint(
            id: id,
            caveats: [
                "aud = \(Self.company)", "purpose in \(request.purpose)", "fields in \(fields)", "time < \(Self.expiry.rfc3339)",
                "retention <= P\(request.retentionDays)D",
            ])
        let grant = Message.ConsentGrant(
            request: request.id, tokenID: id, token: token, fields: request.fields, purpose: request.purpose, expiresAt: Self.expiry,
            retentionDays: request.retentionDays)
        let exchange = try await send(.consentGrant(grant), &session, to: agent, at: now)
        try expectKinds(exchange, [], "consent-grant")
        return grant
    }

    /// The granted data disclosed; returns the confirm.
    func disclose(_ grant: Message.ConsentGrant, _ session: inout ScriptedSession, on agent: CompanyAgent, at now: Instant) async throws
        -> Message.Confirm
    {
        let exchange = try await send(.disclose(.init(tokenID: grant.tokenID, data: [.givenName: "Lisa"])), &session, to: agent, at: now)
        try expectKinds(exchange, [.confirm], "disclose")
        guard case .confirm(let confirm)? = exchange.replies.first?.message else { throw ContractFailure(reason: "no confirm") }
        return confirm
    }

    /// The session closed by the customer at `now`.
    func close(_ session: inout ScriptedSession, on agent: CompanyAgent, at now: Instant) async throws {
        try await send(.close(.init(outcome: "abandoned")), &session, to: agent, at: now)
    }

    func expectKinds(_ exchange: Exchange, _ kinds: [Message.Kind], _ what: String) throws {
        let got = exchange.replies.map(\.kind)
        guard got == kinds else {
            throw ContractFailure(reason: "the agent answered '\(what)' with \(got.map(\.rawValue)), not \(kinds.map(\.rawValue))")
        }
    }
}

/// The store under test, remembering every value saved through it, so that a check can compare
/// what the store returns with what the agent saved.
actor SaveWitness: SessionStore {
    let base: any SessionStore
    private var saves: [SessionID: [SavedSession]] = [:]

    init(base: any SessionStore) {
        self.base = base
    }

    func load(_ id: SessionID) async throws(SessionStoreError) -> SavedSession? { try await base.load(id) }

    func save(_ session: SavedSession) async throws(SessionStoreError) {
        try await base.save(session)
        saves[session.id, default: []].append(session)
    }

    func sessions(withTimersDueBy instant: Instant, limit: Int) async throws(SessionStoreError) -> [SessionID] {
        try await base.sessions(withTimersDueBy: instant, limit: limit)
    }

    func purge(endedBefore instant: Instant) async throws(SessionStoreError) -> Int { try await base.purge(endedBefore: instant) }

    /// Every value of `id` saved successfully, in order.
    func saved(_ id: SessionID) -> [SavedSession] { saves[id] ?? [] }
}
