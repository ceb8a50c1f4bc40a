@testable import Parley

/// One valid message of every wire type, with realistic S1 content.
enum SampleMessages {
    static func message(_ kind: Message.Kind, role: Role) -> Message {
        switch kind {
        case .hello: return .hello(.init(role: role))
        case .request: return .request(Fixtures.request)
        case .counterRequest: return .counterRequest(Fixtures.request)
        case .question: return .question(.init(id: "q1", topic: "service", text: "Which service?"))
        case .answer: return .answer(.init(question: "q1", value: "haircut-women"))
        case .offer: return .offer(.init(proposals: [Fixtures.proposal("p1", at: 12)]))
        case .counterOffer: return .counterOffer(.init(proposals: [Fixtures.proposal("p2", at: 13, 15)]))
        case .accept: return .accept(.init(proposal: "p1"))
        case .reject: return .reject(.init(reason: "no-suitable-proposal"))
        case .confirm:
            let proposal = Fixtures.proposal("p1", at: 12)
            return .confirm(
                .init(
                    booking: "B-1", status: .booked, proposal: proposal.id, service: proposal.service, slot: proposal.slot,
                    timeZone: proposal.timeZone, price: proposal.price, cancellation: proposal.cancellation,
                    agreementDigest: String(repeating: "0", count: 64)))
        case .decline: return .decline(.init(reason: "no-availability"))
        case .cancel: return .cancel(.init(booking: "B-1"))
        case .reschedule: return .reschedule(.init(booking: "B-1", windows: Fixtures.request.windows))
        case .consentRequest: return .consentRequest(Fixtures.consentRequest)
        case .consentGrant: return .consentGrant(Fixtures.grant)
        case .consentDeny: return .consentDeny(.init(request: "cr1"))
        case .consentRevoke: return .consentRevoke(.init(tokenID: "t-1"))
        case .disclose: return .disclose(Fixtures.disclose)
        case .handoff: return .handoff(.init(reason: "needs-consultation", channel: "phone", summary: "Colour treatment"))
        case .error: return .error(.init(code: "invalid-field", text: "bad", retryable: false))
        case .close: return .close(.init(outcome: "no-agreement"))
        }
    }

    /// An envelope carrying `message` from `sender`.
    static func envelope(_ message: Message, from sender: Role, sequence: Int = 1, id: MessageID = "m-x") -> Envelope {
        Envelope(
            id: id, session: Fixtures.session, from: sender == .customer ? Fixtures.customer : Fixtures.salon,
            to: sender == .customer ? Fixtures.salon : Fixtures.customer, sequence: sequence, sentAt: Fixtures.now, message: message)
    }
}
