/// Where a session stands. Both sides compute the same phase from the same messages: the
/// protocol is turn-based, and ``turn`` says whose move it is.
///
/// ```
///  start ─hello(C)→ greeting ─hello(K)→ ready ─request(C)→ requested ─offer/counter-offer(K)→ offered
///                                         ▲                 │  ▲  ▲                               │ │ │
///                                         │      question(K)│  │  └──────counter-request(C)───────┘ │ │
///                                         │                 ▼  │answer/counter-request(C)  accept(C)│ │reject(C)
///                                         │              questioned                               ▼ ▼
///                                         │                         consent-request(K)         accepted ──confirm(K)→ booked
///                                         │      consentRequested ◀────────────────────────────┘  ▲                  │
///                                         │         │consent-grant(C)        disclose(C)          │     cancel/reschedule(C)
///                                         │         └──────────────→ disclosing ──────────────────┘                  ▼
///                                         └───────────────confirm[cancelled](K)───────────── cancelling / rescheduling
///  any live phase ─close(C|K)→ closed          any live phase ─error[fatal](C|K)→ failed
/// ```
/// The full table, with every row, is `Spec/PROTOCOL.md` §6 and ``TransitionTable``.
public enum SessionPhase: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Nothing sent yet.
    case start
    /// The customer said hello; the company answers with its hello.
    case greeting
    /// Greeted: the customer may request, cancel, reschedule, ask, revoke or close.
    case ready
    /// A request (or answer, or counter-request) is with the company.
    case requested
    /// The company asked the customer a question.
    case questioned
    /// Proposals are on the table; the customer accepts, rejects, counter-requests or asks.
    case offered
    /// The customer asked the company a question; the answer returns to the phase before.
    case inquiring
    /// The customer accepted a proposal; the company confirms, declines or asks for consent.
    case accepted
    /// The company asked for consent.
    case consentRequested
    /// The customer granted consent and now discloses the data.
    case disclosing
    /// A booking stands.
    case booked
    /// The customer asked to cancel a booking.
    case cancelling
    /// The customer asked to move a booking.
    case rescheduling
    /// The company declined; the customer may ask again, ask a question, or close.
    case declined
    /// The company handed the session to a person; only `close` remains.
    case handedOff
    /// Ended by a `close`. Terminal.
    case closed
    /// Ended by a fatal error. Terminal.
    case failed

    /// Whether nothing more can happen in the session.
    public var isTerminal: Bool { self == .closed || self == .failed }

    /// Whose move it is, or `nil` in terminal phases.
    public var turn: Role? {
        switch self {
        case .start, .ready, .questioned, .offered, .consentRequested, .disclosing, .booked, .declined, .handedOff:
            return .customer
        case .greeting, .requested, .inquiring, .accepted, .cancelling, .rescheduling:
            return .company
        case .closed, .failed:
            return nil
        }
    }

    public var description: String { rawValue }
}
