/// What a company agent keeps for one session besides the state machine.
///
/// A copy-on-write value: the fields live in one heap object, so the agent's session dictionary
/// holds a pointer per slot instead of the whole (over a kilobyte) state, and idle slots in the
/// dictionary's spare capacity cost eight bytes rather than a full session each.
struct CompanySession: Sendable {
    /// The fields. Only mutated through the accessors below, after ``storageForWriting()``
    /// made it unique, so sharing it between copies is safe.
    private final class Storage: @unchecked Sendable {
        var machine: SessionStateMachine
        let openedBy: AgentID
        var transcript: [Envelope]
        var service: String?
        var windows: [TimeWindow]
        var preferredStart: Instant?
        var partySize: Int?
        var rescheduling: SharedBox<BookingRecord>?
        var proposalCounter: Int
        var questionCounter: Int
        var consentCounter: Int
        var grants: [TokenID: (grant: Message.ConsentGrant, token: ConsentToken)]
        var data: [TokenID: ConsentedData]
        var inbox: SerialInbox

        init(machine: SessionStateMachine, openedBy: AgentID) {
            self.machine = machine
            self.openedBy = openedBy
            transcript = []
            service = nil
            windows = []
            preferredStart = nil
            partySize = nil
            rescheduling = nil
            proposalCounter = 0
            questionCounter = 0
            consentCounter = 0
            grants = [:]
            data = [:]
            inbox = SerialInbox()
        }

        init(copying other: Storage) {
            machine = other.machine
            openedBy = other.openedBy
            transcript = other.transcript
            service = other.service
            windows = other.windows
            preferredStart = other.preferredStart
            partySize = other.partySize
            rescheduling = other.rescheduling
            proposalCounter = other.proposalCounter
            questionCounter = other.questionCounter
            consentCounter = other.consentCounter
            grants = other.grants
            data = other.data
            inbox = other.inbox
        }
    }

    private var storage: Storage

    init(machine: SessionStateMachine, openedBy: AgentID) {
        storage = Storage(machine: machine, openedBy: openedBy)
    }

    private mutating func storageForWriting() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        return storage
    }

    var machine: SessionStateMachine {
        get { storage.machine }
        _modify { yield &storageForWriting().machine }
    }
    /// The agent id that opened the session (counted against ``ServiceLimits``).
    var openedBy: AgentID { storage.openedBy }
    var transcript: [Envelope] {
        get { storage.transcript }
        _modify { yield &storageForWriting().transcript }
    }
    /// The current ask: service name, windows, preferred start, party size.
    var service: String? {
        get { storage.service }
        _modify { yield &storageForWriting().service }
    }
    var windows: [TimeWindow] {
        get { storage.windows }
        _modify { yield &storageForWriting().windows }
    }
    var preferredStart: Instant? {
        get { storage.preferredStart }
        _modify { yield &storageForWriting().preferredStart }
    }
    var partySize: Int? {
        get { storage.partySize }
        _modify { yield &storageForWriting().partySize }
    }
    /// The booking a reschedule is moving.
    var rescheduling: BookingRecord? {
        get { storage.rescheduling?.value }
        set { storageForWriting().rescheduling = newValue.map(SharedBox.init) }
    }
    /// Proposals made in this session, by id (to build the confirmation).
    var proposalCounter: Int {
        get { storage.proposalCounter }
        _modify { yield &storageForWriting().proposalCounter }
    }
    var questionCounter: Int {
        get { storage.questionCounter }
        _modify { yield &storageForWriting().questionCounter }
    }
    var consentCounter: Int {
        get { storage.consentCounter }
        _modify { yield &storageForWriting().consentCounter }
    }
    /// Grants received (checked against their tokens), and the data disclosed under each.
    var grants: [TokenID: (grant: Message.ConsentGrant, token: ConsentToken)] {
        get { storage.grants }
        _modify { yield &storageForWriting().grants }
    }
    var data: [TokenID: ConsentedData] {
        get { storage.data }
        _modify { yield &storageForWriting().data }
    }
    /// Events queued while the session was busy handling another one.
    var inbox: SerialInbox {
        get { storage.inbox }
        _modify { yield &storageForWriting().inbox }
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
