/// What a company agent keeps for one session besides the state machine.
struct CompanySession: Sendable {
    var machine: SessionStateMachine
    /// The agent id that opened the session (counted against ``ServiceLimits``).
    let openedBy: AgentID
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
    /// Grants received (checked against their tokens), and the data disclosed under each.
    var grants: [TokenID: (grant: Message.ConsentGrant, token: ConsentToken)] = [:]
    var data: [TokenID: ConsentedData] = [:]
    /// Events queued while the session was busy handling another one.
    var inbox = SerialInbox()

    init(machine: SessionStateMachine, openedBy: AgentID) {
        self.machine = machine
        self.openedBy = openedBy
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

    /// Whether the data disclosed so far satisfies `requirement`: a grant for its purpose covers
    /// its fields and every field was disclosed under it.
    func isSatisfied(_ requirement: DataRequirement) -> Bool {
        grants.values.contains { entry in
            entry.grant.purpose == requirement.purpose
                && requirement.fields.allSatisfy { field in
                    entry.grant.fields.contains(field) && data[entry.grant.tokenID]?.disclosedFields.contains(field) == true
                }
        }
    }
}
