import Foundation

/// The Parley HTTP binding for a company (`Spec/HTTP.md`): HTTP requests in, HTTP responses out,
/// driving a ``CompanyAgent``. It opens no socket; any HTTP server hosts it in a few lines:
///
/// ```swift
/// let binding = CompanyHTTPBinding(agent: salon, clock: SystemClock())
/// // in the server's handler, for every request:
/// let response = await binding.respond(to: ParleyHTTPRequest(method: "POST", target: "/parley",
///                                                             headers: headers, body: body, client: peerAddress))
/// ```
///
/// It serves three resources: the discovery document (`GET /.well-known/parley`), the exchange
/// endpoint (`POST /parley`, one envelope in, the immediate replies out) and the poll resource
/// (`GET /parley/sessions/{id}/messages?after=N&wait=S`) through which a customer collects the
/// messages the company sends later. No request depends on an earlier one having reached the
/// same instance: a session is named by its id and every poll carries its cursor, and the
/// session — with the envelopes a poll collects — lives in the agent's ``SessionStore``; with a
/// store shared by a fleet, any instance takes any request.
public final class CompanyHTTPBinding: Sendable {
    /// The binding's limits and paths.
    public struct Configuration: Sendable, Hashable {
        /// The exchange endpoint's path; polls live under `<path>/sessions/`.
        public var endpointPath = "/parley"
        /// The largest request body accepted: one envelope (`MAX_ENVELOPE_BYTES`) plus a final CR LF.
        /// A host collecting the body MUST stop at this many bytes and answer 413 itself.
        public var maximumBodyBytes = WireLimits.standard.maximumBytes + 2
        /// The longest a poll is parked, in seconds (a client asking for more gets this).
        public var maximumPollWait = ParleyHTTP.maximumPollWait
        /// How many polls may be parked at once; beyond it, polls get 503 with `Retry-After`.
        public var maximumParkedPolls = 10_000
        /// Requests per second one client (``ParleyHTTPRequest/client``) may make on average; 0 turns the limit off.
        public var requestsPerSecondPerClient = 50.0
        /// How many requests one client may make in a burst.
        public var burstPerClient = 100.0
        /// How many open sessions one client may hold; `nil` uses the agent's
        /// ``ServiceLimits/openSessionsPerPeer`` (`MAX_PEER_SESSIONS`). Raise it for clients that
        /// front many customers (an assistant provider's egress, a load generator).
        public var openSessionsPerClient: Int? = nil
        /// How long clients may cache the discovery document, in seconds.
        public var discoveryMaxAge = 3600
        /// The endpoints the discovery document lists; `nil` lists ``endpointPath``, which clients
        /// resolve against the discovery URL.
        public var advertisedEndpoints: [String]? = nil
        /// The scheme and authority clients address the binding by, e.g. `https://salon.example`:
        /// with a request's target it makes the `@target-uri` that request signatures cover.
        /// `nil` uses `http://` and the request's `Host` field, which is right only for plain
        /// HTTP without a proxy (loopback demos); set it in every deployment (`Spec/HTTP.md` §7.2).
        public var origin: String? = nil
        /// Whether requests must be signed (`Spec/HTTP.md` §7). The default,
        /// ``RequestSignaturePolicy/verifiedWhenPresent``, lets unsigned loopback demos work;
        /// deployments set ``RequestSignaturePolicy/required``.
        public var requestSignatures = RequestSignaturePolicy.verifiedWhenPresent

        /// The defaults of `Spec/HTTP.md`.
        public init() {}
    }

    /// Whether the binding requires HTTP message signatures on requests (`Spec/HTTP.md` §7.3).
    public enum RequestSignaturePolicy: Sendable, Hashable {
        /// Signatures are not looked at; every agent id is as claimed (limits key on the client address).
        case ignored
        /// A signed request is verified and refused if its signature is bad; an unsigned one is
        /// served unauthenticated. For loopback demos and migrations.
        case verifiedWhenPresent
        /// Every exchange and poll request must be signed by a key of the agent it names:
        /// the secure setting for deployments.
        case required
    }

    /// The agent it drives.
    public let agent: CompanyAgent
    /// Its configuration.
    public let configuration: Configuration
    let clock: any AgentClock
    let codec: WireCodec
    let outbox: HTTPOutbox
    let limiter: ClientRateLimiter
    let timers: TimerScheduler
    let sessionsByClient: ClientSessions
    let gate = SessionGate()
    let sweep = TimerSweep()
    let discovery: [UInt8]
    let signingKey: SigningKey?
    let customerKeys: CustomerKeys

