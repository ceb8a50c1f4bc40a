extension CompanyHTTPBinding {
    /// Authenticates the agent a request speaks for (`Spec/HTTP.md` §7.3): `nil` when the
    /// request is served unauthenticated (unsigned, and the policy allows it), the agent id of
    /// `Parley-Agent` when a signature by one of its keys verifies, or the refusal to answer with.
    func authenticate(_ request: ParleyHTTPRequest) async -> Authentication {
        let policy = configuration.requestSignatures
        let signed = request.header("Signature-Input") != nil || request.header("Signature") != nil
        switch policy {
        case .ignored: return .anonymous
        case .verifiedWhenPresent where !signed: return .anonymous
        case .verifiedWhenPresent, .required: break
        }
        guard signed else {
            return .refused(
                .problem(
                    HTTPSignatureError.missing("this company requires HTTP message signatures (Spec/HTTP.md §7)"),
                    headers: ["Accept-Signature": ParleyHTTPSignatures.acceptSignature(method: request.method)]))
        }
        guard let header = request.header(ParleyHTTP.agentHeader), let agent = AgentID(rawValue: header.trimmingSpaces) else {
            return .refused(.problem(400, "missing-agent", "a signed request names its agent id in the \(ParleyHTTP.agentHeader) header"))
        }
        let keys = await customerKeys.keys(for: agent)
        guard !keys.isEmpty else {
            return .refused(
                .problem(
                    HTTPSignatureError.unknownKey("no key is registered for \(agent), and it is not a self-certifying id"),
                    headers: ["Accept-Signature": ParleyHTTPSignatures.acceptSignature(method: request.method)]))
        }
        do {
            _ = try ParleyHTTPSignatures.verifyRequest(
                method: request.method, targetURI: targetURI(of: request), headers: request.headers, body: request.body, keys: keys,
                now: clock.now)
            return .agent(agent)
        } catch {
            var headers: [String: String] = [:]
            if error.status == 401 { headers["Accept-Signature"] = ParleyHTTPSignatures.acceptSignature(method: request.method) }
            return .refused(.problem(error, headers: headers))
        }
    }
}

/// What ``CompanyHTTPBinding/authenticate(_:)`` found.
enum Authentication {
    /// Unsigned, and the policy serves it without authentication.
    case anonymous
    /// Signed by a key of this agent.
    case agent(AgentID)
    /// Refused with this response.
    case refused(ParleyHTTPResponse)
}

extension ParleyHTTPResponse {
    /// The problem response for a refused signature or digest.
    static func problem(_ error: HTTPSignatureError, headers: [String: String] = [:]) -> ParleyHTTPResponse {
        .problem(error.status, error.problem, error.detail, headers: headers)
    }
}

/// The customer keys a binding accepts, changeable while it serves.
actor CustomerKeys {
    private var registry: AgentKeyRegistry

    init(_ registry: AgentKeyRegistry) { self.registry = registry }

    func keys(for agent: AgentID) -> [PublicSigningKey] { registry.keys(for: agent) }
    func register(_ key: PublicSigningKey, for agent: AgentID) { registry.register(key, for: agent) }
    func revoke(_ key: PublicSigningKey, for agent: AgentID) { registry.revoke(key, for: agent) }
}
