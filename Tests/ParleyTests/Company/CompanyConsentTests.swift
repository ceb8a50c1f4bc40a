import ParleyScenarios
import Testing

@testable import Parley

/// A company's checks of the consent a customer's messages carry (`Spec/PROTOCOL.md` §7, §8;
/// `Spec/CONSENT.md` §4, §7).
@Suite("Company consent: a refused grant changes nothing; tokens bound to a session")
struct CompanyConsentTests {
    static let ten = World.window(may: 3, from: (10, 0), to: (10, 0))
    static let expiry = World.now.adding(minutes: 60 * 24)

    /// A raw customer brought to `consentRequested` on a fresh salon.
    static func reachConsentRequest(_ session: SessionID) async throws -> (RawCustomer, Message.ConsentRequest) {
        let (salon, _) = Salons.salon(bookings: [])
        var customer = RawCustomer(id: World.lisa, session: session, company: salon)
        _ = await customer.say(.hello(.init(role: .customer)), at: World.now)
        let offer = await customer.say(
            .request(.init(service: "haircut-women", windows: [ten], preferredStart: World.may(3, 10))), at: World.now)
        guard case .offer(let offered) = offer.first?.message, let proposal = offered.proposals.first else {
            throw Unexpected.reply(offer.map(\.kind))
        }
        let asked = await customer.say(.accept(.init(proposal: proposal.id)), at: World.now)
        guard case .consentRequest(let request) = asked.first?.message else { throw Unexpected.reply(asked.map(\.kind)) }
        return (customer, request)
    }

    /// A grant answering `request` with a token minted by Lisa's key, bound to `session` if given.
    static func grant(
        _ request: Message.ConsentRequest, id: TokenID, session: SessionID? = nil, audience: AgentID = "salon.example/bot"
    ) throws -> Message.ConsentGrant {
        let issuer = ConsentIssuer(agent: World.lisa, rootKey: World.lisasKey)
        let scope = ConsentScope(
            audience: audience, purposes: [request.purpose], fields: Set(request.fields), expiry: expiry, session: session,
            retention: RetentionPeriod(days: request.retentionDays))
        let token = try issuer.mint(id: id, scope: scope)
        return Message.ConsentGrant(
            request: request.id, tokenID: id, token: token.serialized, fields: request.fields, purpose: request.purpose,
            expiresAt: expiry, retentionDays: request.retentionDays)
    }

    enum Unexpected: Error { case reply([Message.Kind]) }

    @Test("A token bound to session S is accepted by the company inside S: the booking is confirmed")
    func sessionBoundTokenAcceptedInItsSession() async throws {
        var (customer, request) = try await Self.reachConsentRequest("bound-1")
        let grant = try Self.grant(request, id: "tok-bound-1", session: "bound-1")
        let replies = await customer.say(.consentGrant(grant), at: World.now)
        #expect(replies.errorCodes.isEmpty, "\(replies.errorCodes)")
        #expect(await customer.company.phase(of: "bound-1") == .disclosing)
        let done = await customer.say(.disclose(.init(tokenID: "tok-bound-1", data: [.givenName: "Lisa"])), at: World.now)
        #expect(done.map(\.kind) == [.confirm])
        let booking = try #require(await customer.company.ledger.receipts.first)
        #expect(booking.tokenID == "tok-bound-1")
    }

