/// An HTTP request as the Parley HTTP binding sees it: the host server's parsed request, with
/// the whole body collected (the host enforces ``CompanyHTTPBinding/Configuration/maximumBodyBytes``
/// while collecting it, and answers 413 itself when it is exceeded).
///
/// Header names compare case-insensitively; the binding reads `Content-Type`, `Parley-Agent`,
/// `Content-Length`, and for request signatures `Signature-Input`, `Signature`, `Content-Digest`
/// and `Host` (`Spec/HTTP.md` §7). A host whose HTTP library moves `Host` into an `:authority`
/// pseudo-field passes it on as `Host`.
public struct ParleyHTTPRequest: Sendable, Hashable {
    /// The method, upper case (`GET`, `POST`, …).
    public var method: String
    /// The request target: the path and, optionally, `?` and the query.
    public var target: String
    /// The header fields, in any order; names in any case.
    public var headers: [(name: String, value: String)] {
        get { headerStorage.map { ($0.name, $0.value) } }
        set { headerStorage = newValue.map { Header(name: $0.name, value: $0.value) } }
    }
    /// The body, complete.
    public var body: [UInt8]
    /// Who sent the request, as the host identifies the client (for example its IP address, or
    /// the address a trusted proxy forwarded). Per-client rate limits are keyed by it; `nil` puts
    /// the request in one shared bucket.
    public var client: String?

    private var headerStorage: [Header]

    private struct Header: Sendable, Hashable {
        var name: String
        var value: String
    }

    /// Creates a request.
    public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [], client: String? = nil) {
        self.method = method
        self.target = target
        self.headerStorage = headers.map { Header(name: $0.name, value: $0.value) }
        self.body = body
        self.client = client
    }

    /// The value of the first header field named `name` (compared case-insensitively).
    public func header(_ name: String) -> String? {
        headerStorage.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// The path of ``target``, without the query.
    public var path: String {
        String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// The query parameters of ``target`` (no percent-decoding: Parley's values never need it).
    public var query: [String: String] {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return [:] }
        var result: [String: String] = [:]
        for pair in parts[1].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(kv[0])] = kv.count == 2 ? String(kv[1]) : ""
        }
        return result
    }
}

/// The HTTP response the binding produces: the host server writes it out as it is.
public struct ParleyHTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// The header fields to send (the host adds `Content-Length`, `Date` and connection headers).
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// A problem response for the HTTP tier (`Spec/HTTP.md` §5): a JSON object with a stable
    /// `problem` code and a human-readable `detail`.
    static func problem(_ status: Int, _ code: String, _ detail: String, headers: [String: String] = [:]) -> ParleyHTTPResponse {
        let value = JSONValue.object(["problem": .string(code), "detail": .string(detail), "status": .number(Double(status))])
        var all = headers
        all["Content-Type"] = ParleyHTTP.problemMediaType
        all["Cache-Control"] = "no-store"
        return ParleyHTTPResponse(status: status, headers: all, body: CanonicalJSON.compactCanonicalBytes(value) + [0x0A])
    }
}

/// The constants of the HTTP binding (`Spec/HTTP.md`).
public enum ParleyHTTP {
    /// The discovery path on a company's origin.
    public static let discoveryPath = "/.well-known/parley"
    /// The media type of a request body: one envelope.
    public static let envelopeMediaType = "application/parley+json"
    /// The media type of an exchange response body: zero or more envelopes as JSON Lines.
    public static let batchMediaType = "application/parley-batch+jsonl"
    /// The media type of the discovery document.
    public static let discoveryMediaType = "application/parley-discovery+json"
    /// The media type of an HTTP-tier problem (RFC 9457 shape, reduced).
    public static let problemMediaType = "application/problem+json"
    /// The header a customer names itself with when it polls for later messages.
    public static let agentHeader = "Parley-Agent"
    /// The largest discovery document a client accepts, in bytes.
    public static let maximumDiscoveryBytes = 65_536
    /// The longest a poll may wait, in seconds, whatever the client asks.
    public static let maximumPollWait = 30
}
