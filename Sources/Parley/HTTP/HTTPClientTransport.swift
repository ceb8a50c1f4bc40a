public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What went wrong talking to a company over HTTP: typed, so that an assistant can tell the
/// person something precise ("the salon's bot is unreachable", not a stack trace).
public enum HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No connection could be made (DNS, refused, TLS, network down), with the system's reason.
    case unreachable(String)
    /// The company did not answer within the timeout.
    case timedOut
    /// The company answered with an HTTP status the binding does not expect here, and its problem code.
    case status(Int, problem: String?)
    /// The company refused because of rate or load; retry after this many seconds.
    case busy(status: Int, retryAfter: Int?)
    /// The company's answer is not what `Spec/HTTP.md` prescribes (wrong media type, unparseable body).
    case malformedResponse(String)
    /// The discovery document is refused.
    case invalidDiscovery(DiscoveryDocument.Problem)
    /// A URL is unusable (not `https` outside loopback, or unparseable).
    case invalidURL(String)
    /// The request was cancelled, or the transport was closed.
    case cancelled
    /// The company's response is not signed by a key of the company, or its signature or
    /// `Content-Digest` is refused (`Spec/HTTP.md` §7.4).
    case badSignature(HTTPSignatureError)

    public var description: String {
        switch self {
        case .unreachable(let reason): return "the company is unreachable: \(reason)"
        case .timedOut: return "the company did not answer in time"
        case .status(let status, let problem): return "HTTP \(status)\(problem.map { " (\($0))" } ?? "")"
        case .busy(let status, let retry): return "the company is busy (HTTP \(status))\(retry.map { "; retry after \($0) s" } ?? "")"
        case .malformedResponse(let reason): return "the company's answer is malformed: \(reason)"
        case .invalidDiscovery(let problem): return "invalid discovery document: \(problem)"
        case .invalidURL(let reason): return "invalid URL: \(reason)"
        case .cancelled: return "cancelled"
        case .badSignature(let error): return "the company's response signature is refused: \(error)"
        }
    }

    /// Whether sending the same request again later may succeed.
    var isRetryable: Bool {
        switch self {
        case .unreachable, .timedOut, .busy: return true
        case .status(let status, _): return status == 502 || status == 504
        case .malformedResponse, .invalidDiscovery, .invalidURL, .cancelled, .badSignature: return false
        }
    }
}

/// A company found by discovery: its validated document and the exchange endpoint to use.
public struct DiscoveredCompany: Sendable, Hashable {
    /// The validated discovery document.
    public var document: DiscoveryDocument
    /// The absolute exchange endpoint (the first usable one of the document's).
    public var endpoint: URL
    /// The URL the document was finally read from (after redirects).
    public var discoveryURL: URL
    /// What the document's signatures showed (`Spec/HTTP.md` §2.5).
    public var signatureStatus: DiscoveryDocument.SignatureStatus
    /// The company's keys, to verify its responses with: the document's keys when its
    /// signatures verified, else none.
    public var verifiedKeys: [PublicSigningKey] {
        if case .verified = signatureStatus { return document.keys }
        return []
    }
}

