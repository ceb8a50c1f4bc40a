/// How a negotiation ended, from the person's point of view.
public enum NegotiationOutcome: Hashable, Sendable {
    /// A booking was confirmed.
    case booked(Booking)
    /// The company needs no reservation; what it said, and the answers to the agent's questions by topic.
    case noReservationNeeded(text: String, answers: [String: String])
    /// The company handed the matter to a person.
    case handedOff(Message.Handoff)
    /// No acceptable agreement; why.
    case noAgreement(reason: String)
    /// The negotiation failed with an error.
    case failed(ParleyError)

    /// One line for logs, without personal data: `booked B-1 at salon.example/bot`, `failed: offer-expired`, ….
    public var summary: String {
        switch self {
        case .booked(let booking): return "\(booking.confirmation.status) \(booking.reference) at \(booking.company)"
        case .noReservationNeeded: return "no reservation needed"
        case .handedOff(let handoff): return "handed off (\(handoff.reason))"
        case .noAgreement(let reason): return "no agreement: \(reason)"
        case .failed(let error): return "failed: \(error.code.wireValue)"
        }
    }

    /// The booking, if one was made.
    public var booking: Booking? {
        if case .booked(let booking) = self { return booking }
        return nil
    }
}

/// A confirmed booking as the customer side records it.
public struct Booking: Hashable, Sendable, Codable {
    /// The company.
    public var company: AgentID
    /// The session that last changed it.
    public var session: SessionID
    /// The company's confirmation.
    public var confirmation: Message.Confirm
    /// The consent granted for it.
    public var grants: [Message.ConsentGrant]

    /// The booking reference.
    public var reference: BookingReference { confirmation.booking }
}