    /// Creates a binding for `agent`, whose timers run on `clock` (the clock the agent's
    /// sessions are stamped with; pass the same clock a stdio `serve` would get).
    ///
    /// - Parameters:
    ///   - agent: the company agent to drive.
    ///   - clock: the clock its sessions, timers and signatures run on.
    ///   - configuration: limits, paths, origin and request-signature policy.
    ///   - codec: the wire codec envelopes are encoded and decoded with.
    ///   - signingKeys: the company's keys, current first: all are published in the discovery
    ///     document and sign it; the first signs every response (`Spec/HTTP.md` §7). Empty: nothing is signed.
    ///   - customerKeys: the keys registered (pinned) for customer agents; requests of self-certifying
    ///     ids (`ed25519:…`) verify without registration.
    public init(
        agent: CompanyAgent, clock: any AgentClock, configuration: Configuration = Configuration(), codec: WireCodec = WireCodec(),
        signingKeys: [SigningKey] = [], customerKeys: AgentKeyRegistry = AgentKeyRegistry()
    ) {
        self.agent = agent
        self.clock = clock
        self.configuration = configuration
        self.codec = codec
        self.outbox = HTTPOutbox(agent: agent)
        self.limiter = ClientRateLimiter(rate: configuration.requestsPerSecondPerClient, burst: configuration.burstPerClient)
        self.timers = TimerScheduler(clock: clock)
        self.sessionsByClient = ClientSessions()
        self.discovery = DiscoveryDocument(agent: agent, endpoints: configuration.advertisedEndpoints ?? [configuration.endpointPath])
            .signed(with: signingKeys).encoded()
        self.signingKey = signingKeys.first
        self.customerKeys = CustomerKeys(customerKeys)
    }

    /// Registers (pins) `key` for the customer agent `agent`, e.g. when an assistant provider
    /// enrols, or after the person confirmed the key out of band (`Spec/HTTP.md` §2.6).
    public func register(customerKey key: PublicSigningKey, for agent: AgentID) async {
        await customerKeys.register(key, for: agent)
    }

    /// Removes `key` from the keys accepted for `agent`.
    public func revoke(customerKey key: PublicSigningKey, for agent: AgentID) async {
        await customerKeys.revoke(key, for: agent)
    }

    /// Answers every parked poll at once (`204`) and refuses new waits, then stops the agent's
    /// timers. Call it when the host begins a graceful shutdown, so that draining in-flight
    /// requests does not wait out the polls; clients poll again elsewhere (`Spec/HTTP.md` §4).
    public func shutdown() async {
        await outbox.stopWaiting()
        await timers.cancelAll()
    }

    /// Answers one HTTP request. Never throws: every failure is a response (`Spec/HTTP.md` §5).
    /// With a signing key, every response but the discovery document's is signed (§7.4).
    public func respond(to request: ParleyHTTPRequest) async -> ParleyHTTPResponse {
        let response = await route(request)
        guard let signingKey, request.path != ParleyHTTP.discoveryPath else { return response }
        return sign(response, answering: request, key: signingKey)
    }

    /// The absolute target URI of `request`: ``Configuration/origin`` (or `http://` and `Host`) and its target.
    func targetURI(of request: ParleyHTTPRequest) -> String {
        let origin = configuration.origin ?? "http://" + (request.header("Host")?.trimmingSpaces ?? "")
        return origin + request.target
    }

    private func sign(_ response: ParleyHTTPResponse, answering request: ParleyHTTPRequest, key: SigningKey) -> ParleyHTTPResponse {
        let answered = HTTPSignatureMessage.Request(method: request.method, targetURI: targetURI(of: request), headers: request.headers)
        let headers = response.headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        guard
            let signed = try? ParleyHTTPSignatures.signResponse(
                status: response.status, headers: headers, body: response.body, answering: answered, key: key, now: clock.now)
        else { return response }
        var result = response
        for (name, value) in signed { result.headers[name] = value }
        return result
    }

