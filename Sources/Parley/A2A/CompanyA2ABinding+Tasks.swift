extension CompanyA2ABinding {
    // MARK: - SendMessage (Spec/A2A.md §3, §4.1)

    func sendMessage(_ params: [String: JSONValue], client: String?) async -> Result<JSONValue, A2AError> {
        guard case .object(let message)? = params["message"] else { return .failure(.invalidParams("params.message is missing")) }
        guard message["role"] == .string("ROLE_USER") else { return .failure(.invalidParams("message.role must be ROLE_USER")) }
        guard case .string(let messageID)? = message["messageId"], !messageID.isEmpty else {
            return .failure(.invalidParams("message.messageId is missing"))
        }
        guard case .array(let parts)? = message["parts"] else { return .failure(.invalidParams("message.parts is missing")) }
        let parley = parts.filter { Self.isParleyPart($0) }
        guard let part = parley.first else {
            let hasData = parts.contains { Self.objectMember($0, "data") != nil }
            return .failure(
                A2AError(
                    code: A2AError.contentTypeNotSupportedCode, reason: hasData ? "PARLEY_MEDIA_TYPE_REQUIRED" : "PARLEY_PART_MISSING",
                    message: hasData
                        ? "a data part carrying an envelope must have mediaType \(ParleyA2A.partMediaType)"
                        : "this agent speaks Parley only: send one envelope as a data part of mediaType \(ParleyA2A.partMediaType)"))
        }
        guard parley.count == 1 else { return .failure(.invalidParams("one Parley part per message", reason: "ONE_ENVELOPE_PER_MESSAGE")) }
        guard case .object(let envelope)? = Self.objectMember(part, "data") else {
            return .failure(.invalidParams("the Parley part's data is not a JSON object", reason: "INVALID_ENVELOPE"))
        }
        if case .string(let id)? = envelope["id"], id != messageID {
            return .failure(.invalidParams("message.messageId must be the envelope's id", reason: "MESSAGE_ID_MISMATCH"))
        }
        let sessionText: String?
        if case .string(let text)? = envelope["session"] { sessionText = text } else { sessionText = nil }
        if let contextID = message["contextId"], contextID != .string(""), sessionText.map({ contextID != .string($0) }) ?? true {
            return .failure(.invalidParams("message.contextId must be the envelope's session", reason: "CONTEXT_MISMATCH"))
        }
        if let taskID = message["taskId"], taskID != .string(""), sessionText.map({ taskID != .string($0) }) ?? true {
            return .failure(.taskNotFound)
        }
        let session = sessionText.flatMap { SessionID(rawValue: $0) }
        if let session, let record = await contexts.record(session) {
            guard envelope["from"] == .string(record.customer.rawValue) else { return .failure(.taskNotFound) }
            if let taskID = message["taskId"], taskID != .string(""), await state(of: session)?.isTerminal == true {
                return .failure(
                    A2AError(
                        code: A2AError.unsupportedOperationCode, reason: "TASK_TERMINAL",
                        message: "the task is terminal: send the session's later envelopes with contextId only (Spec/A2A.md §5)"))
            }
        }
        let response = await http.respond(
            to: ParleyHTTPRequest(
                method: "POST", target: http.configuration.endpointPath, headers: [("Content-Type", ParleyHTTP.envelopeMediaType)],
                body: CanonicalJSON.compactCanonicalBytes(.object(envelope)), client: client))
        switch response.status {
        case 200: break
        case 400, 413:
            return .failure(
                .invalidParams("the Parley part holds no envelope Parley can answer: \(Self.problem(response))", reason: "INVALID_ENVELOPE")
            )
        case 429:
            var error = A2AError(code: A2AError.internalErrorCode, reason: "RATE_LIMITED", message: "too many requests from this client")
            error.retryAfter = response.headers["Retry-After"].flatMap { Int($0) } ?? 1
            return .failure(error)
        default:
            return .failure(
                A2AError(code: A2AError.internalErrorCode, reason: "INTERNAL", message: "HTTP binding answered \(response.status)"))
        }
        let replies = response.body.split(separator: 0x0A).compactMap { try? http.codec.decode(Array($0)) }
        guard let session, await http.agent.phase(of: session) != nil,
            case .string(let fromText)? = envelope["from"], let customer = AgentID(rawValue: fromText)
        else {
            // No session came of it (a refused first envelope): the replies as one agent message.
            guard !replies.isEmpty else {
                return .failure(
                    .invalidParams("the company took no session up from this envelope (is `to` its agent id?)", reason: "NOT_ACCEPTED"))
            }
            return .success(
                .object([
                    "message": Self.message(
                        id: "re-" + messageID, context: sessionText ?? "", task: nil, role: "ROLE_AGENT", envelopes: replies)
                ]))
        }
        if await contexts.open(session, customer: customer) { await forgetEndedContexts() }
        return .success(.object(["task": await task(session, historyLength: Self.historyLength(params["configuration"]))]))
    }

    static func isParleyPart(_ part: JSONValue) -> Bool {
        guard case .string(let type)? = objectMember(part, "mediaType") else { return false }
        let bare = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        return bare == ParleyA2A.partMediaType
    }

    static func problem(_ response: ParleyHTTPResponse) -> String {
        guard case .object(let members)? = try? JSONParser.parse(response.body), case .string(let code)? = members["problem"] else {
            return "HTTP \(response.status)"
        }
        return code
    }

    static func historyLength(_ configuration: JSONValue?) -> Int? {
        guard case .number(let number)? = configuration.flatMap({ objectMember($0, "historyLength") }), number >= 0, number <= 1_000_000
        else { return nil }
        return Int(number)
    }

    // MARK: - GetTask, CancelTask (§4.2, §4.3)

    func getTask(_ params: [String: JSONValue], agent: String?) async -> Result<JSONValue, A2AError> {
        guard case .string(let id)? = params["id"] else { return .failure(.invalidParams("params.id is missing")) }
        guard let session = SessionID(rawValue: id), let record = await contexts.record(session) else { return .failure(.taskNotFound) }
        if let agent, agent.trimmingSpaces != record.customer.rawValue { return .failure(.taskNotFound) }
        var length: Int? = nil
        if case .number(let number)? = params["historyLength"], number >= 0, number <= 1_000_000 { length = Int(number) }
        return .success(await task(session, historyLength: length))
    }

    func cancelTask(_ params: [String: JSONValue]) async -> Result<JSONValue, A2AError> {
        guard case .string(let id)? = params["id"] else { return .failure(.invalidParams("params.id is missing")) }
        guard let session = SessionID(rawValue: id), await contexts.record(session) != nil else { return .failure(.taskNotFound) }
        return .failure(
            A2AError(
                code: A2AError.taskNotCancelableCode, reason: "CLOSE_BY_ENVELOPE",
                message: "a Parley session ends by the customer's close envelope, sent with SendMessage (Spec/A2A.md §4.3)"))
    }

    // MARK: - Tasks

    /// Drops the contexts whose sessions the outbox has forgotten (`HTTP.md` §3.4 retention): their
    /// tasks are gone with them. Called when the table has doubled since the last sweep, so the
    /// cost per opened context stays constant and the table stays bounded by the live sessions.
    func forgetEndedContexts() async {
        for (session, customer) in await contexts.all() {
            if case .unknown = await http.outbox.collect(session: session, peer: customer, after: Int.max, wait: 0, parkedLimit: 1) {
                await contexts.remove(session)
            }
        }
        await contexts.swept()
    }

    /// The task's state: the phase's state, except that a terminal state, once reached, stays.
    func state(of session: SessionID) async -> A2ATaskState? {
        guard let record = await contexts.record(session) else { return nil }
        if let terminal = record.terminal { return terminal }
        guard let phase = await http.agent.phase(of: session) else { return .canceled }
        let state = A2ATaskState(phase: phase)
        if state.isTerminal { await contexts.settle(session, state) }
        return state
    }

    /// The A2A task of `session`: its state, the company's envelopes as history, bookings as artifacts.
    func task(_ session: SessionID, historyLength: Int?) async -> JSONValue {
        let state = await state(of: session) ?? .canceled
        let customer = await contexts.record(session)?.customer
        var envelopes: [Envelope] = []
        if let customer,
            case .envelopes(let all) = await http.outbox.collect(session: session, peer: customer, after: 0, wait: 0, parkedLimit: 1)
        {
            envelopes = all
        }
        let id = session.rawValue
        var status: [String: JSONValue] = ["state": .string(state.rawValue), "timestamp": .string(http.clock.now.rfc3339)]
        if let last = envelopes.last {
            status["message"] = Self.message(id: last.id.rawValue, context: id, task: id, role: "ROLE_AGENT", envelopes: [last])
        }
        let shown = historyLength.map { Array(envelopes.suffix($0)) } ?? envelopes
        let artifacts = envelopes.filter { $0.kind == .confirm }.map { envelope -> JSONValue in
            .object([
                "artifactId": .string("confirm-" + envelope.id.rawValue), "name": .string("booking"),
                "parts": .array([Self.part(envelope)]), "extensions": .array([.string(ParleyA2A.extensionURI)]),
            ])
        }
        return .object([
            "id": .string(id), "contextId": .string(id), "status": .object(status),
            "history": .array(shown.map { Self.message(id: $0.id.rawValue, context: id, task: id, role: "ROLE_AGENT", envelopes: [$0]) }),
            "artifacts": .array(artifacts),
        ])
    }

    static func part(_ envelope: Envelope) -> JSONValue {
        .object(["data": envelope.json, "mediaType": .string(ParleyA2A.partMediaType)])
    }

    static func message(id: String, context: String, task: String?, role: String, envelopes: [Envelope]) -> JSONValue {
        var members: [String: JSONValue] = [
            "messageId": .string(id), "contextId": .string(context), "role": .string(role),
            "parts": .array(envelopes.map(part)), "extensions": .array([.string(ParleyA2A.extensionURI)]),
        ]
        if let task { members["taskId"] = .string(task) }
        return .object(members)
    }
}

