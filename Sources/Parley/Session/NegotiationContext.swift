/// What a session remembers about the negotiation beyond its phase: the ask, the proposals on
/// the table, the accepted proposal, open questions and consent requests, grants and the booking.
/// Both roles keep the same context; the content rules (§7) are checked against it.
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
    var accepted: Proposal?
    var acceptedAddOns: [AddOnID] = []
    /// The open question and its option values (empty for free-text questions).
    var openQuestion: QuestionID?
    var openQuestionOptions: [String] = []
    /// The open consent request.
    var openConsentRequest: Message.ConsentRequest?
    /// Grants made in this session.
    var grants: [Message.ConsentGrant] = []
    /// Tokens revoked in this session.
    var revoked: Set<TokenID> = []
    /// The booking being cancelled, while a cancel is pending.
    var cancelling: BookingReference?
    /// The booking confirmed in this session, and its latest confirmation.
    var booking: Message.Confirm?
    /// The phase to return to after an inquiry, cancel or reschedule.
    var resume: SessionPhase?
    /// The version both hellos share.
    var version: Int?
    /// The customer's conclude-by deadline.
    var concludeBy: Instant?

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
