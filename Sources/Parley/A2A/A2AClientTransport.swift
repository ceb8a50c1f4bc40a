public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What went wrong talking to a company's A2A agent.
public enum A2ATransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP exchange failed (unreachable, timed out, an HTTP status, a bad URL).
    case http(HTTPTransportError)
    /// The agent answered with a JSON-RPC error.
    case rpc(A2AError)
    /// The agent card does not declare the Parley extension, or declares no A2A 1.0 JSON-RPC interface.
    case notParley(String)
    /// The agent's answer is not what `Spec/A2A.md` prescribes.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .http(let error): return error.description
        case .rpc(let error): return error.description
        case .notParley(let reason): return "not a Parley A2A agent: \(reason)"
        case .malformedResponse(let reason): return "the agent's answer is malformed: \(reason)"
        }
    }
}

/// A company's A2A agent card, as far as Parley needs it (`Spec/A2A.md` §2).
public struct A2AAgentCard: Sendable, Hashable {
    /// The URL the card was read from.
    public var cardURL: URL
    /// The agent's display name.
    public var name: String
    /// The absolute URL of its A2A 1.0 JSON-RPC interface.
    public var endpoint: URL
    /// The company's Parley agent id (the extension's `params.agent`), the `to` of every envelope.
    public var agent: AgentID
    /// The Parley protocol versions it speaks (`params.versions`).
    public var versions: [Int]
    /// Its Parley discovery document (`params.discovery`), for the time zone and services.
    public var discoveryURL: URL?
    /// Whether the card marks the extension `required`.
    public var required: Bool
}

