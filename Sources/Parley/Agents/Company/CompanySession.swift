/// What a company agent keeps for one session besides the state machine.
///
/// A copy-on-write value: the fields live in one heap object, so the agent's session dictionary
/// holds a pointer per slot instead of the whole (over a kilobyte) state, and idle slots in the
/// dictionary's spare capacity cost eight bytes rather than a full session each.
struct CompanySession: Sendable, Codable {
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
        /// The receipts of the grants received, kept with the booking they lead to.
        var receipts: [TokenID: ConsentReceipt] = [:]
        var endedAt: Instant?
        /// The session's timers and when each is due (kept with the session, so that any
        /// instance can fire them after this one is gone).
        var timers: [SessionTimer: Instant] = [:]
        /// Every envelope sent to the peer, in order (at most ``CompanySession/maximumOutbound``):
        /// what an HTTP poll collects, on whichever instance it arrives.
        var outbound: [Envelope] = []
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
    /// The receipts of the grants received, by token id.
    var receipts: [TokenID: ConsentReceipt] {
        get { storage.fields.receipts }
        _modify { yield &storageForWriting().fields.receipts }
    }
    /// The session's timers and when each is due.
    var timers: [SessionTimer: Instant] {
        get { storage.fields.timers }
        _modify { yield &storageForWriting().fields.timers }
    }
    /// Every envelope sent to the peer, in order.
    var outbound: [Envelope] {
        get { storage.fields.outbound }
        _modify { yield &storageForWriting().fields.outbound }
    }

    /// The most envelopes ``outbound`` keeps (a session sends far fewer: `MAX_MESSAGES` bounds what it receives).
    static let maximumOutbound = 512

    /// Notes an envelope sent to the peer, for polls.
    mutating func noteOutbound(_ envelope: Envelope) {
        guard envelope.to == openedBy, outbound.count < Self.maximumOutbound else { return }
        if let last = outbound.last, last.sequence >= envelope.sequence {
            // A retransmission, or a reply recorded out of order: keep one copy per sequence number, in order.
            guard !outbound.contains(where: { $0.sequence == envelope.sequence }) else { return }
            outbound.append(envelope)
            outbound.sort { $0.sequence < $1.sequence }
            return
        }
        outbound.append(envelope)
    }

    /// Applies the timer changes of `output` that concern this session.
    mutating func noteTimers(_ requests: [AgentOutput.TimerRequest], session: SessionID) {
        for request in requests where request.session == session {
            if let at = request.at { timers[request.timer] = at } else { timers[request.timer] = nil }
        }
    }

    /// When the session ended, once it has (the idempotency window runs from here).
    var endedAt: Instant? {
        get { storage.fields.endedAt }
        _modify { yield &storageForWriting().fields.endedAt }
    }

    // MARK: - Saving

    private enum CodingKeys: String, CodingKey {
        case machine, openedBy, transcript, service, windows, preferredStart, partySize, rescheduling
        case proposalCounter, questionCounter, consentCounter, grants, data, receipts, endedAt, timers, outbound
    }

    /// A grant as saved: the message and the token's wire text.
    private struct SavedGrant: Codable {
        var grant: Message.ConsentGrant
        var token: String
    }

    /// Disclosed data as saved: the token's wire text, the holder and the values.
    private struct SavedData: Codable {
        var token: String
        var holder: AgentID
        var session: SessionID?
        var values: [String: String]
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var fields = Fields(
            machine: try container.decode(SessionStateMachine.self, forKey: .machine),
            openedBy: try container.decode(AgentID.self, forKey: .openedBy))
        fields.transcript = try container.decode([Envelope].self, forKey: .transcript)
        fields.service = try container.decodeIfPresent(String.self, forKey: .service)
        fields.windows = try container.decode([TimeWindow].self, forKey: .windows)
        fields.preferredStart = try container.decodeIfPresent(Instant.self, forKey: .preferredStart)
        fields.partySize = try container.decodeIfPresent(Int.self, forKey: .partySize)
        fields.rescheduling = try container.decodeIfPresent(BookingRecord.self, forKey: .rescheduling).map(SharedBox.init)
        fields.proposalCounter = try container.decode(Int.self, forKey: .proposalCounter)
        fields.questionCounter = try container.decode(Int.self, forKey: .questionCounter)
        fields.consentCounter = try container.decode(Int.self, forKey: .consentCounter)
        for saved in try container.decode([SavedGrant].self, forKey: .grants) {
            fields.grants[saved.grant.tokenID] = (saved.grant, try Self.token(saved.token, in: container, key: .grants))
        }
        for saved in try container.decode([SavedData].self, forKey: .data) {
            let token = try Self.token(saved.token, in: container, key: .data)
            var values: [DataField: String] = [:]
            for (field, value) in saved.values {
                guard let name = DataField(rawValue: field) else {
                    throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "'\(field)' is not a data field")
                }
                values[name] = value
            }
            do {
                fields.data[token.id] = try ConsentedData(values: values, token: token, holder: saved.holder, session: saved.session)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: error.message)
            }
        }
        for receipt in try container.decode([ConsentReceipt].self, forKey: .receipts) { fields.receipts[receipt.tokenID] = receipt }
        fields.endedAt = try container.decodeIfPresent(Instant.self, forKey: .endedAt)
        for (name, at) in try container.decode([String: Instant].self, forKey: .timers) {
            guard let timer = SessionTimer(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .timers, in: container, debugDescription: "'\(name)' is not a timer")
            }
            fields.timers[timer] = at
        }
        fields.outbound = try container.decode([Envelope].self, forKey: .outbound)
        storage = Storage(fields)
    }

    private static func token(_ text: String, in container: KeyedDecodingContainer<CodingKeys>, key: CodingKeys) throws -> ConsentToken {
        do {
            return try ConsentToken(serialized: text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: error.message)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let fields = storage.fields
        try container.encode(fields.machine, forKey: .machine)
        try container.encode(fields.openedBy, forKey: .openedBy)
        try container.encode(fields.transcript, forKey: .transcript)
        try container.encodeIfPresent(fields.service, forKey: .service)
        try container.encode(fields.windows, forKey: .windows)
        try container.encodeIfPresent(fields.preferredStart, forKey: .preferredStart)
        try container.encodeIfPresent(fields.partySize, forKey: .partySize)
        try container.encodeIfPresent(fields.rescheduling?.value, forKey: .rescheduling)
        try container.encode(fields.proposalCounter, forKey: .proposalCounter)
        try container.encode(fields.questionCounter, forKey: .questionCounter)
        try container.encode(fields.consentCounter, forKey: .consentCounter)
        let grants = fields.grants.values.sorted { $0.grant.tokenID < $1.grant.tokenID }
        try container.encode(grants.map { SavedGrant(grant: $0.grant, token: $0.token.serialized) }, forKey: .grants)
        let data = fields.data.values.sorted { $0.token.id < $1.token.id }.map { data in
            SavedData(
                token: data.token.serialized, holder: data.holder, session: data.session,
                values: Dictionary(uniqueKeysWithValues: data.storedValues.map { ($0.key.rawValue, $0.value) }))
        }
        try container.encode(data, forKey: .data)
        try container.encode(fields.receipts.values.sorted { $0.tokenID < $1.tokenID }, forKey: .receipts)
        try container.encodeIfPresent(fields.endedAt, forKey: .endedAt)
        try container.encode(Dictionary(uniqueKeysWithValues: fields.timers.map { ($0.key.rawValue, $0.value) }), forKey: .timers)
        try container.encode(fields.outbound, forKey: .outbound)
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