    private func route(_ request: ParleyHTTPRequest) async -> ParleyHTTPResponse {
        let path = request.path
        if path == ParleyHTTP.discoveryPath {
            guard request.method == "GET" || request.method == "HEAD" else { return methodNotAllowed("GET, HEAD") }
            return ParleyHTTPResponse(
                status: 200,
                headers: [
                    "Content-Type": ParleyHTTP.discoveryMediaType, "Cache-Control": "public, max-age=\(configuration.discoveryMaxAge)",
                ], body: request.method == "HEAD" ? [] : discovery)
        }
        let endpoint = configuration.endpointPath
        if path == endpoint {
            guard request.method == "POST" else { return methodNotAllowed("POST") }
            let agent: AgentID?
            switch await authenticate(request) {
            case .anonymous: agent = nil
            case .agent(let authenticated): agent = authenticated
            case .refused(let refusal): return refusal
            }
            if let refusal = await rateLimit(request, agent: agent) { return refusal }
            return await exchange(request, agent: agent)
        }
        let prefix = endpoint + "/sessions/"
        if path.hasPrefix(prefix), path.hasSuffix("/messages") {
            let id = path.dropFirst(prefix.count).dropLast("/messages".count)
            guard request.method == "GET" else { return methodNotAllowed("GET") }
            guard let session = SessionID(rawValue: String(id)) else { return .problem(404, "not-found", "no such session") }
            let agent: AgentID?
            switch await authenticate(request) {
            case .anonymous: agent = nil
            case .agent(let authenticated): agent = authenticated
            case .refused(let refusal): return refusal
            }
            if let refusal = await rateLimit(request, agent: agent) { return refusal }
            return await poll(request, session: session)
        }
        return .problem(404, "not-found", "no Parley resource at \(path.prefix(200))")
    }

    private func methodNotAllowed(_ allowed: String) -> ParleyHTTPResponse {
        .problem(405, "method-not-allowed", "use \(allowed)", headers: ["Allow": allowed])
    }

    /// The key per-client limits count under: the authenticated agent id, else the client address.
    static func limitKey(_ request: ParleyHTTPRequest, agent: AgentID?) -> String {
        agent.map { "agent " + $0.rawValue } ?? "client " + (request.client ?? "")
    }

    private func rateLimit(_ request: ParleyHTTPRequest, agent: AgentID?) async -> ParleyHTTPResponse? {
        guard configuration.requestsPerSecondPerClient > 0 else { return nil }
        guard let wait = await limiter.admit(Self.limitKey(request, agent: agent)) else { return nil }
        return .problem(429, "rate-limited", "too many requests from this client", headers: ["Retry-After": String(wait)])
    }

    // MARK: - Exchange

    /// Whether `value` names the envelope media type (parameters such as `charset=utf-8` allowed).
    static func isEnvelopeMediaType(_ value: String?) -> Bool {
        guard let value else { return false }
        let type = value[..<(value.firstIndex(of: ";") ?? value.endIndex)].withoutSpaces
        return type.equalsIgnoringASCIICase(ParleyHTTP.envelopeMediaType) || type.equalsIgnoringASCIICase("application/json")
    }

    private func exchange(_ request: ParleyHTTPRequest, agent authenticated: AgentID?) async -> ParleyHTTPResponse {
        guard Self.isEnvelopeMediaType(request.header("Content-Type")) else {
            return .problem(415, "unsupported-media-type", "send one envelope as \(ParleyHTTP.envelopeMediaType)")
        }
        if let declared = request.header("Content-Length").flatMap({ Int($0.trimmingSpaces) }), declared > configuration.maximumBodyBytes {
            return .problem(413, "too-large", "the body exceeds \(configuration.maximumBodyBytes) bytes (MAX_ENVELOPE_BYTES)")
        }
        guard request.body.count <= configuration.maximumBodyBytes else {
            return .problem(413, "too-large", "the body exceeds \(configuration.maximumBodyBytes) bytes (MAX_ENVELOPE_BYTES)")
        }
        var bytes = request.body[...]
        if bytes.last == 0x0A { bytes = bytes.dropLast() }
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { return .problem(400, "empty-body", "the body holds no envelope") }
        guard !bytes.contains(0x0A) else { return .problem(400, "batch-not-allowed", "send one envelope per request") }
        let event = TransportEvent.decoding(Array(bytes), with: codec)
        if let authenticated {
            // An authenticated request speaks only for its own agent (§7.3).
            let claimed: AgentID?
            switch event {
            case .envelope(let envelope): claimed = envelope.from
            case .undecodable(_, _, let from, _): claimed = from
            }
            if let claimed, claimed != authenticated {
                return .problem(
                    HTTPSignatureError.agentMismatch("the envelope is from \(claimed), the request is signed for \(authenticated)"))
            }
        }
        // Requests of one session are handled one after the other, so that each response holds
        // exactly the replies to its own envelope (§3.2), however many arrive at once.
        let gated: SessionID?
        switch event {
        case .envelope(let envelope): gated = envelope.session
        case .undecodable(_, let session, _, _): gated = session
        }
        if let gated { await gate.enter(gated) }
        let response = await exchange(event, client: Self.limitKey(request, agent: authenticated))
        if let gated { await gate.leave(gated) }
        return response
    }

