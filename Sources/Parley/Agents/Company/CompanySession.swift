/// What a company agent keeps for one session besides the state machine.
///
/// A copy-on-write value: the fields live in one heap object, so the agent's session dictionary
/// holds a pointer per slot instead of the whole (over a kilobyte) state, and idle slots in the
/// dictionary's spare capacity cost eight bytes rather than a full session each.
struct CompanySession: Sendable {
    /// The fields, as a plain value.
    private struct Fields: Sendable {
        var machine: SessionStateMachine
        let openedBy: AgentID
        var transcript: [Envelope] = []
        var service: String?
        var windows: [TimeWindow] = []
        var preferredStart: Instant?
        var partySize: Int?
        var rescheduling: SharedBox<BookingRecord>?
        var proposalCounter = 0
        var questionCounter = 0
        var consentCounter = 0
        var grants: [TokenID: (grant: Message.ConsentGrant, token: ConsentToken)] = [:]
        var data: [TokenID: ConsentedData] = [:]
        var inbox = SerialInbox()
        var endedAt: Instant?
    }

    /// The heap object holding the fields. Only mutated through the accessors below, after
    /// ``storageForWriting()`` made it unique, so sharing it between copies is safe.
    private final class Storage: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    init(machine: SessionStateMachine, openedBy: AgentID) {
        storage = Storage(Fields(machine: machine, openedBy: openedBy))
    }

    private mutating func storageForWriting() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        return storage
    }

    var machine: SessionStateMachine {
        get { storage.fields.machine }
        _modify { yield &storageForWriting().fields.machine }
    }
    /// The agent id that opened the session (counted against ``ServiceLimits``).
    var openedBy: AgentID { storage.fields.openedBy }
    var transcript: [Envelope] {
        get { storage.fields.transcript }
        _modify { yield &storageForWriting().fields.transcript }
    }
    /// The current ask: service name, windows, preferred start, party size.
    var service: String? {
        get { storage.fields.service }
        _modify { yield &storageForWriting().fields.service }
    }
    var windows: [TimeWindow] {
        get { storage.fields.windows }
        _modify { yield &storageForWriting().fields.windows }
    }
    var preferredStart: Instant? {
        get { storage.fields.preferredStart }
        _modify { yield &storageForWriting().fields.preferredStart }
    }
    var partySize: Int? {
        get { storage.fields.partySize }
        _modify { yield &storageForWriting().fields.partySize }
    }
    /// The booking a reschedule is moving.
    var rescheduling: BookingRecord? {
        get { storage.fields.rescheduling?.value }
        set { storageForWriting().fields.rescheduling = newValue.map(SharedBox.init) }
    }
    /// Proposals made in this session, by id (to build the confirmation).
    var proposalCounter: Int {
        get { storage.fields.proposalCounter }
        _modify { yield &storageForWriting().fields.proposalCounter }
    }
    var questionCounter: Int {
        get { storage.fields.questionCounter }
        _modify { yield &storageForWriting().fields.questionCounter }
    }
    var consentCounter: Int {
        get { storage.fields.consentCounter }
        _modify { yield &storageForWriting().fields.consentCounter }
    }
    /// Grants received (checked against their tokens), and the data disclosed under each.
    var grants: [TokenID: (grant: Message.ConsentGrant, token: ConsentToken)] {
        get { storage.fields.grants }
        _modify { yield &storageForWriting().fields.grants }
    }
    var data: [TokenID: ConsentedData] {
        get { storage.fields.data }
        _modify { yield &storageForWriting().fields.data }
    }
    /// Events queued while the session was busy handling another one.
    var inbox: SerialInbox {
        get { storage.fields.inbox }
        _modify { yield &storageForWriting().fields.inbox }
    }

    /// When the session ended, once it has (the idempotency window runs from here).
    var endedAt: Instant? {
        get { storage.fields.endedAt }
        _modify { yield &storageForWriting().fields.endedAt }
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

/// Ended sessions in the order they ended: a queue the agent drains from the front once each has
/// been over for the idempotency window. Amortised O(1) per session.
struct EndedSessions: Sendable {
    private var entries: [(session: SessionID, endedAt: Instant)] = []
    private var head = 0

    mutating func append(_ session: SessionID, endedAt: Instant) {
        entries.append((session, endedAt))
    }

    /// Removes and returns the oldest entry if it ended before `instant`.
    mutating func popFirst(endedBefore instant: Instant) -> (SessionID, Instant)? {
        guard head < entries.count, entries[head].endedAt < instant else { return nil }
        let entry = entries[head]
        head += 1
        if head >= 1024, head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return (entry.session, entry.endedAt)
    }
}
