import Parley
import ParleyCrypto

/// The suite playing the customer: the steps that bring a company peer into each phase.
extension ConformanceContext {
    /// A fresh session in which the suite is the customer.
    func customerSession() -> ScriptedSession {
        ScriptedSession(role: .customer, session: newSessionID(), local: profile.customerID, peer: profile.companyID, now: profile.now)
    }

    /// Hellos exchanged: phase `ready`.
    func greet() async throws -> ScriptedSession {
        var session = customerSession()
        let hello = try await send(.hello(.init(role: .customer)), in: &session)
        let reply = try await expect([.hello], in: &session, after: hello, what: "hello")
        if case .hello(let body) = reply.message {
            try require(body.role == .company, "the company's hello says role '\(body.role)' (§5.1)", reply)
            try require(body.versions.contains(1), "the company's hello does not list version 1 (§5.1)", reply)
        }
        return session
    }

    /// A request for `service` in `window`; returns the reply.
    func request(_ service: String, in window: TimeWindow, _ session: inout ScriptedSession, counter: Bool = false) async throws -> Envelope
    {
        let body = Message.Request(service: service, windows: [window], preferredStart: window.start)
        let sent = try await send(counter ? .counterRequest(body) : .request(body), in: &session)
        return try await next(in: &session, after: sent)
    }

    /// Proposals on the table: phase `offered`.
    func reachOffered(window: TimeWindow? = nil) async throws -> ScriptedSession {
        var session = try await greet()
        let reply = try await request(profile.service, in: window ?? profile.wideWindow, &session)
        try require(
            [.offer, .counterOffer].contains(reply.kind), "a request for '\(profile.service)' got '\(reply.kind)', not an offer", reply)
        try require(!session.table.isEmpty, "the offer has no proposals", reply)
        return session
    }

    /// A proposal accepted and the company's next move taken: `consentRequested` (or `booked` when
    /// the proposal needs no data).
    func reachConsentRequested(window: TimeWindow? = nil) async throws -> (ScriptedSession, Message.ConsentRequest) {
        var session = try await reachOffered(window: window)
        let proposal = try session.firstProposal()
        let accept = try await send(.accept(.init(proposal: proposal.id)), in: &session)
        let reply = try await expect(
            [.consentRequest], in: &session, after: accept,
            what: "accepting a proposal that declares \(proposal.requires.count) data requirement(s)")
        guard case .consentRequest(let request) = reply.message else { throw ConformanceFailure("unreachable", envelope: reply) }
        return (session, request)
    }

    /// The grant the suite makes for `request`, with a token minted by the suite's own key.
    func grant(for request: Message.ConsentRequest, tokenID: TokenID? = nil, caveats: [String]? = nil, tokenIDInToken: TokenID? = nil)
        -> Message.ConsentGrant
    {
        let id = tokenID ?? TokenID(stringLiteral: "tok-\(newSessionID().rawValue.suffix(32))")
        let fields = request.fields.map(\.rawValue).sorted().joined(separator: ",")
        let token = SuiteTokens.mint(
            id: tokenIDInToken ?? id,
            caveats: caveats ?? [
                "aud = \(profile.companyID)", "purpose in \(request.purpose)", "fields in \(fields)",
                "time < \(profile.expiry.rfc3339)",
                "retention <= P\(request.retentionDays)D",
            ])
        return Message.ConsentGrant(
            request: request.id, tokenID: id, token: token, fields: request.fields, purpose: request.purpose, expiresAt: profile.expiry,
            retentionDays: request.retentionDays)
    }

    /// The data for `grant`'s fields.
    func disclosure(for grant: Message.ConsentGrant) -> Message.Disclose {
        var data: [DataField: String] = [:]
        for field in grant.fields { data[field] = profile.personalData[field] ?? "x" }
        return Message.Disclose(tokenID: grant.tokenID, data: data)
    }

    /// Consent granted, data not yet disclosed: phase `disclosing`.
    func reachDisclosing() async throws -> (ScriptedSession, Message.ConsentGrant) {
        var (session, request) = try await reachConsentRequested()
        let grant = grant(for: request)
        let sent = try await send(.consentGrant(grant), in: &session)
        if let reply = try await nextIfAny(in: &session) {
            throw ConformanceFailure("a valid grant should get no reply, the peer sent '\(reply.kind)'", envelope: reply)
        }
        _ = sent
        return (session, grant)
    }