    private func exchange(_ event: TransportEvent, client: String) async -> ParleyHTTPResponse {
        let now = clock.now
        sweepTimers(now: now)
        var session: SessionID?
        switch event {
        case .envelope(let envelope): session = envelope.session
        case .undecodable(_, let identified, _, _): session = identified
        }
        let output = await agent.handle(event, now: now) { envelope in await self.admission(of: envelope, client: client) }
        if let failure = output.storeFailure {
            // Nothing was changed: the client sends the same envelope again (§3.3), here or elsewhere.
            return .problem(503, "unavailable", "the session store failed: \(failure.kind.rawValue)", headers: ["Retry-After": "1"])
        }
        if case .undecodable(let error, _, _, _) = event, output.envelopes.isEmpty {
            // Nothing in Parley can answer it (no known session): an HTTP-tier refusal.
            return .problem(400, error.code.wireValue, error.message)
        }
        if let session, output.sessionKept {
            if output.finished.isEmpty {
                await sessionsByClient.note(session, client: client)
            } else {
                await sessionsByClient.forget(session)
            }
        }
        await record(output)
        return batch(output.envelopes.filter { $0.session == session })
    }

    /// Refuses a new session when the HTTP client already holds `MAX_PEER_SESSIONS` open ones
    /// (the HTTP expression of "counted by the connection"); `nil` admits it.
    private func admission(of envelope: Envelope, client: String) async -> ParleyError? {
        let limit = configuration.openSessionsPerClient ?? agent.limits.openSessionsPerPeer
        let open = await sessionsByClient.sessions(of: client)
        guard open.count >= limit else { return nil }
        var stillOpen = 0
        for session in open {
            if let phase = await agent.phase(of: session), !phase.isTerminal {
                stillOpen += 1
            } else {
                await sessionsByClient.forget(session)
            }
        }
        guard stillOpen >= limit else { return nil }
        return ParleyError(.limitExceeded, "this client already holds \(stillOpen) open sessions (MAX_PEER_SESSIONS)")
    }

    /// Wakes the polls parked for the sessions the company sent to, and sets the timers.
    private func record(_ output: AgentOutput) async {
        await outbox.notify(Set(output.envelopes.map(\.session)))
        for request in output.timers {
            await timers.schedule(request) { [weak self] session, timer, now in
                guard let self else { return }
                await self.record(await self.agent.timerFired(timer, session: session, now: now))
            }
        }
    }

    /// Fires, in the background, the timers due in the session store, at most once per second:
    /// those of sessions another instance served before it went away, or continued after a restart.
    private func sweepTimers(now: Instant) {
        guard sweep.begin(at: now) else { return }  // decided under a lock: no task for most requests
        Task { await sweepBegun(now: now) }
    }

    /// Fires the timers due in the agent's ``SessionStore`` by the binding's clock and records
    /// what they send, so that polls parked for those sessions wake at once; returns that output.
    ///
    /// Requests fire due timers by themselves (at most once a second), but a host should also
    /// call this about once a second from a background task: then the timers of sessions whose
    /// instance went away, or that began before a restart, fire even while no request arrives.
    /// A call while another sweep runs, or within a second of the last one, does nothing.
    @discardableResult
    public func fireDueTimers() async -> AgentOutput {
        await fireDueTimers(now: clock.now)
    }

    @discardableResult
    private func fireDueTimers(now: Instant) async -> AgentOutput {
        guard sweep.begin(at: now) else { return AgentOutput() }
        return await sweepBegun(now: now)
    }

    /// Runs a sweep that ``TimerSweep/begin(at:)`` allowed.
    @discardableResult
    private func sweepBegun(now: Instant) async -> AgentOutput {
        let output = await agent.fireDueTimers(now: now)
        await record(output)
        sweep.end()
        return output
    }