/// A ``Transport`` to one company over A2A with the Parley extension (`Spec/A2A.md`), on
/// `URLSession`: a ``CustomerAgent`` books through it exactly as over ``HTTPClientTransport``.
///
/// Each envelope is one JSON-RPC `SendMessage` whose message holds the envelope as a data part;
/// the company's envelopes come back in the returned task's history. While the task is
/// `TASK_STATE_WORKING` (the company's turn) the transport polls `GetTask` for the envelopes the
/// company sends later. Replies arrive on ``inbound`` in sequence order, once each.
///
/// ```swift
/// let card = try await A2AClientTransport.resolve("salon.example")
/// let transport = A2AClientTransport(endpoint: card.endpoint, agent: lisa.id)
/// await lisa.connect(to: card.agent, over: transport)
/// let outcome = await lisa.book(at: card.agent)
/// ```
public actor A2AClientTransport: Transport {
    /// HTTP timeouts and retries, and the `GetTask` polling interval.
    public struct Configuration: Sendable, Hashable {
        /// Timeouts, retries and the plain-http switch, as for ``HTTPClientTransport``.
        public var http = HTTPClientTransport.Configuration()
        /// Seconds between two `GetTask` polls while the company is working.
        public var pollInterval: Double = 1
        /// How long to poll one working task before giving up, in seconds.
        public var maximumPolling: Double = 300

        /// The defaults.
        public init() {}
    }

    /// The JSON-RPC endpoint.
    public nonisolated let endpoint: URL
    /// The customer's agent id.
    public nonisolated let agent: AgentID
    /// Timeouts, retries and polling.
    public nonisolated let configuration: Configuration
    public nonisolated let inbound: AsyncStream<TransportEvent>
    private let sink: AsyncStream<TransportEvent>.Continuation
    private let session: URLSession
    private let codec: WireCodec
    private var delivered: [SessionID: Int] = [:]
    private var pending: [SessionID: [Int: Envelope]] = [:]
    private var pollers: [SessionID: Task<Void, Never>] = [:]
    private var isClosed = false
    private var nextRequest = 0
    /// The last error a request ended with, if any.
    public private(set) var lastFailure: A2ATransportError?

    /// Creates a transport to the JSON-RPC `endpoint` of an A2A agent for the customer `agent`.
    public init(endpoint: URL, agent: AgentID, configuration: Configuration = Configuration(), codec: WireCodec = WireCodec()) {
        self.endpoint = endpoint
        self.agent = agent
        self.configuration = configuration
        self.codec = codec
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.http.requestTimeout
        self.session = URLSession(configuration: sessionConfiguration)
        (inbound, sink) = AsyncStream.makeStream()
    }

    // MARK: - The agent card

    /// Reads the agent card of `location` (a host, an origin, or the card's URL), checks that it
    /// declares the Parley extension and an A2A 1.0 JSON-RPC interface, and returns what it says.
    public static func resolve(_ location: String, configuration: Configuration = Configuration()) async throws(A2ATransportError)
        -> A2AAgentCard
    {
        let text = location.contains("://") ? location : "https://\(location)"
        guard var components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw .http(.invalidURL("'\(location)' names no host"))
        }
        do {
            try HTTPClientTransport.checkScheme(components.scheme, host: host, allowsInsecureHTTP: configuration.http.allowsInsecureHTTP)
        } catch {
            throw .http(error)
        }
        components.path = ParleyA2A.agentCardPath
        components.query = nil
        guard let url = components.url else { throw .http(.invalidURL("'\(location)' is not a URL")) }
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.http.requestTimeout
        let session = URLSession(configuration: sessionConfiguration)
        defer { session.finishTasksAndInvalidate() }
        let status: Int
        let body: [UInt8]
        do {
            (status, _, body, _) = try await HTTPClientTransport.perform(
                request, session: session, attempts: configuration.http.maximumAttempts, configuration: configuration.http)
        } catch { throw .http(error) }
        guard status == 200 else { throw .http(.status(status, problem: HTTPClientTransport.problemCode(body))) }
        guard body.count <= ParleyHTTP.maximumDiscoveryBytes, let card = try? JSONParser.parse(body) else {
            throw .malformedResponse("the agent card is not JSON within \(ParleyHTTP.maximumDiscoveryBytes) bytes")
        }
        return try parseCard(card, url: url, allowsInsecureHTTP: configuration.http.allowsInsecureHTTP)
    }

    static func parseCard(_ card: JSONValue, url: URL, allowsInsecureHTTP: Bool) throws(A2ATransportError) -> A2AAgentCard {
        guard case .object(let members) = card else { throw .malformedResponse("the agent card is not an object") }
        guard case .object(let capabilities)? = members["capabilities"], case .array(let extensions)? = capabilities["extensions"],
            let declared = extensions.first(where: { CompanyA2ABinding.objectMember($0, "uri") == .string(ParleyA2A.extensionURI) }),
            case .object(let params)? = CompanyA2ABinding.objectMember(declared, "params")
        else { throw .notParley("capabilities.extensions does not declare \(ParleyA2A.extensionURI) with params") }
        guard case .string(let agentText)? = params["agent"], let agent = AgentID(rawValue: agentText) else {
            throw .notParley("the extension's params.agent is not an agent id")
        }
        var versions: [Int] = []
        if case .array(let list)? = params["versions"] {
            for case .number(let number) in list where number.rounded() == number && abs(number) < 1e6 { versions.append(Int(number)) }
        }
        guard versions.contains(where: ParleyProtocol.supportedVersions.contains) else { throw .notParley("no common Parley version") }
        guard case .array(let interfaces)? = members["supportedInterfaces"] else { throw .notParley("no supportedInterfaces") }
        var endpoint: URL?
        for case .object(let interface) in interfaces {
            guard interface["protocolBinding"] == .string("JSONRPC"), case .string(let version)? = interface["protocolVersion"],
                version == "1.0" || version.hasPrefix("1."), case .string(let address)? = interface["url"],
                let resolved = URL(string: address, relativeTo: url)?.absoluteURL, let host = resolved.host,
                (try? HTTPClientTransport.checkScheme(resolved.scheme, host: host, allowsInsecureHTTP: allowsInsecureHTTP)) != nil
            else { continue }
            endpoint = resolved
            break
        }
        guard let endpoint else { throw .notParley("no usable A2A 1.0 JSONRPC interface") }
        var discovery: URL?
        if case .string(let address)? = params["discovery"] { discovery = URL(string: address, relativeTo: url)?.absoluteURL }
        var name = ""
        if case .string(let text)? = members["name"] { name = text }
        return A2AAgentCard(
            cardURL: url, name: name, endpoint: endpoint, agent: agent, versions: versions, discoveryURL: discovery,
            required: CompanyA2ABinding.objectMember(declared, "required") == .bool(true))
    }

    // MARK: - Transport

    public func send(_ envelope: Envelope) async throws(ParleyError) {
        guard !isClosed else { throw ParleyError(.sessionClosed, "the A2A transport is closed", fault: .local) }
        let params = JSONValue.object([
            "message": .object([
                "messageId": .string(envelope.id.rawValue), "contextId": .string(envelope.session.rawValue), "role": .string("ROLE_USER"),
                "parts": .array([CompanyA2ABinding.part(envelope)]), "extensions": .array([.string(ParleyA2A.extensionURI)]),
            ])
        ])
        let state: String?
        do throws(A2ATransportError) {
            let result = try await call("SendMessage", params: params)
            if case .object(let task)? = CompanyA2ABinding.objectMember(result, "task") {
                state = take(task)
            } else if case .object(let message)? = CompanyA2ABinding.objectMember(result, "message") {
                deliver(Self.envelopes(in: message, codec: codec))
                state = nil
            } else {
                throw .malformedResponse("SendMessage returned neither a task nor a message")
            }
        } catch {
            lastFailure = error
            throw ParleyError(.internalError, "A2A: \(error)", fault: .local)
        }
        if state == A2ATaskState.working.rawValue, envelope.kind != .close, pollers[envelope.session] == nil {
            startPolling(envelope.session)
        }
    }

    /// Reads the task of `session` with `GetTask` and returns its state's wire name; its
    /// envelopes are put on ``inbound`` (each once, in order).
    @discardableResult
    public func refresh(_ session: SessionID) async throws(A2ATransportError) -> String? {
        let result = try await call("GetTask", params: .object(["id": .string(session.rawValue)]))
        guard case .object(let task) = result else { throw .malformedResponse("GetTask returned no task") }
        return take(task)
    }

    /// Makes one JSON-RPC call with the Parley extension activated and returns its `result`.
    public func call(_ method: String, params: JSONValue) async throws(A2ATransportError) -> JSONValue {
        nextRequest += 1
        let body = JSONValue.object([
            "jsonrpc": .string("2.0"), "id": .number(Double(nextRequest)), "method": .string(method), "params": params,
        ])
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(ParleyA2A.protocolVersion, forHTTPHeaderField: ParleyA2A.versionHeader)
        request.setValue(ParleyA2A.extensionURI, forHTTPHeaderField: ParleyA2A.extensionsHeader)
        request.httpBody = Data(CanonicalJSON.compactCanonicalBytes(body))
        let status: Int
        let answer: [UInt8]
        do {
            (status, _, answer, _) = try await HTTPClientTransport.perform(
                request, session: session, attempts: configuration.http.maximumAttempts, configuration: configuration.http)
        } catch { throw .http(error) }
        guard status == 200 else { throw .http(.status(status, problem: HTTPClientTransport.problemCode(answer))) }
        let limits = WireLimits(maximumBytes: 64 * WireLimits.standard.maximumBytes, maximumDepth: WireLimits.standard.maximumDepth + 8)
        guard case .object(let members)? = try? JSONParser.parse(answer, limits: limits) else {
            throw .malformedResponse("the JSON-RPC response is not a JSON object")
        }
        if case .object(let error)? = members["error"] {
            guard case .number(let code)? = error["code"], abs(code) < 1e9 else { throw .malformedResponse("error.code is not a number") }
            var reason = ""
            if case .array(let details)? = error["data"],
                case .string(let text)? = details.first.flatMap({ CompanyA2ABinding.objectMember($0, "reason") })
            {
                reason = text
            }
            var message = ""
            if case .string(let text)? = error["message"] { message = text }
            throw .rpc(A2AError(code: Int(code), reason: reason, message: message))
        }
        guard let result = members["result"] else { throw .malformedResponse("the response has neither result nor error") }
        return result
    }

    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        for poller in pollers.values { poller.cancel() }
        pollers.removeAll()
        sink.finish()
        session.finishTasksAndInvalidate()
    }

    // MARK: - Internals

    /// Delivers a task's envelopes and returns its state's wire name.
    private func take(_ task: [String: JSONValue]) -> String? {
        var envelopes: [TransportEvent] = []
        if case .array(let history)? = task["history"] {
            for case .object(let message) in history { envelopes += Self.envelopes(in: message, codec: codec) }
        }
        deliver(envelopes)
        guard case .object(let status)? = task["status"], case .string(let state)? = status["state"] else { return nil }
        return state
    }

    /// The envelopes in the Parley parts of an agent message.
    static func envelopes(in message: [String: JSONValue], codec: WireCodec) -> [TransportEvent] {
        guard message["role"] == .string("ROLE_AGENT"), case .array(let parts)? = message["parts"] else { return [] }
        return parts.filter(CompanyA2ABinding.isParleyPart).compactMap { part in
            guard let data = CompanyA2ABinding.objectMember(part, "data") else { return nil }
            return TransportEvent.decoding(CanonicalJSON.compactCanonicalBytes(data), with: codec)
        }
    }

    /// Puts envelopes on ``inbound`` in sequence order per session, each once.
    private func deliver(_ events: [TransportEvent]) {
        for event in events {
            guard case .envelope(let envelope) = event else {
                sink.yield(event)
                continue
            }
            let session = envelope.session
            let last = delivered[session] ?? 0
            guard envelope.sequence > last else { continue }
            pending[session, default: [:]][envelope.sequence] = envelope
            var next = last
            while let ready = pending[session]?.removeValue(forKey: next + 1) {
                sink.yield(.envelope(ready))
                next += 1
            }
            delivered[session] = next
            if pending[session]?.isEmpty == true { pending[session] = nil }
        }
    }

    private func startPolling(_ session: SessionID) {
        let interval = max(0.05, configuration.pollInterval)
        let rounds = Int(configuration.maximumPolling / interval)
        pollers[session] = Task { [weak self] in
            for _ in 0..<max(1, rounds) {
                do { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) } catch { return }
                guard let self else { return }
                let state = try? await self.refresh(session)
                if let state, state != A2ATaskState.working.rawValue { break }
            }
            await self?.stoppedPolling(session)
        }
    }

    private func stoppedPolling(_ session: SessionID) {
        pollers[session] = nil
    }
}
