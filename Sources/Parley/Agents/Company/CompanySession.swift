/// What a company agent keeps for one session besides the state machine.
struct CompanySession: Sendable {
    var machine: SessionStateMachine
    var transcript: [Envelope] = []
    /// The current ask: service name, windows, preferred start, party size.
    var service: String?
    var windows: [TimeWindow] = []
    var preferredStart: Instant?
    var partySize: Int?
    /// The booking a reschedule is moving.
    var rescheduling: BookingRecord?
    /// Proposals made in this session, by id (to build the confirmation).
    var proposalCounter = 0
    var questionCounter = 0
    var consentCounter = 0
    /// Grants received, and the data disclosed under each.
    var grants: [TokenID: Message.ConsentGrant] = [:]
    var disclosed: [TokenID: [DataField: String]] = [:]
    /// Events queued while the session was busy handling another one.
    var inbox = SerialInbox()

    init(machine: SessionStateMachine) {
        self.machine = machine
    }

    mutating func nextProposalID() -> ProposalID {
        proposalCounter += 1
        return ProposalID(stringLiteral: "p\(proposalCounter)")
    }

    mutating func nextQuestionID() -> QuestionID {
        questionCounter += 1
        return QuestionID(stringLiteral: "q\(questionCounter)")
    }

    mutating func nextConsentRequestID() -> ConsentRequestID {
        consentCounter += 1
        return ConsentRequestID(stringLiteral: "cr\(consentCounter)")
    }

    /// Whether the data disclosed so far satisfies `requirement`: some grant for its purpose covers
    /// its fields and every field was disclosed under it.
    func isSatisfied(_ requirement: DataRequirement) -> Bool {
        grants.values.contains { grant in
            grant.purpose == requirement.purpose && requirement.fields.allSatisfy { field in
                grant.fields.contains(field) && disclosed[grant.tokenID]?[field] != nil
            }
        }
    }

    /// A disclosed value for `field` under a grant for `purpose`, if any.
    func value(of field: DataField, for purpose: Purpose) -> String? {
        for grant in grants.values.sorted(by: { $0.tokenID < $1.tokenID }) where grant.purpose == purpose {
            if let value = disclosed[grant.tokenID]?[field] { return value }
        }
        return nil
    }
}
