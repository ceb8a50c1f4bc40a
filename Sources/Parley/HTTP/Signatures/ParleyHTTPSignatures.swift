/// How the Parley HTTP binding uses HTTP Message Signatures (`Spec/HTTP.md` §7): which
/// components a request and a response sign, with which parameters, and the time window in
/// which a signature is accepted. ``CompanyHTTPBinding`` and ``HTTPClientTransport`` use it;
/// another host or client can call it directly.
///
/// ```swift
/// // a customer signing a POST
/// let headers = ParleyHTTPSignatures.signRequest(
///     method: "POST", targetURI: "https://salon.example/parley",
///     headers: [("Content-Type", ParleyHTTP.envelopeMediaType), ("Parley-Agent", myID.rawValue)],
///     body: envelopeBytes, key: myKey, now: clock.now)
/// ```
public enum ParleyHTTPSignatures {
    /// The label Parley writes its signatures under in `Signature-Input` and `Signature`.
    public static let label = "parley"
    /// The `tag` of a request signature.
    public static let requestTag = "parley-request"
    /// The `tag` of a response signature.
    public static let responseTag = "parley-response"
    /// How long after `created` a signature is accepted, in seconds; signers set `expires` to `created` plus this.
    public static let maximumAge: Int64 = 300
    /// How far a verifier's clock may lag the signer's, in seconds: `created` up to this far in the future is accepted.
    public static let clockSkew: Int64 = 60
    /// The prefix of a self-certifying agent id, `ed25519:` followed by the base64url public key
    /// (a customer assistant with no web origin, `Spec/HTTP.md` §2.6).
    public static let selfCertifyingPrefix = "ed25519:"

    /// The components a request signature must cover: `@method`, `@target-uri` and
    /// `parley-agent`, and for a `POST` also `content-type` and `content-digest`.
    public static func requestComponents(method: String) -> [HTTPSignatureComponent] {
        method == "POST"
            ? ["@method", "@target-uri", "content-type", "content-digest", "parley-agent"]
            : ["@method", "@target-uri", "parley-agent"]
    }

    /// The components a response signature must cover: `@status`, `content-digest`, the
    /// request's `@method` and `@target-uri` (`;req`), and `content-type` when the response has one.
    public static func responseComponents(hasContentType: Bool) -> [HTTPSignatureComponent] {
        var components: [HTTPSignatureComponent] = ["@status"]
        if hasContentType { components.append("content-type") }
        components += [
            "content-digest", HTTPSignatureComponent("@method", fromRequest: true),
            HTTPSignatureComponent("@target-uri", fromRequest: true),
        ]
        return components
    }

    /// The agent id that names `key` itself: `ed25519:` and the key in base64url.
    public static func selfCertifyingID(for key: PublicSigningKey) -> AgentID? {
        AgentID(rawValue: selfCertifyingPrefix + key.base64URL)
    }

    /// The key a self-certifying agent id (`ed25519:X`) names; `nil` for any other id.
    public static func selfCertifiedKey(of agent: AgentID) -> PublicSigningKey? {
        guard agent.rawValue.hasPrefix(selfCertifyingPrefix) else { return nil }
        return PublicSigningKey(base64URL: String(agent.rawValue.dropFirst(selfCertifyingPrefix.count)))
    }

    static func parameters(tag: String, key: SigningKey, now: Instant) -> HTTPSignatureParameters {
        HTTPSignatureParameters(
            created: now.secondsSinceEpoch, expires: now.secondsSinceEpoch + maximumAge, keyID: key.publicKey.keyID,
            algorithm: HTTPMessageSignature.algorithm, tag: tag)
    }

    /// Signs a request of the binding: returns `headers` with `Content-Digest` (for a `POST`),
    /// `Signature-Input` and `Signature` added. `headers` must hold `Parley-Agent` (and for a
    /// `POST` `Content-Type`); `targetURI` is the absolute URI the request is sent to.
    ///
    /// - Throws: ``HTTPSignatureError`` `component-missing` when a header to be covered is absent.
    public static func signRequest(
        method: String, targetURI: String, headers: [(name: String, value: String)], body: [UInt8], key: SigningKey, now: Instant
    ) throws(HTTPSignatureError) -> [(name: String, value: String)] {
        var all = headers.filter { !["content-digest", "signature-input", "signature"].contains($0.name.lowercased()) }
        if method == "POST" { all.append(("Content-Digest", ContentDigest.sha256(body))) }
        let message = HTTPSignatureMessage.request(method: method, targetURI: targetURI, headers: all)
        let (input, signature) = try HTTPMessageSignature.sign(
            message, components: requestComponents(method: method), parameters: parameters(tag: requestTag, key: key, now: now),
            label: label, key: key)
        all.append(("Signature-Input", input))
        all.append(("Signature", signature))
        return all
    }

