/// What a session remembers about the negotiation beyond its phase: the ask, the proposals on
/// the table, the accepted proposal, open questions and consent requests, grants and the booking.
/// Both roles keep the same context; the content rules (§7) are checked against it.
///
/// The three large values (the accepted proposal, the open consent request and the booking) are
/// held in shared boxes, since most sessions hold none of them most of the time: inline they made
/// every session's context several hundred bytes larger. They encode as before.
struct NegotiationContext: Hashable, Sendable, Codable {
    /// The windows proposals must start in: those of the last request, counter-request or reschedule.
    var windows: [TimeWindow] = []
    /// The booking being moved, while a reschedule negotiates.
    var rescheduling: BookingReference?
    /// The proposals on the table.
    var table: [Proposal] = []
    /// Every proposal id offered in the session; ids never repeat.
    var offeredIDs: Set<ProposalID> = []
    /// The accepted proposal and the add-ons taken with it.
    var accepted: Proposal? {
        get { acceptedBox?.value }
        set { acceptedBox = newValue.map(SharedBox.init) }
    }
    private var acceptedBox: SharedBox<Proposal>?
    var acceptedAddOns: [AddOnID] = []
    /// The open question and its option values (empty for free-text questions).
    var openQuestion: QuestionID?
    var openQuestionOptions: [String] = []
    /// The open consent request.
    var openConsentRequest: Message.ConsentRequest? {
        get { openConsentRequestBox?.value }
        set { openConsentRequestBox = newValue.map(SharedBox.init) }
    }
    private var openConsentRequestBox: SharedBox<Message.ConsentRequest>?
    /// Grants made in this session.
    var grants: [Message.ConsentGrant] = []
    /// Tokens revoked in this session.
    var revoked: Set<TokenID> = []
    /// The booking being cancelled, while a cancel is pending.
    var cancelling: BookingReference?
    /// The booking confirmed in this session, and its latest confirmation.
    var booking: Message.Confirm? {
        get { bookingBox?.value }
        set { bookingBox = newValue.map(SharedBox.init) }
    }
    private var bookingBox: SharedBox<Message.Confirm>?
    /// The phase to return to after an inquiry, cancel or reschedule.
    var resume: SessionPhase?
    /// The version both hellos share.
    var version: Int?
    /// The customer's conclude-by deadline.
    var concludeBy: Instant?

    private enum CodingKeys: String, CodingKey {
        case windows, rescheduling, table, offeredIDs, acceptedAddOns, openQuestion, openQuestionOptions, grants, revoked
        case cancelling, resume, version, concludeBy
        case acceptedBox = "accepted", openConsentRequestBox = "openConsentRequest", bookingBox = "booking"
    }

    /// Encodes the sets sorted, so that one context always gives the same bytes
    /// (``SavedSession/encoded()``); decoding is synthesised.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(windows, forKey: .windows)
        try container.encodeIfPresent(rescheduling, forKey: .rescheduling)
        try container.encode(table, forKey: .table)
        try container.encode(offeredIDs.sorted { $0.rawValue < $1.rawValue }, forKey: .offeredIDs)
        try container.encodeIfPresent(acceptedBox, forKey: .acceptedBox)
        try container.encode(acceptedAddOns, forKey: .acceptedAddOns)
        try container.encodeIfPresent(openQuestion, forKey: .openQuestion)
        try container.encode(openQuestionOptions, forKey: .openQuestionOptions)
        try container.encodeIfPresent(openConsentRequestBox, forKey: .openConsentRequestBox)
        try container.encode(grants, forKey: .grants)
        try container.encode(revoked.sorted { $0.rawValue < $1.rawValue }, forKey: .revoked)
        try container.encodeIfPresent(cancelling, forKey: .cancelling)
        try container.encodeIfPresent(bookingBox, forKey: .bookingBox)
        try container.encodeIfPresent(resume, forKey: .resume)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encodeIfPresent(concludeBy, forKey: .concludeBy)
    }

    /// The requirements declared by the accepted proposal and the accepted add-ons.
    var acceptedRequirements: [DataRequirement] {
        guard let accepted else { return [] }
        var requirements = accepted.requires
        for id in acceptedAddOns {
            if let addOn = accepted.addOn(id) { requirements.append(contentsOf: addOn.requires) }
        }
        return requirements
    }

    /// The live grant with `tokenID`, if any.
    func grant(_ tokenID: TokenID) -> Message.ConsentGrant? {
        guard !revoked.contains(tokenID) else { return nil }
        return grants.first { $0.tokenID == tokenID }
    }
}
