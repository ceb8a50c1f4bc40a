import Parley

/// The suite playing the company: the steps that bring a customer peer into each phase.
extension ConformanceContext {
    /// Waits for the customer's hello and takes in its session: phase `greeting`.
    func awaitHello() async throws -> ScriptedSession {
        let deadline = replyTimeout * 2
        guard let event = await peer.receive(within: deadline) else {
            throw ConformanceFailure("the customer sent no hello within \(Self.format(deadline)) s")
        }
        guard case .envelope(let hello) = event, hello.kind == .hello else {
            throw ConformanceFailure("the customer's first output is not a hello: \(event)")
        }
        var session = ScriptedSession(role: .company, session: hello.session, local: hello.to, peer: hello.from, now: profile.now)
        try require(session.received(hello) != nil, "the customer's hello is not admitted in 'start'", hello)
        if case .hello(let body) = hello.message {
            try require(body.role == .customer, "the customer's hello says role '\(body.role)' (§5.1)", hello)
        }
        return session
    }

    /// Hellos exchanged and the customer's request in: phase `requested`.
    func reachRequested() async throws -> (ScriptedSession, Message.Request) {
        var session = try await awaitHello()
        let hello = try await send(.hello(.init(role: .company, name: "Conformance Salon", services: [profile.service])), in: &session)
        let reply = try await expect([.request], in: &session, after: hello, what: "the company's hello")
        guard case .request(let request) = reply.message else { throw ConformanceFailure("unreachable") }
        try require(!request.windows.isEmpty, "a request without windows", reply)
        return (session, request)
    }

    /// A start inside the first window of `request`.
    func inside(_ request: Message.Request) -> Instant {
        if let preferred = request.preferredStart, request.windows.contains(where: { $0.contains(preferred) }) { return preferred }
        return request.windows[0].start
    }

    /// A start outside every window of `request`: a day after the latest window ends.
    func outside(_ request: Message.Request) -> Instant {
        (request.windows.map(\.end).max() ?? profile.now).adding(seconds: 86_400)
    }

    /// A proposal for the customer's request, declaring ``ConformanceProfile/requirement``.
    func proposal(_ id: ProposalID, at start: Instant, request: Message.Request, requirement: DataRequirement? = nil) -> Proposal {
        let price =
            request.priceCeiling.map { Money(amount: min($0.amount, 4500), currency: $0.currency) } ?? Money(amount: 4500, currency: "EUR")
        return Proposal(
            id: id, service: request.service, slot: Slot(start: start, end: start.adding(minutes: 45)), timeZone: profile.timeZone,
            price: price,
            cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: nil), requires: [requirement ?? profile.requirement],
            expiresAt: profile.expiry)
    }

    /// The customer accepted the suite's proposal: phase `accepted`.
    func reachAccepted(requirement: DataRequirement? = nil) async throws -> ScriptedSession {
        var (session, request) = try await reachRequested()
        let offer = try await send(
            .offer(.init(proposals: [proposal("p1", at: inside(request), request: request, requirement: requirement)])), in: &session)
        try await expect([.accept], in: &session, after: offer, what: "an offer inside the window at the preferred time")
        return session
    }

    /// The consent request answered with a grant and a disclosure: phase `accepted` again.
    func reachDisclosed() async throws -> (ScriptedSession, Message.ConsentGrant, Message.Disclose) {
        var session = try await reachAccepted()
        let requirement = profile.requirement
        let request = try await send(
            .consentRequest(
                .init(id: "kcr1", fields: requirement.fields, purpose: requirement.purpose, retentionDays: requirement.retentionDays)),
            in: &session)
        let granted = try await expect([.consentGrant], in: &session, after: request, what: "a declared consent request")
        let disclosed = try await expect([.disclose], in: &session, after: request, what: "after the grant")
        guard case .consentGrant(let grant) = granted.message, case .disclose(let disclose) = disclosed.message else {
            throw ConformanceFailure("unreachable")
        }
        return (session, grant, disclose)
    }

    /// A confirm of `proposal` carrying `digest`, unsigned.
    func confirmation(of proposal: Proposal, digest: String) -> Message.Confirm {
        Message.Confirm(
            booking: "CONF-1", status: .booked, proposal: proposal.id, service: proposal.service, slot: proposal.slot,
            timeZone: proposal.timeZone,
            price: proposal.price, cancellation: proposal.cancellation, agreementDigest: digest)
    }

    /// `confirm` signed for `session` with ``ConformanceProfile/companySigningKey`` (or `key`), as
    /// a company whose key the customer trusts sends it (§5.7); unchanged when there is no key.
    func signed(_ confirm: Message.Confirm, in session: ScriptedSession, key: SigningKey? = nil) -> Message.Confirm {
        guard let key = key ?? profile.companySigningKey else { return confirm }
        return confirm.signed(with: key, session: session.session, company: session.local, customer: session.peer)
    }

    /// Brings a customer peer's session into `phase` (a phase in which it is the company's turn).
    func reachAsCompany(_ phase: SessionPhase) async throws -> ScriptedSession {
        switch phase {
        case .greeting: return try await awaitHello()
        case .requested: return try await reachRequested().0
        case .accepted: return try await reachAccepted()
        default: throw ConformanceSkip("the suite cannot hold a customer peer in '\(phase)'")
        }
    }
}