extension A2AError {
    static func invalidParams(_ message: String, reason: String = "INVALID_PARAMS") -> A2AError {
        A2AError(code: invalidParamsCode, reason: reason, message: message)
    }

    static let taskNotFound = A2AError(code: taskNotFoundCode, reason: "TASK_NOT_FOUND", message: "no such task")
}

/// The A2A contexts the binding has opened: each session's customer (only that agent's envelopes
/// reach the session through A2A) and its terminal task state, once reached.
actor A2AContexts {
    struct Record: Sendable {
        var customer: AgentID
        var terminal: A2ATaskState?
    }

    private var records: [SessionID: Record] = [:]
    private var sweepAt = 1024

    func record(_ session: SessionID) -> Record? { records[session] }

    /// Binds `session` to `customer` if it is new; returns whether the table is due for a sweep.
    func open(_ session: SessionID, customer: AgentID) -> Bool {
        if records[session] == nil { records[session] = Record(customer: customer) }
        return records.count >= sweepAt
    }

    func all() -> [(SessionID, AgentID)] { records.map { ($0.key, $0.value.customer) } }

    func remove(_ session: SessionID) { records[session] = nil }

    func swept() { sweepAt = max(1024, 2 * records.count) }

    var count: Int { records.count }

    func settle(_ session: SessionID, _ state: A2ATaskState) {
        if records[session]?.terminal == nil { records[session]?.terminal = state }
    }
}
