/// Parley as an A2A extension, for a company (`Spec/A2A.md`): the A2A JSON-RPC binding (A2A 1.0)
/// in front of the same agent, the same session state and the same outbox as a
/// ``CompanyHTTPBinding``. Sans-I/O like it: request values in, response values out.
///
/// ```swift
/// let http = CompanyHTTPBinding(agent: salon, clock: SystemClock())
/// let a2a = CompanyA2ABinding(http: http)
/// // in the server's handler, for every request (A2A paths are answered, the rest goes to `http`):
/// let response = await a2a.respond(to: ParleyHTTPRequest(method: "POST", target: "/a2a", headers: headers, body: body))
/// ```
///
/// It serves the agent card (`GET /.well-known/agent-card.json`) and the JSON-RPC endpoint
/// (`POST /a2a`: `SendMessage`, `GetTask`, `CancelTask`); every other request is handed to the
/// HTTP binding, so one handler can host both. Each Parley envelope travels as an A2A data part
/// of media type ``ParleyA2A/partMediaType``; the session is the A2A context and the task.
public final class CompanyA2ABinding: Sendable {
    /// The binding's paths and limits.
    public struct Configuration: Sendable, Hashable {
        /// The JSON-RPC endpoint's path.
        public var endpointPath = "/a2a"
        /// The origin the agent card names its endpoint on (`https://salon.example`); `nil` takes
        /// the request's `Host` header (`http://` for loopback hosts, `https://` otherwise).
        public var origin: String? = nil
        /// The largest JSON-RPC request body accepted: twice `MAX_ENVELOPE_BYTES`, room for one
        /// envelope and the A2A wrapping. A host collecting the body MUST stop here and answer 413.
        public var maximumBodyBytes = 2 * WireLimits.standard.maximumBytes
        /// The agent card's `description`; `nil` writes one from the company's name.
        public var description: String? = nil

        /// The defaults of `Spec/A2A.md`.
        public init() {}
    }

    /// The Parley HTTP binding whose agent, sessions and outbox this binding shares.
    public let http: CompanyHTTPBinding
    /// Its configuration.
    public let configuration: Configuration
    let contexts = A2AContexts()

    /// Creates the A2A binding in front of `http`: both serve the same agent and sessions.
    public init(http: CompanyHTTPBinding, configuration: Configuration = Configuration()) {
        self.http = http
        self.configuration = configuration
    }

    /// Answers one HTTP request. Never throws: A2A failures are JSON-RPC errors (`Spec/A2A.md` §6),
    /// requests for other paths are answered by ``http``.
    public func respond(to request: ParleyHTTPRequest) async -> ParleyHTTPResponse {
        switch request.path {
        case ParleyA2A.agentCardPath:
            guard request.method == "GET" || request.method == "HEAD" else {
                return .problem(405, "method-not-allowed", "use GET, HEAD", headers: ["Allow": "GET, HEAD"])
            }
            let card = CanonicalJSON.compactCanonicalBytes(agentCard(origin: origin(of: request))) + [0x0A]
            return ParleyHTTPResponse(
                status: 200,
                headers: ["Content-Type": "application/json", "Cache-Control": "public, max-age=\(http.configuration.discoveryMaxAge)"],
                body: request.method == "HEAD" ? [] : card)
        case configuration.endpointPath:
            guard request.method == "POST" else { return .problem(405, "method-not-allowed", "use POST", headers: ["Allow": "POST"]) }
            return await call(request)
        default:
            return await http.respond(to: request)
        }
    }