    /// Verifies the signature of a request of the binding, made by one of `keys`, and its
    /// `Content-Digest` for a `POST`. Returns the verified signature.
    ///
    /// - Throws: ``HTTPSignatureError`` with the problem code of `Spec/HTTP.md` §7.5.
    public static func verifyRequest(
        method: String, targetURI: String, headers: [(name: String, value: String)], body: [UInt8], keys: [PublicSigningKey], now: Instant
    ) throws(HTTPSignatureError) -> VerifiedHTTPSignature {
        let message = HTTPSignatureMessage.request(method: method, targetURI: targetURI, headers: headers)
        let verified = try HTTPMessageSignature.verify(
            message, tag: requestTag, required: requestComponents(method: method), key: { id in keys.first { $0.keyID == id } })
        try checkTime(verified.parameters, now: now)
        if method == "POST" || !body.isEmpty {
            try ContentDigest.verify(HTTPMessageSignature.combinedField("content-digest", in: headers), body: body)
        }
        return verified
    }

    /// Signs a response of the binding answering `request`: returns `headers` with
    /// `Content-Digest`, `Signature-Input` and `Signature` added.
    public static func signResponse(
        status: Int, headers: [(name: String, value: String)], body: [UInt8], answering request: HTTPSignatureMessage.Request,
        key: SigningKey,
        now: Instant
    ) throws(HTTPSignatureError) -> [(name: String, value: String)] {
        var all = headers.filter { !["content-digest", "signature-input", "signature"].contains($0.name.lowercased()) }
        all.append(("Content-Digest", ContentDigest.sha256(body)))
        let hasContentType = all.contains { $0.name.lowercased() == "content-type" }
        let message = HTTPSignatureMessage.response(status: status, headers: all, answering: request)
        let (input, signature) = try HTTPMessageSignature.sign(
            message, components: responseComponents(hasContentType: hasContentType),
            parameters: parameters(tag: responseTag, key: key, now: now), label: label, key: key)
        all.append(("Signature-Input", input))
        all.append(("Signature", signature))
        return all
    }

    /// Verifies a response of the binding answering `request`: signed by one of `keys`, within
    /// the time window, its body matching `Content-Digest`.
    public static func verifyResponse(
        status: Int, headers: [(name: String, value: String)], body: [UInt8], answering request: HTTPSignatureMessage.Request,
        keys: [PublicSigningKey], now: Instant
    ) throws(HTTPSignatureError) -> VerifiedHTTPSignature {
        let message = HTTPSignatureMessage.response(status: status, headers: headers, answering: request)
        let hasContentType = HTTPMessageSignature.combinedField("content-type", in: headers) != nil
        let verified = try HTTPMessageSignature.verify(
            message, tag: responseTag, required: responseComponents(hasContentType: hasContentType),
            key: { id in keys.first { $0.keyID == id } })
        try checkTime(verified.parameters, now: now)
        try ContentDigest.verify(HTTPMessageSignature.combinedField("content-digest", in: headers), body: body)
        return verified
    }

    /// Checks `created` and `expires` against `now`: `created` is required, at most
    /// ``clockSkew`` in the future and at most ``maximumAge`` (+ ``clockSkew``) in the past;
    /// `expires`, when present, has not passed (by more than ``clockSkew``).
    public static func checkTime(_ parameters: HTTPSignatureParameters, now: Instant) throws(HTTPSignatureError) {
        guard let created = parameters.created else { throw .malformed("the signature has no `created` parameter") }
        let current = now.secondsSinceEpoch
        if created > current + clockSkew { throw .early("`created` is \(created - current) s in the future") }
        if current - created > maximumAge + clockSkew { throw .expired("`created` is \(current - created) s old (at most \(maximumAge))") }
        if let expires = parameters.expires, expires + clockSkew < current { throw .expired("`expires` passed \(current - expires) s ago") }
    }

    /// The `Accept-Signature` value (RFC 9421 §5.1) a company sends with a `401`: what to sign.
    public static func acceptSignature(method: String) -> String {
        let inner = HTTPMessageSignature.serializedParameters(
            requestComponents(method: method),
            [
                ("created", .boolean(true)), ("keyid", .boolean(true)), ("alg", .string(HTTPMessageSignature.algorithm)),
                ("tag", .string(requestTag)),
            ])
        return "\(label)=\(inner)"
    }
}

/// The public keys a company accepts for customer agents: the ones registered or pinned for an
/// agent id, plus, for a self-certifying id (`ed25519:X`), the key the id names
/// (`Spec/HTTP.md` §2.6).
///
/// ```swift
/// var keys = AgentKeyRegistry()
/// keys.register(assistantKey, for: "assistant.example/lisa")
/// ```
public struct AgentKeyRegistry: Sendable, Hashable {
    private var keysByAgent: [AgentID: [PublicSigningKey]] = [:]

    /// An empty registry: only self-certifying ids authenticate.
    public init() {}

    /// Registers (pins) `key` for `agent`, in addition to the keys it already has (rotation).
    public mutating func register(_ key: PublicSigningKey, for agent: AgentID) {
        if keysByAgent[agent]?.contains(key) != true { keysByAgent[agent, default: []].append(key) }
    }

    /// Removes `key` from `agent`'s keys (after a rotation, or when it is compromised).
    public mutating func revoke(_ key: PublicSigningKey, for agent: AgentID) {
        keysByAgent[agent]?.removeAll { $0 == key }
    }

    /// The keys that may sign for `agent`.
    public func keys(for agent: AgentID) -> [PublicSigningKey] {
        var keys = keysByAgent[agent] ?? []
        if let own = ParleyHTTPSignatures.selfCertifiedKey(of: agent), !keys.contains(own) { keys.append(own) }
        return keys
    }
}