    func batch(_ envelopes: [Envelope]) -> ParleyHTTPResponse {
        var body: [UInt8] = []
        for envelope in envelopes { body += codec.encodeLine(envelope) }
        return ParleyHTTPResponse(
            status: 200, headers: ["Content-Type": ParleyHTTP.batchMediaType, "Cache-Control": "no-store"], body: body)
    }

    // MARK: - Poll

    private func poll(_ request: ParleyHTTPRequest, session: SessionID) async -> ParleyHTTPResponse {
        guard let agentHeader = request.header(ParleyHTTP.agentHeader), let peer = AgentID(rawValue: agentHeader.trimmingSpaces) else {
            return .problem(400, "missing-agent", "a poll names its agent id in the \(ParleyHTTP.agentHeader) header")
        }
        let query = request.query
        guard let after = Int(query["after"] ?? "0"), after >= 0, let wait = Int(query["wait"] ?? "0"), wait >= 0 else {
            return .problem(400, "invalid-query", "`after` and `wait` are non-negative integers")
        }
        let result = await outbox.collect(
            session: session, peer: peer, after: after, wait: min(wait, configuration.maximumPollWait),
            parkedLimit: configuration.maximumParkedPolls)
        switch result {
        case .unknown: return .problem(404, "not-found", "no such session for this agent")
        case .overloaded: return .problem(503, "overloaded", "too many polls are waiting", headers: ["Retry-After": "1"])
        case .unavailable: return .problem(503, "unavailable", "the session store failed", headers: ["Retry-After": "1"])
        case .nothing: return ParleyHTTPResponse(status: 204, headers: ["Cache-Control": "no-store"])
        case .envelopes(let envelopes): return batch(envelopes)
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace), as a
    /// slice of the same text.
    var withoutSpaces: Substring {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return self[endIndex...] }
        // After the last byte that is not blank: the end of a whole character, however many bytes it has.
        let end = bytes.index(after: bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!)
        return self[first..<end]
    }

    /// ``withoutSpaces`` as a string of its own.
    var trimmingSpaces: String { String(withoutSpaces) }
}

extension String {
    var trimmingSpaces: String { self[...].trimmingSpaces }
}

extension StringProtocol {
    /// Whether the text equals `other` when ASCII letters are compared without case, as HTTP
    /// compares field names and media types; it allocates nothing.
    func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        utf8.elementsEqual(other.utf8) { a, b in
            a == b || (a | 0x20 == b | 0x20 && (0x61...0x7A).contains(a | 0x20))
        }
    }
}

/// The polls parked on this instance (`Spec/HTTP.md` §3.4). The envelopes themselves live with
/// the session in the agent's ``SessionStore``, so a poll finds what any instance sent: it is
/// woken at once when this instance sends in its session, and looks at the store again every
/// ``recheckInterval`` for what other instances sent.
actor HTTPOutbox {
    /// How often a parked poll looks at the store again, in seconds.
    static let recheckInterval = 1

    enum Result: Sendable {
        case unknown, overloaded, nothing, unavailable
        case envelopes([Envelope])
    }

    private let agent: CompanyAgent
    private var stopped = false
    private var waiters: [SessionID: [UInt64: CheckedContinuation<Void, Never>]] = [:]
    private var parked = 0
    private var nextWaiter: UInt64 = 0

    init(agent: CompanyAgent) {
        self.agent = agent
    }

    /// Wakes the polls parked for `sessions`.
    func notify(_ sessions: Set<SessionID>) {
        for session in sessions {
            guard let parkedHere = waiters.removeValue(forKey: session) else { continue }
            for waiter in parkedHere.values { waiter.resume() }
        }
    }

    func collect(session: SessionID, peer: AgentID, after: Int, wait: Int, parkedLimit: Int) async -> Result {
        if let answer = await look(session: session, peer: peer, after: after) { return answer }
        guard wait > 0, !stopped else { return .nothing }
        guard parked < parkedLimit else { return .overloaded }
        parked += 1
        defer { parked -= 1 }
        var remaining = wait
        while remaining > 0, !stopped, !Task.isCancelled {
            let slice = min(remaining, Self.recheckInterval)
            remaining -= slice
            await park(session, seconds: slice)
            if let answer = await look(session: session, peer: peer, after: after) { return answer }
        }
        return .nothing
    }

    /// The answer to a poll from the store now, or `nil` when there is nothing to collect yet.
    private func look(session: SessionID, peer: AgentID, after: Int) async -> Result? {
        do {
            guard let envelopes = try await agent.envelopes(sentIn: session, to: peer, after: after) else { return .unknown }
            return envelopes.isEmpty ? nil : .envelopes(envelopes)
        } catch {
            return .unavailable
        }
    }

    /// Waits until `session` is notified, `seconds` pass, the poll is cancelled or waiting stops.
    private func park(_ session: SessionID, seconds: Int) async {
        nextWaiter += 1
        let id = nextWaiter
        let timeout = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
            await self?.wake(session: session, waiter: id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if Task.isCancelled || stopped {
                    continuation.resume()
                } else {
                    waiters[session, default: [:]][id] = continuation
                }
            }
        } onCancel: {
            Task { await self.wake(session: session, waiter: id) }
        }
        timeout.cancel()
    }

    func stopWaiting() {
        stopped = true
        let all = waiters.values.flatMap(\.values)
        waiters.removeAll()
        for waiter in all { waiter.resume() }
    }

    private func wake(session: SessionID, waiter: UInt64) {
        guard let continuation = waiters[session]?.removeValue(forKey: waiter) else { return }
        if waiters[session]?.isEmpty == true { waiters[session] = nil }
        continuation.resume()
    }

    var parkedCount: Int { parked }
}