    /// The origin that absolute URLs in the agent card are built on.
    func origin(of request: ParleyHTTPRequest) -> String {
        if let origin = configuration.origin { return origin }
        let host = request.header("Host")?.trimmingSpaces ?? "localhost"
        let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }) + "]" : String(host.prefix { $0 != ":" })
        return (HTTPClientTransport.isLoopback(name) ? "http://" : "https://") + host
    }

    /// The agent card (`Spec/A2A.md` §2) with its URLs on `origin`.
    public func agentCard(origin: String) -> JSONValue {
        let profile = http.agent.profile
        let modes = JSONValue.array([.string(ParleyA2A.partMediaType)])
        let parameters = JSONValue.object([
            "versions": .array(ParleyProtocol.supportedVersions.map { .number(Double($0)) }),
            "agent": .string(profile.id.rawValue),
            "discovery": .string(origin + ParleyHTTP.discoveryPath),
            "mediaType": .string(ParleyA2A.partMediaType),
        ])
        return .object([
            "name": .string(profile.name),
            "description": .string(configuration.description ?? "\(profile.name): books appointments by Parley negotiation with consent"),
            "version": .string("1"),
            "supportedInterfaces": .array([
                .object([
                    "url": .string(origin + configuration.endpointPath), "protocolBinding": .string("JSONRPC"),
                    "protocolVersion": .string(ParleyA2A.protocolVersion),
                ])
            ]),
            "capabilities": .object([
                "streaming": .bool(false), "pushNotifications": .bool(false),
                "extensions": .array([
                    .object([
                        "uri": .string(ParleyA2A.extensionURI),
                        "description": .string("Parley: offers, consent tokens and bookings as envelopes in data parts (Spec/A2A.md)"),
                        "required": .bool(true), "params": parameters,
                    ])
                ]),
            ]),
            "defaultInputModes": modes, "defaultOutputModes": modes,
            "skills": .array([
                .object([
                    "id": .string("parley-booking"), "name": .string("Book by Parley"),
                    "description": .string("Negotiate and book a service; personal data only under consent tokens"),
                    "tags": .array([.string("booking"), .string("parley")]), "inputModes": modes, "outputModes": modes,
                ])
            ]),
        ])
    }

    // MARK: - JSON-RPC

    private func call(_ request: ParleyHTTPRequest) async -> ParleyHTTPResponse {
        if let declared = request.header("Content-Length").flatMap({ Int($0.trimmingSpaces) }), declared > configuration.maximumBodyBytes {
            return .problem(413, "too-large", "the body exceeds \(configuration.maximumBodyBytes) bytes")
        }
        guard request.body.count <= configuration.maximumBodyBytes else {
            return .problem(413, "too-large", "the body exceeds \(configuration.maximumBodyBytes) bytes")
        }
        let activated = Self.activatedExtensions(request).contains(ParleyA2A.extensionURI)
        let limits = WireLimits(maximumBytes: configuration.maximumBodyBytes, maximumDepth: WireLimits.standard.maximumDepth + 6)
        guard let parsed = try? JSONParser.parse(request.body, limits: limits) else {
            return rpcError(
                .null, A2AError(code: A2AError.parseErrorCode, reason: "PARSE_ERROR", message: "the body is not JSON within the limits"),
                activated)
        }
        guard case .object(let object) = parsed, object["jsonrpc"] == .string("2.0"), case .string(let method)? = object["method"],
            let id = object["id"], Self.isValidID(id)
        else {
            let id = Self.objectMember(parsed, "id").flatMap { Self.isValidID($0) ? $0 : nil } ?? .null
            return rpcError(
                id, A2AError(code: A2AError.invalidRequestCode, reason: "INVALID_REQUEST", message: "not a JSON-RPC 2.0 request"), activated
            )
        }
        if let version = request.header(ParleyA2A.versionHeader)?.trimmingSpaces, !version.isEmpty, version != "1.0", version != "1" {
            return rpcError(
                id, A2AError(code: A2AError.versionNotSupportedCode, reason: "VERSION_NOT_SUPPORTED", message: "this agent speaks A2A 1.0"),
                activated)
        }
        let params: [String: JSONValue]
        switch object["params"] {
        case .object(let members)?: params = members
        case nil: params = [:]
        default:
            return rpcError(
                id, A2AError(code: A2AError.invalidParamsCode, reason: "INVALID_PARAMS", message: "params is not an object"), activated)
        }
        let result: Result<JSONValue, A2AError>
        switch method {
        case "SendMessage":
            guard activated else {
                result = .failure(
                    A2AError(
                        code: A2AError.extensionSupportRequiredCode, reason: "EXTENSION_REQUIRED",
                        message: "activate \(ParleyA2A.extensionURI) in the A2A-Extensions header"))
                break
            }
            result = await sendMessage(params, client: request.client)
        case "GetTask": result = await getTask(params, agent: request.header(ParleyHTTP.agentHeader))
        case "CancelTask": result = await cancelTask(params)
        case "SendStreamingMessage", "SubscribeToTask", "ListTasks":
            result = .failure(
                A2AError(
                    code: A2AError.unsupportedOperationCode, reason: "UNSUPPORTED_OPERATION",
                    message: "\(method) is not offered (Spec/A2A.md §4)"))
        case "CreateTaskPushNotificationConfig", "GetTaskPushNotificationConfig", "ListTaskPushNotificationConfigs",
            "DeleteTaskPushNotificationConfig":
            result = .failure(
                A2AError(
                    code: A2AError.pushNotificationNotSupportedCode, reason: "PUSH_NOT_SUPPORTED",
                    message: "push notifications are not offered"))
        case "GetExtendedAgentCard":
            result = .failure(
                A2AError(
                    code: A2AError.extendedAgentCardNotConfiguredCode, reason: "NO_EXTENDED_CARD",
                    message: "there is no extended agent card"))
        default:
            result = .failure(
                A2AError(code: A2AError.methodNotFoundCode, reason: "METHOD_NOT_FOUND", message: "no method \(method.prefix(64))"))
        }
        switch result {
        case .success(let value):
            return rpcResponse(.object(["jsonrpc": .string("2.0"), "id": id, "result": value]), activated)
        case .failure(let error):
            return rpcError(id, error, activated)
        }
    }

    static func isValidID(_ id: JSONValue) -> Bool {
        switch id {
        case .string, .number, .null: return true
        case .bool, .array, .object: return false
        }
    }

    static func objectMember(_ value: JSONValue, _ name: String) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        return members[name]
    }

    /// The extension URIs a request activates, from `A2A-Extensions` and `X-A2A-Extensions`.
    static func activatedExtensions(_ request: ParleyHTTPRequest) -> Set<String> {
        var uris = Set<String>()
        for (name, value) in request.headers {
            let lower = name.lowercased()
            guard lower == ParleyA2A.extensionsHeader.lowercased() || lower == ParleyA2A.legacyExtensionsHeader.lowercased() else {
                continue
            }
            for item in value.split(separator: ",") { uris.insert(item.trimmingSpaces) }
        }
        return uris
    }

    private func rpcResponse(_ value: JSONValue, _ activated: Bool, headers extra: [String: String] = [:]) -> ParleyHTTPResponse {
        var headers = ["Content-Type": "application/json", "Cache-Control": "no-store"].merging(extra) { $1 }
        if activated { headers[ParleyA2A.extensionsHeader] = ParleyA2A.extensionURI }
        return ParleyHTTPResponse(status: 200, headers: headers, body: CanonicalJSON.compactCanonicalBytes(value) + [0x0A])
    }

    private func rpcError(_ id: JSONValue, _ error: A2AError, _ activated: Bool) -> ParleyHTTPResponse {
        var headers: [String: String] = [:]
        if let retry = error.retryAfter { headers["Retry-After"] = String(retry) }
        let detail = JSONValue.object([
            "@type": .string("type.googleapis.com/google.rpc.ErrorInfo"), "reason": .string(error.reason),
            "domain": .string(ParleyA2A.errorDomain),
        ])
        let body = JSONValue.object([
            "jsonrpc": .string("2.0"), "id": id,
            "error": .object(["code": .number(Double(error.code)), "message": .string(error.message), "data": .array([detail])]),
        ])
        return rpcResponse(body, activated, headers: headers)
    }
}