    @Test("A token bound to another session is refused with token-wrong-session, naming the grant")
    func sessionBoundTokenRefusedElsewhere() async throws {
        var (customer, request) = try await Self.reachConsentRequest("bound-2")
        let grant = try Self.grant(request, id: "tok-bound-2", session: "some-other-session")
        let replies = await customer.say(.consentGrant(grant), at: World.now)
        #expect(replies.errorCodes == ["token-wrong-session"])
        #expect(replies.first?.inReplyTo == "bound-2-4")
        if case .error(let report)? = replies.first?.message { #expect(report.offending == "bound-2-4") }
    }

    @Test("The customer's issuer accepts a session-bound token in its session and refuses it in any other or none")
    func issuerChecksTheSessionCaveat() throws {
        let issuer = ConsentIssuer(agent: World.lisa, rootKey: World.lisasKey)
        let scope = ConsentScope(
            audience: "salon.example/bot", purposes: [.booking], fields: [.givenName], expiry: Self.expiry, session: "s-1")
        let token = try issuer.mint(id: "tok-issuer", scope: scope)
        func use(_ session: SessionID?) -> ConsentUse {
            ConsentUse(audience: "salon.example/bot", purpose: .booking, fields: [.givenName], at: World.now, session: session)
        }
        try issuer.verify(token, for: use("s-1"))
        #expect(throws: ParleyError.self) { try issuer.verify(token, for: use("s-2")) }
        #expect(throws: ParleyError.self) { try issuer.verify(token, for: use(nil)) }
    }

    @Test("A grant refused with a token error leaves the company in consentRequested: the corrected grant is admitted")
    func refusedGrantChangesNothing() async throws {
        var (customer, request) = try await Self.reachConsentRequest("refused-1")
        let wrong = try Self.grant(request, id: "tok-wrong", audience: "other.example/bot")
        let refused = await customer.say(.consentGrant(wrong), at: World.now)
        #expect(refused.errorCodes == ["token-wrong-audience"])
        if case .error(let report)? = refused.first?.message { #expect(report.offending == "refused-1-4") }
        #expect(await customer.company.phase(of: "refused-1") == .consentRequested)
        #expect(await customer.company.receipts.isEmpty, "no receipt for a refused grant")
        let corrected = try Self.grant(request, id: "tok-right")
        let admitted = await customer.say(.consentGrant(corrected), at: World.now)
        #expect(admitted.isEmpty, "a grant needs no reply: \(admitted.map(\.kind))")
        #expect(await customer.company.phase(of: "refused-1") == .disclosing)
    }

    @Test("After a refused grant the customer may still deny consent: the company declines, data-required")
    func refusedGrantThenDeny() async throws {
        var (customer, request) = try await Self.reachConsentRequest("refused-2")
        var broken = try Self.grant(request, id: "tok-broken")
        broken.token = "AAAA"
        let refused = await customer.say(.consentGrant(broken), at: World.now)
        #expect(refused.errorCodes == ["token-malformed"])
        let denied = await customer.say(.consentDeny(.init(request: request.id)), at: World.now)
        guard case .decline(let decline)? = denied.first?.message else {
            Issue.record("expected a decline, got \(denied.map(\.kind)) \(denied.errorCodes)")
            return
        }
        #expect(decline.reason == "data-required")
    }

    @Test("An accept whose grant is refused is rejected whole: nothing is held, the proposal can be accepted again")
    func acceptWithRefusedGrantChangesNothing() async throws {
        let (salon, store) = Salons.salon(bookings: [])
        var customer = RawCustomer(id: World.lisa, session: "refused-3", company: salon)
        _ = await customer.say(.hello(.init(role: .customer)), at: World.now)
        let offer = await customer.say(
            .request(.init(service: "haircut-women", windows: [Self.ten], preferredStart: World.may(3, 10))), at: World.now)
        guard case .offer(let offered) = offer.first?.message, let proposal = offered.proposals.first else {
            throw Unexpected.reply(offer.map(\.kind))
        }
        let request = Message.ConsentRequest(id: "cr-none", fields: [.givenName], purpose: .booking, retentionDays: 30)
        var grant = try Self.grant(request, id: "tok-in-accept", audience: "other.example/bot")
        grant.request = nil
        let replies = await customer.say(
            .accept(
                .init(
                    proposal: proposal.id, grants: [grant], disclosures: [.init(tokenID: "tok-in-accept", data: [.givenName: "Lisa"])])),
            at: World.now)
        #expect(replies.errorCodes == ["token-wrong-audience"])
        #expect(await salon.phase(of: "refused-3") == .offered)
        #expect(await store.isFree(proposal.slot, ignoring: nil, now: World.now))
        let again = await customer.say(.accept(.init(proposal: proposal.id)), at: World.now)
        #expect(again.map(\.kind) == [.consentRequest])
    }
}
