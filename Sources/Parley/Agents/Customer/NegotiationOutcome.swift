/// How a negotiation ended, from the person's point of view.
///
/// `Codable` (keyed by case name), so that an app can keep outcomes with its own records; a
/// ``CustomerAgent`` saves them with its sessions in its ``SessionStore``.
public enum NegotiationOutcome: Hashable, Sendable, Codable {
    /// A booking was confirmed, or moved (``Booking/confirmation`` says `booked` or `rescheduled`).
    case booked(Booking)
    /// The booking was cancelled; ``Booking/confirmation`` carries any fee charged.
    case cancelled(Booking)
    /// The company needs no reservation; what it said, and the answers to the agent's questions by topic.
    case noReservationNeeded(text: String, answers: [String: String])
    /// The company handed the matter to a person.
    case handedOff(Message.Handoff)
    /// The revocation of the consent token was delivered to the company.
    case revocationDelivered(TokenID)
    /// No acceptable agreement; why.
    case noAgreement(NoAgreementReason)
    /// The negotiation failed with an error.
    case failed(ParleyError)

    /// One line for logs, without personal data: `booked B-1 at salon.example/bot`, `failed: offer-expired`, ….
    public var summary: String {
        switch self {
        case .booked(let booking): return "\(booking.confirmation.status) \(booking.reference) at \(booking.company)"
        case .cancelled(let booking):
            return "cancelled \(booking.reference) at \(booking.company)\(booking.confirmation.fee.map { ", fee \($0)" } ?? "")"
        case .noReservationNeeded: return "no reservation needed"
        case .handedOff(let handoff): return "handed off (\(handoff.reason))"
        case .revocationDelivered(let token): return "revocation of \(token) delivered"
        case .noAgreement(let reason): return "no agreement: \(reason.summary)"
        case .failed(let error): return "failed: \(error.code.wireValue)"
        }
    }

    /// The booking, if one was made or moved (not a cancelled one).
    public var booking: Booking? {
        if case .booked(let booking) = self { return booking }
        return nil
    }
}

/// Why a negotiation ended without agreement.
public enum NoAgreementReason: Hashable, Sendable, Codable {
    /// No proposal was acceptable: why each one considered was refused, in the order considered.
    case noSuitableProposal([ProposalRefusal])
    /// The company declined (`Spec/PROTOCOL.md` §5.2), with its text.
    case declined(DeclineReason, text: String?)
    /// The company asked a question the wishes do not answer.
    case unansweredQuestion(topic: String, text: String)
    /// The company stopped answering: the session's idle timeout passed.
    case timeout
    /// The wishes' conclude-by deadline passed.
    case deadlinePassed
    /// The company closed the session, with the outcome it gave.
    case closedByCompany(outcome: String)
    /// Another company's proposal was chosen (``CustomerAgent/book(atAnyOf:)``).
    case choseAnotherCompany
    /// No company made an acceptable proposal (``CustomerAgent/book(atAnyOf:)``).
    case noAcceptableCompany
    /// The agent was disconnected before the negotiation ended.
    case disconnected
    /// The transport to the company delivers nothing more: its input ended (e.g. end of file on
    /// standard input, `Spec/PROTOCOL.md` §4.6) before the negotiation did.
    case inputEnded
    /// The wishes have no time window to ask for.
    case noWindows

    /// One line for people and logs, without personal data.
    public var summary: String {
        switch self {
        case .noSuitableProposal(let refusals):
            guard let first = refusals.first else { return "no proposal" }
            return "no suitable proposal (the best \(first.summary))"
        case .declined(let reason, let text): return "declined (\(reason.rawValue))\(text.map { ": \($0)" } ?? "")"
        case .unansweredQuestion(let topic, _): return "the company asked about '\(topic)', which the wishes do not answer"
        case .timeout: return "the company stopped answering"
        case .deadlinePassed: return "the deadline passed"
        case .closedByCompany(let outcome): return "the company closed the session (\(outcome))"
        case .choseAnotherCompany: return "another company was chosen"
        case .noAcceptableCompany: return "no company made an acceptable proposal"
        case .disconnected: return "disconnected"
        case .inputEnded: return "the company's input ended"
        case .noWindows: return "no time window to ask for"
        }
    }
}

/// A company's reason for a `decline` (`Spec/PROTOCOL.md` §5.2). Unknown reasons keep their wire name.
public struct DeclineReason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The wire name.
    public var rawValue: String

    /// The reason with wire name `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The slot went to someone else.
    public static let slotTaken = DeclineReason(rawValue: "slot-taken")
    /// Nothing is free near the asked time.
    public static let noAvailability = DeclineReason(rawValue: "no-availability")
    /// Come without booking.
    public static let noReservationNeeded = DeclineReason(rawValue: "no-reservation-needed")
    /// The party is too large or too small.
    public static let partySize = DeclineReason(rawValue: "party-size")
    /// The company does not offer the service.
    public static let unknownService = DeclineReason(rawValue: "unknown-service")
    /// The company knows no such booking of this customer.
    public static let unknownBooking = DeclineReason(rawValue: "unknown-booking")
    /// The company cannot book without data it was refused.
    public static let dataRequired = DeclineReason(rawValue: "data-required")
    /// Too late to do it.
    public static let tooLate = DeclineReason(rawValue: "too-late")
    /// Anything else.
    public static let other = DeclineReason(rawValue: "other")

    /// The wire name.
    public var description: String { rawValue }
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
    /// The booking receipt: the company's signed confirmation, which anyone can check offline with
    /// the company's public key (``SignedReceipt/verify(with:)``, `parley receipt verify`). `nil`
    /// when the company did not sign its confirm. When the agent trusts keys for the company
    /// (``CustomerAgent/trustedCompanyKeys``) the signature was verified with one of them, which
    /// the receipt carries; otherwise it is unverified and carries no key.
    public var receipt: SignedReceipt?

    /// Creates a booking record (the customer agent makes these; tests and stores may too).
    public init(
        company: AgentID, session: SessionID, confirmation: Message.Confirm, grants: [Message.ConsentGrant],
        receipt: SignedReceipt? = nil
    ) {
        self.company = company
        self.session = session
        self.confirmation = confirmation
        self.grants = grants
        self.receipt = receipt
    }

    /// The booking reference.
    public var reference: BookingReference { confirmation.booking }
}