    /// A booking confirmed: phase `booked`.
    func reachBooked(window: TimeWindow? = nil) async throws -> (ScriptedSession, Message.Confirm) {
        var (session, request) = try await reachConsentRequested(window: window)
        let grant = grant(for: request)
        try await send(.consentGrant(grant), in: &session)
        let digestBefore = { (s: ScriptedSession) in s.agreementDigest }
        let disclose = try await send(.disclose(disclosure(for: grant)), in: &session)
        let expected = digestBefore(session)
        let reply = try await expect([.confirm], in: &session, after: disclose, what: "disclosing the granted data")
        guard case .confirm(let confirm) = reply.message else { throw ConformanceFailure("unreachable", envelope: reply) }
        try require(
            confirm.agreementDigest == expected,
            "confirm.agreementDigest is \(confirm.agreementDigest), the transcript's is \(expected) (§5.6)", reply)
        if let accepted = session.accepted {
            try require(
                confirm.proposal == accepted.id && confirm.slot == accepted.slot && confirm.service == accepted.service,
                "the confirm differs from the accepted proposal (§7)", reply)
        }
        try require(confirm.status == .booked, "a new booking is confirmed with status '\(confirm.status)', not 'booked'", reply)
        return (session, confirm)
    }

    /// The company asked which service: phase `questioned`.
    func reachQuestioned() async throws -> (ScriptedSession, Message.Question) {
        var session = try await greet()
        let reply = try await request(profile.category, in: profile.freeWindow, &session)
        guard case .question(let question) = reply.message else {
            throw ConformanceFailure(
                "a request for the category '\(profile.category)' should get a question, got '\(reply.kind)'", envelope: reply)
        }
        return (session, question)
    }

    /// The company declined: phase `declined`.
    func reachDeclined() async throws -> ScriptedSession {
        var session = try await greet()
        let reply = try await request("no-such-service", in: profile.wideWindow, &session)
        try require(session.phase == .declined, "a request for an unknown service should be declined, got '\(reply.kind)'", reply)
        return session
    }

    /// The company handed off: phase `handedOff`.
    func reachHandedOff() async throws -> ScriptedSession {
        var session = try await greet()
        let reply = try await request(profile.handoffService, in: profile.wideWindow, &session)
        try require(reply.kind == .handoff, "a request for '\(profile.handoffService)' should be handed off, got '\(reply.kind)'", reply)
        return session
    }

    /// Brings a company peer's session into `phase` (a phase in which it is the customer's turn).
    func reach(_ phase: SessionPhase) async throws -> ScriptedSession {
        switch phase {
        case .start: return customerSession()
        case .ready: return try await greet()
        case .questioned: return try await reachQuestioned().0
        case .offered: return try await reachOffered()
        case .consentRequested: return try await reachConsentRequested().0
        case .disclosing: return try await reachDisclosing().0
        case .booked: return try await reachBooked().0
        case .declined: return try await reachDeclined()
        case .handedOff: return try await reachHandedOff()
        case .greeting, .requested, .inquiring, .accepted, .cancelling, .rescheduling, .closed, .failed:
            throw ConformanceSkip("the suite cannot hold a company peer in '\(phase)': it is the company's turn")
        }
    }
}

/// Consent tokens the suite mints for its grants (`CONSENT.md` §3–§5), with its own root key,
/// including deliberately wrong ones.
enum SuiteTokens {
    static let rootKey = Array("parley conformance kit root key!".utf8)
    static let issuer: AgentID = "conformance.example/customer"

    /// A version 2 macaroon with first-party `caveats`, in base64url.
    static func mint(id: TokenID, caveats: [String]) -> String {
        var macaroon = Macaroon(rootKey: rootKey, identifier: Array(id.rawValue.utf8), location: Array(issuer.rawValue.utf8))
        for caveat in caveats { macaroon = macaroon.addingFirstPartyCaveat(Array(caveat.utf8)) }
        return Base64URL.encode(macaroon.serializedV2())
    }
}