/// Lets one timer sweep run at a time, at most once per second of the agent's clock. Asked on
/// every request, so it answers under a lock without a task or an actor hop.
final class TimerSweep: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var last: Instant?

    /// Whether a sweep may start now (and marks it running).
    func begin(at now: Instant) -> Bool {
        lock.withLock {
            guard !running else { return false }
            if let last, now < last.adding(seconds: 1), now >= last { return false }
            running = true
            last = now
            return true
        }
    }

    func end() { lock.withLock { running = false } }
}

/// Which sessions each HTTP client opened, for the per-client session bound.
actor ClientSessions {
    private var byClient: [String: Set<SessionID>] = [:]
    private var clientOf: [SessionID: String] = [:]

    func note(_ session: SessionID, client: String) {
        guard clientOf[session] == nil else { return }
        clientOf[session] = client
        byClient[client, default: []].insert(session)
    }

    func sessions(of client: String) -> Set<SessionID> { byClient[client] ?? [] }

    func forget(_ session: SessionID) {
        guard let client = clientOf.removeValue(forKey: session) else { return }
        byClient[client]?.remove(session)
        if byClient[client]?.isEmpty == true { byClient[client] = nil }
    }
}

/// A token bucket per client: `rate` requests per second on average, `burst` at once.
actor ClientRateLimiter {
    private let rate: Double
    private let burst: Double
    private var buckets: [String: (tokens: Double, at: ContinuousClock.Instant)] = [:]
    private static let maximumClients = 100_000

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// `nil` when the request is admitted, else the whole seconds to wait before retrying.
    func admit(_ client: String) -> Int? {
        guard rate > 0 else { return nil }
        let now = ContinuousClock.now
        var bucket = buckets[client] ?? (burst, now)
        let elapsed = now - bucket.at
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket.tokens = min(burst, bucket.tokens + seconds * rate)
        bucket.at = now
        if buckets.count >= Self.maximumClients, buckets[client] == nil {
            // Forget clients whose buckets are full again: they hold no state worth keeping.
            buckets = buckets.filter { $0.value.tokens + 1 < burst }
        }
        guard bucket.tokens >= 1 else {
            buckets[client] = bucket
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
        bucket.tokens -= 1
        buckets[client] = bucket
        return nil
    }
}

/// One request at a time per session: the ones that arrive while a session is busy wait in order.
actor SessionGate {
    private var busy = Set<SessionID>()
    private var waiting: [SessionID: [CheckedContinuation<Void, Never>]] = [:]

    func enter(_ session: SessionID) async {
        guard busy.contains(session) else {
            busy.insert(session)
            return
        }
        await withCheckedContinuation { waiting[session, default: []].append($0) }
    }

    /// Hands the session to the next waiter (it stays busy), or frees it.
    func leave(_ session: SessionID) {
        guard var queue = waiting[session], !queue.isEmpty else {
            busy.remove(session)
            return
        }
        let next = queue.removeFirst()
        waiting[session] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