/// A ``Transport`` to one company over the Parley HTTP binding (`Spec/HTTP.md`), on `URLSession`.
///
/// Each envelope is one `POST`; the company's immediate replies come back in its response.
/// Messages the company sends later are collected by one long poll per open session. Replies
/// arrive on ``inbound`` in sequence order, once each, whichever way they came. Failed requests
/// are retried with exponential backoff (safe: envelopes are idempotent by id, `PROTOCOL.md` §5.5).
///
/// ```swift
/// let company = try await HTTPClientTransport.discover("salon.example")
/// let transport = HTTPClientTransport(company: company, agent: lisa.id, signingKey: lisaKey)
/// await lisa.connect(to: company.document.agent, over: transport)
/// let outcome = await lisa.book(at: company.document.agent)
/// ```
public actor HTTPClientTransport: Transport {
    /// Timeouts, retries and polling.
    public struct Configuration: Sendable, Hashable {
        /// How long one request may take before it counts as timed out, in seconds (polls get their wait on top).
        public var requestTimeout: Double = 10
        /// How many times a request is tried in all before its error is reported.
        public var maximumAttempts = 4
        /// The first retry's delay, in seconds; each later one doubles, up to ``maximumBackoff``, with jitter.
        public var initialBackoff: Double = 0.2
        /// The longest delay between two attempts, in seconds.
        public var maximumBackoff: Double = 5
        /// How long the server may park one poll, in seconds.
        public var pollWait = 25
        /// Allows plain `http` to hosts other than loopback (tests on private networks only).
        public var allowsInsecureHTTP = false
        /// Keys pinned for the company (from an earlier visit or given out of band): discovery
        /// then requires a signature by one of them (`Spec/HTTP.md` §2.6).
        public var pinnedCompanyKeys: [PublicSigningKey] = []

        /// The defaults.
        public init() {}
    }

    /// The exchange endpoint.
    public nonisolated let endpoint: URL
    /// The customer's agent id, sent with polls.
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
    private let signingKey: SigningKey?
    private let clock: any AgentClock
    /// The company's keys: when not empty, every response must be signed by one of them.
    public nonisolated let companyKeys: [PublicSigningKey]
    /// The last error a request ended with after its retries, if any.
    public private(set) var lastFailure: HTTPTransportError?

    /// Creates a transport to `endpoint` for the customer `agent`.
    ///
    /// - Parameters:
    ///   - endpoint: the company's exchange endpoint (``DiscoveredCompany/endpoint``).
    ///   - agent: the customer's agent id, sent as `Parley-Agent`.
    ///   - configuration: timeouts, retries and polling.
    ///   - codec: the wire codec envelopes are encoded and decoded with.
    ///   - signingKey: the customer's key; when given, every request is signed (`Spec/HTTP.md` §7.3)
    ///     and carries `Parley-Agent`.
    ///   - companyKeys: the company's keys (``DiscoveredCompany/verifiedKeys``); when not empty,
    ///     every response must carry a valid signature by one of them, or the request fails with
    ///     ``HTTPTransportError/badSignature(_:)``.
    ///   - clock: the clock signatures are dated and checked by.
    public init(
        endpoint: URL, agent: AgentID, configuration: Configuration = Configuration(), codec: WireCodec = WireCodec(),
        signingKey: SigningKey? = nil, companyKeys: [PublicSigningKey] = [], clock: any AgentClock = SystemClock()
    ) {
        self.endpoint = endpoint
        self.agent = agent
        self.signingKey = signingKey
        self.companyKeys = companyKeys
        self.clock = clock
        self.configuration = configuration
        self.codec = codec
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout + Double(configuration.pollWait)
        sessionConfiguration.httpMaximumConnectionsPerHost = 64
        self.session = URLSession(configuration: sessionConfiguration)
        (inbound, sink) = AsyncStream.makeStream()
    }

    /// Creates a transport to a discovered company: its endpoint, and its keys when its
    /// discovery document's signatures verified.
    public init(
        company: DiscoveredCompany, agent: AgentID, signingKey: SigningKey? = nil, configuration: Configuration = Configuration(),
        codec: WireCodec = WireCodec(), clock: any AgentClock = SystemClock()
    ) {
        self.init(
            endpoint: company.endpoint, agent: agent, configuration: configuration, codec: codec, signingKey: signingKey,
            companyKeys: company.verifiedKeys, clock: clock)
    }

    // MARK: - Discovery

    /// The discovery URL for `location`: a bare host (`salon.example`) or origin becomes
    /// `https://host/.well-known/parley`; a URL with that path is used as it is.
    public static func discoveryURL(for location: String, allowsInsecureHTTP: Bool = false) throws(HTTPTransportError) -> URL {
        let text = location.contains("://") ? location : "https://\(location)"
        guard var components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw .invalidURL("'\(location)' names no host")
        }
        try checkScheme(components.scheme, host: host, allowsInsecureHTTP: allowsInsecureHTTP)
        if components.path != ParleyHTTP.discoveryPath {
            components.path = ParleyHTTP.discoveryPath
            components.query = nil
        }
        guard let url = components.url else { throw .invalidURL("'\(location)' is not a URL") }
        return url
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func checkScheme(_ scheme: String?, host: String, allowsInsecureHTTP: Bool) throws(HTTPTransportError) {
        switch scheme?.lowercased() {
        case "https": return
        case "http" where isLoopback(host) || allowsInsecureHTTP: return
        case "http": throw .invalidURL("plain http is allowed only to loopback (Spec/HTTP.md §6)")
        default: throw .invalidURL("scheme '\(scheme ?? "")' is not https")
        }
    }

    /// Fetches and validates the discovery document at `location` (`Spec/HTTP.md` §2), and picks
    /// the first endpoint that is usable from here.
    public static func discover(_ location: String, configuration: Configuration = Configuration()) async throws(HTTPTransportError)
        -> DiscoveredCompany
    {
        let url = try discoveryURL(for: location, allowsInsecureHTTP: configuration.allowsInsecureHTTP)
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout
        let session = URLSession(configuration: sessionConfiguration)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url)
        request.setValue("\(ParleyHTTP.discoveryMediaType), application/json", forHTTPHeaderField: "Accept")
        let (status, headers, body, finalURL) = try await perform(
            request, session: session, attempts: configuration.maximumAttempts, configuration: configuration)
        guard status == 200 else { throw .status(status, problem: problemCode(body)) }
        guard let type = headers["content-type"]?.lowercased(),
            type.hasPrefix(ParleyHTTP.discoveryMediaType) || type.hasPrefix("application/json")
        else { throw .malformedResponse("the discovery document is served as '\(headers["content-type"] ?? "")'") }
        let document: DiscoveryDocument
        let signatureStatus: DiscoveryDocument.SignatureStatus
        do {
            document = try DiscoveryDocument.decode(body)
            signatureStatus = try document.verifySignatures(pinned: configuration.pinnedCompanyKeys)
        } catch { throw .invalidDiscovery(error) }
        let base = finalURL ?? url
        for candidate in document.endpoints {
            guard let resolved = URL(string: candidate, relativeTo: base)?.absoluteURL, let host = resolved.host else { continue }
            if (try? checkScheme(resolved.scheme, host: host, allowsInsecureHTTP: configuration.allowsInsecureHTTP)) != nil {
                return DiscoveredCompany(document: document, endpoint: resolved, discoveryURL: base, signatureStatus: signatureStatus)
            }
        }
        throw .invalidDiscovery(DiscoveryDocument.Problem("invalid-member", "no endpoint is an https URL (or loopback http)"))
    }

    // MARK: - Transport

    public func send(_ envelope: Envelope) async throws(ParleyError) {
        guard !isClosed else { throw ParleyError(.sessionClosed, "the HTTP transport is closed", fault: .local) }
        do {
            let replies = try await post(envelope)
            deliver(replies)
        } catch {
            lastFailure = error
            throw ParleyError(.internalError, "HTTP: \(error)", fault: .local)
        }
        if envelope.kind == .close {
            pollers.removeValue(forKey: envelope.session)?.cancel()
        } else if pollers[envelope.session] == nil {
            startPolling(envelope.session)
        }
    }

    /// Sends one envelope and returns the company's immediate replies, undecodable lines as
    /// events; retries as configured. The typed-error form of ``send(_:)``.
    public func post(_ envelope: Envelope) async throws(HTTPTransportError) -> [TransportEvent] {
        try await post(bytes: codec.encode(envelope))
    }

    /// Posts `bytes` as they are (they need not be a valid envelope) and returns the company's
    /// immediate replies; an HTTP-tier refusal (400, 413, 415, …) is thrown as ``HTTPTransportError/status(_:problem:)``.
    public func post(bytes: [UInt8]) async throws(HTTPTransportError) -> [TransportEvent] {
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        let sent = try signed(
            "POST", url: endpoint,
            headers: [("Content-Type", ParleyHTTP.envelopeMediaType), (ParleyHTTP.agentHeader, agent.rawValue)], body: bytes)
        for (name, value) in sent { request.setValue(value, forHTTPHeaderField: name) }
        request.setValue(ParleyHTTP.batchMediaType, forHTTPHeaderField: "Accept")
        request.httpBody = Data(bytes)
        request.timeoutInterval = configuration.requestTimeout
        let (status, headers, body, _) = try await Self.perform(
            request, session: session, attempts: configuration.maximumAttempts, configuration: configuration)
        try verify(status: status, headers: headers, body: body, answering: "POST", url: endpoint, sent: sent)
        guard status == 200 else { throw .status(status, problem: Self.problemCode(body)) }
        return try events(headers: headers, body: body)
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

    /// `headers`, signed with the customer's key when there is one (`Spec/HTTP.md` §7.3).
    private func signed(_ method: String, url: URL, headers: [(name: String, value: String)], body: [UInt8]) throws(HTTPTransportError)
        -> [(name: String, value: String)]
    {
        guard let signingKey else { return headers }
        do {
            return try ParleyHTTPSignatures.signRequest(
                method: method, targetURI: url.absoluteString, headers: headers, body: body, key: signingKey, now: clock.now)
        } catch { throw .badSignature(error) }
    }

    /// Checks the response's signature when the company's keys are known (`Spec/HTTP.md` §7.4).
    private func verify(
        status: Int, headers: [String: String], body: [UInt8], answering method: String, url: URL, sent: [(name: String, value: String)]
    ) throws(HTTPTransportError) {
        guard !companyKeys.isEmpty else { return }
        do {
            _ = try ParleyHTTPSignatures.verifyResponse(
                status: status, headers: headers.map { (name: $0.key, value: $0.value) }, body: body,
                answering: HTTPSignatureMessage.Request(method: method, targetURI: url.absoluteString, headers: sent), keys: companyKeys,
                now: clock.now)
        } catch { throw .badSignature(error) }
    }

    private func events(headers: [String: String], body: [UInt8]) throws(HTTPTransportError) -> [TransportEvent] {
        if body.isEmpty { return [] }
        guard let type = headers["content-type"]?.lowercased(), type.hasPrefix(ParleyHTTP.batchMediaType) else {
            throw .malformedResponse("a batch is served as '\(headers["content-type"] ?? "")'")
        }
        var result: [TransportEvent] = []
        var splitter = JSONLineSplitter(maximumLineBytes: codec.limits.maximumBytes)
        for line in splitter.feed(body) + splitter.finish() {
            switch line {
            case .line(let bytes): result.append(TransportEvent.decoding(bytes, with: codec))
            case .tooLarge:
                result.append(
                    .undecodable(ParleyError(.tooLarge, "a line exceeds MAX_ENVELOPE_BYTES"), session: nil, from: nil, sequence: nil))
            }
        }
        return result
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
                if ready.kind == .close { pollers.removeValue(forKey: session)?.cancel() }
            }
            delivered[session] = next
            if pending[session]?.isEmpty == true { pending[session] = nil }
            if (pending[session]?.count ?? 0) > SessionStateMachine.Configuration().maximumBuffered {
                // A company that skips sequence numbers: hand the envelopes on, the session's rules judge them.
                for envelope in (pending.removeValue(forKey: session) ?? [:]).values.sorted(by: { $0.sequence < $1.sequence }) {
                    sink.yield(.envelope(envelope))
                    delivered[session] = envelope.sequence
                }
            }
        }
    }

    private func startPolling(_ sessionID: SessionID) {
        pollers[sessionID] = Task { [weak self] in
            var failures = 0
            while !Task.isCancelled, let self {
                do {
                    let more = try await self.pollOnce(sessionID)
                    failures = 0
                    if !more { return }
                } catch {
                    if (error as? HTTPTransportError) == .cancelled { return }
                    failures += 1
                    let delay = Self.backoff(attempt: failures, configuration: self.configuration)
                    try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                }
            }
        }
    }

    /// One poll; returns whether to keep polling.
    private func pollOnce(_ sessionID: SessionID) async throws(HTTPTransportError) -> Bool {
        guard let events = try await poll(session: sessionID, after: delivered[sessionID] ?? 0, as: agent) else { return false }
        deliver(events)
        return !isClosed
    }

    /// Collects the company's envelopes of `session` with `seq` above `after`, waiting up to
    /// ``Configuration/pollWait`` seconds for one; `nil` when the company does not know the
    /// session for `agent` (404). Envelopes are returned, not put on ``inbound``.
    public func poll(session sessionID: SessionID, after: Int, as agent: AgentID) async throws(HTTPTransportError) -> [TransportEvent]? {
        guard var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: true) else { throw .invalidURL("\(endpoint)") }
        components.path += "/sessions/\(sessionID.rawValue)/messages"
        components.query = "after=\(after)&wait=\(configuration.pollWait)"
        guard let url = components.url else { throw .invalidURL("\(components)") }
        var request = URLRequest(url: url)
        let sent = try signed("GET", url: url, headers: [(ParleyHTTP.agentHeader, agent.rawValue)], body: [])
        for (name, value) in sent { request.setValue(value, forHTTPHeaderField: name) }
        request.setValue(ParleyHTTP.batchMediaType, forHTTPHeaderField: "Accept")
        request.timeoutInterval = configuration.requestTimeout + Double(configuration.pollWait)
        let (status, headers, body, _) = try await Self.perform(request, session: session, attempts: 1, configuration: configuration)
        try verify(status: status, headers: headers, body: body, answering: "GET", url: url, sent: sent)
        switch status {
        case 200: return try events(headers: headers, body: body)
        case 204: return []
        case 404: return nil
        default: throw .status(status, problem: Self.problemCode(body))
        }
    }

    static func backoff(attempt: Int, configuration: Configuration) -> Double {
        let base = min(configuration.maximumBackoff, configuration.initialBackoff * Double(1 << min(attempt - 1, 20)))
        return base / 2 + Double.random(in: 0...(base / 2))
    }

    static func problemCode(_ body: [UInt8]) -> String? {
        guard case .object(let members)? = try? JSONParser.parse(body), case .string(let code)? = members["problem"] else { return nil }
        return code
    }

    /// Performs `request`, retrying retryable failures with backoff; returns status, lower-cased headers, body and final URL.
    static func perform(_ request: URLRequest, session: URLSession, attempts: Int, configuration: Configuration)
        async throws(HTTPTransportError)
        -> (Int, [String: String], [UInt8], URL?)
    {
        var attempt = 0
        while true {
            attempt += 1
            let result = await once(request, session: session)
            var failure: HTTPTransportError
            switch result {
            case .success(let answer):
                if answer.0 == 429 || answer.0 == 503 {
                    failure = .busy(status: answer.0, retryAfter: answer.1["retry-after"].flatMap { Int($0.trimmingSpaces) })
                } else if answer.0 == 502 || answer.0 == 504 {
                    failure = .status(answer.0, problem: nil)
                } else {
                    return answer
                }
            case .failure(let error): failure = error
            }
            guard failure.isRetryable, attempt < attempts, !Task.isCancelled else { throw failure }
            var delay = backoff(attempt: attempt, configuration: configuration)
            if case .busy(_, let retryAfter?) = failure { delay = max(delay, min(Double(retryAfter), configuration.maximumBackoff)) }
            do { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) } catch { throw .cancelled }
        }
    }

    private static func once(_ request: URLRequest, session: URLSession) async -> Result<
        (Int, [String: String], [UInt8], URL?), HTTPTransportError
    > {
        let box = TaskBox()
        return await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<(Int, [String: String], [UInt8], URL?), HTTPTransportError>, Never>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(returning: .failure(classify(error)))
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(returning: .failure(.malformedResponse("not an HTTP response")))
                        return
                    }
                    var headers: [String: String] = [:]
                    for (name, value) in http.allHeaderFields {
                        if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
                    }
                    continuation.resume(returning: .success((http.statusCode, headers, data.map { Array($0) } ?? [], http.url)))
                }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    static func classify(_ error: any Error) -> HTTPTransportError {
        guard let error = error as? URLError else { return .unreachable(String(describing: error)) }
        switch error.code {
        case .timedOut: return .timedOut
        case .cancelled: return .cancelled
        case .badServerResponse, .cannotParseResponse, .cannotDecodeRawData, .cannotDecodeContentData, .dataLengthExceedsMaximum:
            return .malformedResponse(error.localizedDescription)
        default: return .unreachable(error.localizedDescription)
        }
    }
}

/// Holds a URL session task so that cancellation can reach it from another thread.
private final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func set(_ task: URLSessionDataTask) {
        lock.withLock { self.task = task }
    }

    func cancel() {
        // swift-corelibs-foundation (Linux) can trap in its task registry when a data task is
        // cancelled while it completes; there the request is left to finish (a poll returns
        // within its wait) and its result is ignored by the cancelled caller.
        #if canImport(FoundationNetworking)
            lock.withLock { cancelled = true }
        #else
            let task = lock.withLock {
                cancelled = true
                return self.task
            }
            task?.cancel()
        #endif
    }
}
