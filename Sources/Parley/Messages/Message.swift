/// Constants of the protocol itself.
public enum ParleyProtocol {
    /// The protocol version this implementation speaks: the `parley` member of every envelope.
    public static let version = 1
    /// Every version this implementation speaks, for `hello`.
    public static let supportedVersions = [1]
}

/// The typed body of an envelope. Each case has a stable wire `type` (the raw value of its ``Kind``).
///
/// The enum is `indirect`: a payload lives in one shared heap box, so an envelope stays small
/// and the copies a session keeps (transcript, reply cache, retransmission queue) share it.
public indirect enum Message: Hashable, Sendable, Codable {
    /// `hello`: identity, role and protocol versions; the first message of each side.
    case hello(Hello)
    /// `request`: what the customer wants.
    case request(Request)
    /// `counter-request`: the customer changes what it wants.
    case counterRequest(Request)
    /// `question`: either side asks for a clarification.
    case question(Question)
    /// `answer`: the reply to a question.
    case answer(Answer)
    /// `offer`: proposals inside the asked windows.
    case offer(Offer)
    /// `counter-offer`: alternative proposals outside the asked windows.
    case counterOffer(Offer)
    /// `accept`: the customer takes a proposal.
    case accept(Accept)
    /// `reject`: the customer turns proposals down.
    case reject(Reject)
    /// `confirm`: the company states the booking as it now stands.
    case confirm(Confirm)
    /// `decline`: the company cannot or need not do what was asked.
    case decline(Decline)
    /// `cancel`: the customer cancels a booking.
    case cancel(Cancel)
    /// `reschedule`: the customer asks to move a booking.
    case reschedule(Reschedule)
    /// `consent-request`: the company asks for personal data.
    case consentRequest(ConsentRequest)
    /// `consent-grant`: the customer grants consent with a token.
    case consentGrant(ConsentGrant)
    /// `consent-deny`: the customer refuses a consent request.
    case consentDeny(ConsentDeny)
    /// `consent-revoke`: the customer withdraws a consent.
    case consentRevoke(ConsentRevoke)
    /// `disclose`: the customer hands over data under a grant.
    case disclose(Disclose)
    /// `handoff`: the company hands the session to a person.
    case handoff(Handoff)
    /// `error`: a rejected message or a failure.
    case error(ErrorReport)
    /// `close`: the sender ends the session.
    case close(Close)

    /// The wire type of a message.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
        /// The `hello` message type.
        case hello
        /// The `request` message type.
        case request
        /// The `counter-request` message type.
        case counterRequest = "counter-request"
        /// The `question` message type.
        case question
        /// The `answer` message type.
        case answer
        /// The `offer` message type.
        case offer
        /// The `counter-offer` message type.
        case counterOffer = "counter-offer"
        /// The `accept` message type.
        case accept
        /// The `reject` message type.
        case reject
        /// The `confirm` message type.
        case confirm
        /// The `decline` message type.
        case decline
        /// The `cancel` message type.
        case cancel
        /// The `reschedule` message type.
        case reschedule
        /// The `consent-request` message type.
        case consentRequest = "consent-request"
        /// The `consent-grant` message type.
        case consentGrant = "consent-grant"
        /// The `consent-deny` message type.
        case consentDeny = "consent-deny"
        /// The `consent-revoke` message type.
        case consentRevoke = "consent-revoke"
        /// The `disclose` message type.
        case disclose
        /// The `handoff` message type.
        case handoff
        /// The `error` message type.
        case error
        /// The `close` message type.
        case close

        public var description: String { rawValue }
    }

    /// The wire type of this message.
    public var kind: Kind {
        switch self {
        case .hello: return .hello
        case .request: return .request
        case .counterRequest: return .counterRequest
        case .question: return .question
        case .answer: return .answer
        case .offer: return .offer
        case .counterOffer: return .counterOffer
        case .accept: return .accept
        case .reject: return .reject
        case .confirm: return .confirm
        case .decline: return .decline
        case .cancel: return .cancel
        case .reschedule: return .reschedule
        case .consentRequest: return .consentRequest
        case .consentGrant: return .consentGrant
        case .consentDeny: return .consentDeny
        case .consentRevoke: return .consentRevoke
        case .disclose: return .disclose
        case .handoff: return .handoff
        case .error: return .error
        case .close: return .close
        }
    }

    /// The body's JSON form.
    var bodyJSON: JSONValue {
        switch self {
        case .hello(let body): return body.json
        case .request(let body), .counterRequest(let body): return body.json
        case .question(let body): return body.json
        case .answer(let body): return body.json
        case .offer(let body), .counterOffer(let body): return body.json
        case .accept(let body): return body.json
        case .reject(let body): return body.json
        case .confirm(let body): return body.json
        case .decline(let body): return body.json
        case .cancel(let body): return body.json
        case .reschedule(let body): return body.json
        case .consentRequest(let body): return body.json
        case .consentGrant(let body): return body.json
        case .consentDeny(let body): return body.json
        case .consentRevoke(let body): return body.json
        case .disclose(let body): return body.json
        case .handoff(let body): return body.json
        case .error(let body): return body.json
        case .close(let body): return body.json
        }
    }

    /// Writes the canonical bytes of ``bodyJSON``.
    func writeBody(to writer: inout CanonicalWriter) {
        switch self {
        case .hello(let body): body.writeCanonical(to: &writer)
        case .request(let body), .counterRequest(let body): body.writeCanonical(to: &writer)
        case .question(let body): body.writeCanonical(to: &writer)
        case .answer(let body): body.writeCanonical(to: &writer)
        case .offer(let body), .counterOffer(let body): body.writeCanonical(to: &writer)
        case .accept(let body): body.writeCanonical(to: &writer)
        case .reject(let body): body.writeCanonical(to: &writer)
        case .confirm(let body): body.writeCanonical(to: &writer)
        case .decline(let body): body.writeCanonical(to: &writer)
        case .cancel(let body): body.writeCanonical(to: &writer)
        case .reschedule(let body): body.writeCanonical(to: &writer)
        case .consentRequest(let body): body.writeCanonical(to: &writer)
        case .consentGrant(let body): body.writeCanonical(to: &writer)
        case .consentDeny(let body): body.writeCanonical(to: &writer)
        case .consentRevoke(let body): body.writeCanonical(to: &writer)
        case .disclose(let body): body.writeCanonical(to: &writer)
        case .handoff(let body): body.writeCanonical(to: &writer)
        case .error(let body): body.writeCanonical(to: &writer)
        case .close(let body): body.writeCanonical(to: &writer)
        }
    }

    /// Decodes a body of wire type `kind`.
    init(kind: Kind, body: JSONValue) throws(ParleyError) {
        switch kind {
        case .hello: self = .hello(try Hello(json: body, path: "body"))
        case .request: self = .request(try Request(json: body, path: "body"))
        case .counterRequest: self = .counterRequest(try Request(json: body, path: "body"))
        case .question: self = .question(try Question(json: body, path: "body"))
        case .answer: self = .answer(try Answer(json: body, path: "body"))
        case .offer: self = .offer(try Offer(json: body, path: "body"))
        case .counterOffer: self = .counterOffer(try Offer(json: body, path: "body"))
        case .accept: self = .accept(try Accept(json: body, path: "body"))
        case .reject: self = .reject(try Reject(json: body, path: "body"))
        case .confirm: self = .confirm(try Confirm(json: body, path: "body"))
        case .decline: self = .decline(try Decline(json: body, path: "body"))
        case .cancel: self = .cancel(try Cancel(json: body, path: "body"))
        case .reschedule: self = .reschedule(try Reschedule(json: body, path: "body"))
        case .consentRequest: self = .consentRequest(try ConsentRequest(json: body, path: "body"))
        case .consentGrant: self = .consentGrant(try ConsentGrant(json: body, path: "body"))
        case .consentDeny: self = .consentDeny(try ConsentDeny(json: body, path: "body"))
        case .consentRevoke: self = .consentRevoke(try ConsentRevoke(json: body, path: "body"))
        case .disclose: self = .disclose(try Disclose(json: body, path: "body"))
        case .handoff: self = .handoff(try Handoff(json: body, path: "body"))
        case .error: self = .error(try ErrorReport(json: body, path: "body"))
        case .close: self = .close(try Close(json: body, path: "body"))
        }
    }
}
