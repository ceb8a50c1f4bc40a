/// The record of one session: every envelope the two agents exchanged, in the order they were
/// admitted, plus who played which role.
///
/// A transcript is a plain value. Append envelopes as your agent sends and receives them, store
/// it (it is `Codable`), and turn it into text for people with ``render()`` or into a Mermaid
/// sequence diagram with ``mermaid()``.
///
/// Both renderings are meant for logs, support tickets and documentation, so they leave out
/// personal data: a `disclose` shows the names of the fields handed over, never their values,
/// a `confirm` never shows the name the booking is held under, and a `consent-grant` never shows
/// the token.
///
/// ```swift
/// var transcript = Transcript(session: "s-0001", customer: "assistant.example/lisa", company: "salon.example/bot")
/// try transcript.append(envelope)
/// print(transcript.render())
/// ```
public struct Transcript: Hashable, Sendable, Codable {
    /// The session the envelopes belong to.
    public let session: SessionID
    /// The customer agent (the person's assistant).
    public let customer: AgentID
    /// The company agent (the company's bot).
    public let company: AgentID
    /// The envelopes in the order they were appended.
    public private(set) var envelopes: [Envelope]

    /// Creates an empty transcript of `session` between `customer` and `company`.
    public init(session: SessionID, customer: AgentID, company: AgentID) {
        self.session = session
        self.customer = customer
        self.company = company
        self.envelopes = []
    }

    /// Creates a transcript from envelopes in order, taking the session from the first one and the
    /// roles from its sender, which opens the session and so is the customer.
    ///
    /// - Throws: `misaddressed` when an envelope belongs to another session or is not between the
    ///   two agents of the first one; `missing-field` when `envelopes` is empty.
    public init(envelopes: [Envelope]) throws(ParleyError) {
        guard let first = envelopes.first else {
            throw ParleyError(.missingField, "a transcript needs at least one envelope", fault: .local)
        }
        self.init(session: first.session, customer: first.from, company: first.to)
        for envelope in envelopes {
            try append(envelope)
        }
    }

    /// The role `agent` plays in this session, or `nil` if it takes no part in it.
    public func role(of agent: AgentID) -> Role? {
        if agent == customer { return .customer }
        if agent == company { return .company }
        return nil
    }

    /// The agent playing `role`.
    public func agent(playing role: Role) -> AgentID {
        switch role {
        case .customer: return customer
        case .company: return company
        }
    }

    /// Records `envelope` after those already recorded.
    ///
    /// Record envelopes as your agent admits them (sent or received). The transcript does not
    /// check protocol rules, only that the envelope belongs here.
    ///
    /// - Throws: `misaddressed` (a local fault) when the envelope belongs to another session, or is
    ///   not sent from one of the two agents to the other. Nothing is recorded then.
    public mutating func append(_ envelope: Envelope) throws(ParleyError) {
        guard envelope.session == session else {
            throw ParleyError(
                .misaddressed, "envelope of session \(envelope.session) appended to the transcript of \(session)",
                offendingMessage: envelope.id, fault: .local)
        }
        guard let sender = role(of: envelope.from), envelope.to == agent(playing: sender.peer) else {
            throw ParleyError(
                .misaddressed, "envelope \(envelope.from) → \(envelope.to) is not between \(customer) and \(company)",
                offendingMessage: envelope.id, fault: .local)
        }
        envelopes.append(envelope)
    }

    /// The company's IANA time zone as the messages state it (the first `offer`, `counter-offer`,
    /// `decline` proposal or `confirm` that names one), or `nil` before any does.
    public var companyTimeZone: String? {
        for envelope in envelopes {
            if let zone = envelope.message.statedTimeZone { return zone }
        }
        return nil
    }
}

extension Message {
    /// The company time zone this message states, if it states one.
    var statedTimeZone: String? {
        switch self {
        case .offer(let offer), .counterOffer(let offer): return offer.proposals.first?.timeZone
        case .decline(let decline): return decline.proposals.first?.timeZone
        case .confirm(let confirm): return confirm.timeZone
        case .hello, .request, .counterRequest, .question, .answer, .accept, .reject, .cancel, .reschedule,
            .consentRequest, .consentGrant, .consentDeny, .consentRevoke, .disclose, .handoff, .error, .close:
            return nil
        }
    }
}