extension CustomerCases {
    /// The company-turn phases a customer peer waits in.
    static let heldPhases: [SessionPhase] = [.greeting, .requested, .accepted]

    static var table: [ConformanceCase] {
        heldPhases.flatMap { phase -> [ConformanceCase] in
            [
                make(
                    "table.customer.\(phase).close", .table, "a company close in '\(phase)' ends the session", "PROTOCOL.md §6, §6.1",
                    covers: rows(phase, .company, .close)
                ) { context in
                    var session = try await context.reachAsCompany(phase)
                    try await context.send(.close(.init(outcome: "done")), in: &session)
                    try await context.expectEnded(&session, what: "close in '\(phase)'")
                },
                make(
                    "table.customer.\(phase).fatal-error", .table, "a fatal error in '\(phase)' fails the session", "PROTOCOL.md §6, §8",
                    covers: rows(phase, .company, .error, .fatal)
                ) { context in
                    var session = try await context.reachAsCompany(phase)
                    try await context.send(.error(.init(code: "internal-error", text: "conformance probe", retryable: true)), in: &session)
                    try await context.expectEnded(&session, what: "a fatal error in '\(phase)'")
                },
                make(
                    "table.customer.\(phase).error", .table, "a non-fatal error in '\(phase)' leaves the phase (or the customer closes)",
                    "PROTOCOL.md §6, §8", covers: rows(phase, .company, .error, .nonFatal) + rows(phase, .customer, .close)
                ) { context in
                    var session = try await context.reachAsCompany(phase)
                    try await context.send(
                        .error(.init(code: "x-conformance-probe", text: "conformance probe", retryable: false)), in: &session)
                    if let reply = try await context.nextIfAny(in: &session) {
                        try context.require(reply.kind == .close, "a non-fatal error got '\(reply.kind)'", reply)
                        context.note("the customer closed after a non-fatal error")
                        return
                    }
                    try await context.expectAlive(&session, what: "a non-fatal error in '\(phase)'")
                },
                make(
                    "table.customer.\(phase).unexpected", .table, "a message '\(phase)' does not admit is unexpected-message",
                    "PROTOCOL.md §6", covers: rows(phase, .customer, .error, .nonFatal), codes: [.unexpectedMessage]
                ) { context in
                    var session = try await context.reachAsCompany(phase)
                    let probe = try await context.send(.answer(.init(question: "none", value: "x")), in: &session, expectRejection: true)
                    try await context.expectError(.unexpectedMessage, in: &session, answering: probe, what: "an answer in '\(phase)'")
                },
                make(
                    "table.customer.\(phase).unsupported-version", .table,
                    "an envelope of version 2 in '\(phase)' is unsupported-version (fatal)",
                    "PROTOCOL.md §4.3, §8", covers: rows(phase, .customer, .error, .fatal), codes: [.unsupportedVersion, .sessionClosed]
                ) { context in
                    var session = try await context.reachAsCompany(phase)
                    let (id, sequence) = session.reserveSequence()
                    try await context.send(session.crafted(.close(.init(outcome: "done")), id: id, sequence: sequence, version: 2))
                    try await context.expectError(.unsupportedVersion, in: &session, answering: nil, what: "an envelope of version 2")
                    try await context.expectEnded(&session, what: "after unsupported-version")
                },
            ]
        }
    }
}
