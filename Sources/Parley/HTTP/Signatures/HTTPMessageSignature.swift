/// An HTTP request or response as HTTP Message Signatures (RFC 9421) see it: the parts a
/// signature can cover. A response may carry the request it answers, so that its signature can
/// cover request components (`;req`, RFC 9421 §2.4).
public struct HTTPSignatureMessage: Sendable {
    /// The request side: method, absolute target URI and header fields.
    public struct Request: Sendable {
        /// The method, upper case.
        public var method: String
        /// The absolute target URI (`https://salon.example/parley?x=1`), as the client addressed it.
        public var targetURI: String
        /// The header fields in order; names in any case, a name may repeat.
        public var headers: [(name: String, value: String)]

        /// Creates the request side of a message.
        public init(method: String, targetURI: String, headers: [(name: String, value: String)]) {
            self.method = method
            self.targetURI = targetURI
            self.headers = headers
        }
    }

    /// The request, or for a response the request it answers (`nil` when unknown).
    public var request: Request?
    /// The response status; `nil` for a request.
    public var status: Int?
    /// The response's header fields (for a request: `request.headers`).
    public var responseHeaders: [(name: String, value: String)]

    /// A request message.
    public static func request(method: String, targetURI: String, headers: [(name: String, value: String)]) -> HTTPSignatureMessage {
        HTTPSignatureMessage(request: Request(method: method, targetURI: targetURI, headers: headers), status: nil, responseHeaders: [])
    }

    /// A response message answering `request` (which components marked `;req` resolve against).
    public static func response(status: Int, headers: [(name: String, value: String)], answering request: Request?) -> HTTPSignatureMessage
    {
        HTTPSignatureMessage(request: request, status: status, responseHeaders: headers)
    }

    /// Whether this is a response.
    public var isResponse: Bool { status != nil }

    /// The header fields of the message itself.
    public var headers: [(name: String, value: String)] { isResponse ? responseHeaders : (request?.headers ?? []) }
}

/// A covered component (RFC 9421 §2): a header field by its lower-case name, or a derived
/// component such as `@method`, `@target-uri`, `@authority`, `@path`, `@query`, `@scheme`,
/// `@request-target` or `@status`; ``fromRequest`` adds the `req` parameter (a response's
/// signature covering a component of the request it answers).
public struct HTTPSignatureComponent: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The component name: a lower-case field name or a derived component name.
    public var name: String
    /// Whether the component is taken from the request a response answers (`;req`).
    public var fromRequest: Bool

    /// Creates a component; field names are lower-cased.
    public init(_ name: String, fromRequest: Bool = false) {
        self.name = name.lowercased()
        self.fromRequest = fromRequest
    }

    /// Creates a component from its name, e.g. `"@method"` or `"content-digest"`.
    public init(stringLiteral value: String) { self.init(value) }

    /// The component identifier as RFC 9421 serialises it: `"@method"`, `"@target-uri";req`.
    public var description: String { StructuredField.serialize(item) }

    var item: StructuredField.Item {
        StructuredField.Item(value: .string(name), parameters: fromRequest ? [("req", .boolean(true))] : [])
    }
}

/// The signature parameters of RFC 9421 §2.3, in the order they are written.
public struct HTTPSignatureParameters: Sendable, Hashable {
    /// `created`: when the signature was made, seconds since the Unix epoch.
    public var created: Int64?
    /// `expires`: when the signature stops being valid, seconds since the Unix epoch.
    public var expires: Int64?
    /// `nonce`.
    public var nonce: String?
    /// `keyid`: for Parley, the key's RFC 7638 thumbprint (``PublicSigningKey/keyID``).
    public var keyID: String?
    /// `alg`: for Parley always `ed25519`.
    public var algorithm: String?
    /// `tag`: which application and purpose the signature is for (`parley-request`, `parley-response`).
    public var tag: String?

    /// Creates parameters; `nil` ones are left out.
    public init(
        created: Int64? = nil, expires: Int64? = nil, nonce: String? = nil, keyID: String? = nil, algorithm: String? = nil,
        tag: String? = nil
    ) {
        self.created = created
        self.expires = expires
        self.nonce = nonce
        self.keyID = keyID
        self.algorithm = algorithm
        self.tag = tag
    }

    var structured: StructuredField.Parameters {
        var result: StructuredField.Parameters = []
        if let created { result.append(("created", .integer(created))) }
        if let expires { result.append(("expires", .integer(expires))) }
        if let nonce { result.append(("nonce", .string(nonce))) }
        if let keyID { result.append(("keyid", .string(keyID))) }
        if let algorithm { result.append(("alg", .string(algorithm))) }
        if let tag { result.append(("tag", .string(tag))) }
        return result
    }

    init(_ parameters: StructuredField.Parameters) throws(HTTPSignatureError) {
        for (key, value) in parameters {
            switch (key, value) {
            case ("created", .integer(let number)): created = number
            case ("expires", .integer(let number)): expires = number
            case ("nonce", .string(let text)): nonce = text
            case ("keyid", .string(let text)): keyID = text
            case ("alg", .string(let text)): algorithm = text
            case ("tag", .string(let text)): tag = text
            case ("created", _), ("expires", _), ("nonce", _), ("keyid", _), ("alg", _), ("tag", _):
                throw .malformed("the signature parameter `\(key)` has the wrong type")
            default: continue  // unknown parameters are signed, and otherwise ignored
            }
        }
    }
}

/// Why an HTTP message signature or content digest is refused, with the HTTP status and the
/// stable `problem` code the binding answers with (`Spec/HTTP.md` §7.5).
public struct HTTPSignatureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable problem code, e.g. `signature-invalid`.
    public var problem: String
    /// The HTTP status a server answers with: 400 for a malformed message, 401 for a failed
    /// authentication, 403 for an authenticated request that claims another agent.
    public var status: Int
    /// What exactly is wrong.
    public var detail: String

    /// Creates an error.
    public init(problem: String, status: Int, detail: String) {
        self.problem = problem
        self.status = status
        self.detail = detail
    }

    /// `problem: detail`.
    public var description: String { "\(problem): \(detail)" }

    static func missing(_ detail: String) -> HTTPSignatureError { .init(problem: "signature-missing", status: 401, detail: detail) }
    static func malformed(_ detail: String) -> HTTPSignatureError { .init(problem: "signature-malformed", status: 400, detail: detail) }
    static func algorithm(_ detail: String) -> HTTPSignatureError { .init(problem: "signature-algorithm", status: 400, detail: detail) }
    static func expired(_ detail: String) -> HTTPSignatureError { .init(problem: "signature-expired", status: 401, detail: detail) }
    static func early(_ detail: String) -> HTTPSignatureError { .init(problem: "signature-early", status: 401, detail: detail) }
    static func coverage(_ detail: String) -> HTTPSignatureError { .init(problem: "signature-coverage", status: 401, detail: detail) }
    static func unknownKey(_ detail: String) -> HTTPSignatureError { .init(problem: "unknown-key", status: 401, detail: detail) }
    static func invalid(_ detail: String) -> HTTPSignatureError { .init(problem: "signature-invalid", status: 401, detail: detail) }
    static func componentMissing(_ detail: String) -> HTTPSignatureError {
        .init(problem: "component-missing", status: 400, detail: detail)
    }
    static func digestMissing(_ detail: String) -> HTTPSignatureError { .init(problem: "digest-missing", status: 400, detail: detail) }
    static func digestMismatch(_ detail: String) -> HTTPSignatureError { .init(problem: "digest-mismatch", status: 400, detail: detail) }
    static func agentMismatch(_ detail: String) -> HTTPSignatureError { .init(problem: "agent-mismatch", status: 403, detail: detail) }
}

/// A signature that verified: which key made it, what it covers, and its parameters.
public struct VerifiedHTTPSignature: Sendable, Hashable {
    /// The label it was found under in `Signature-Input` / `Signature`.
    public var label: String
    /// The key that made it.
    public var key: PublicSigningKey
    /// The components it covers, in signed order.
    public var components: [HTTPSignatureComponent]
    /// Its parameters.
    public var parameters: HTTPSignatureParameters
}

/// HTTP Message Signatures (RFC 9421) with Ed25519 (`alg="ed25519"`, §3.3.6): the signature
/// base, signing and verification. Parley's use of it — which components, which parameters,
/// which time window — is ``ParleyHTTPSignatures``; this type implements the RFC.
public enum HTTPMessageSignature {
    /// The RFC 9421 algorithm name of Ed25519.
    public static let algorithm = "ed25519"

    /// The signature base of RFC 9421 §2.5 for `components` and `parameters` of `message`, as
    /// UTF-8 bytes: one line per component, then the `@signature-params` line, no final newline.
    ///
    /// - Throws: ``HTTPSignatureError`` `component-missing` when a covered field is absent or a
    ///   derived component does not apply (e.g. `@status` of a request), `signature-malformed`
    ///   for an unsupported component parameter or a repeated component.
    public static func signatureBase(
        of message: HTTPSignatureMessage, components: [HTTPSignatureComponent], parameters: HTTPSignatureParameters
    ) throws(HTTPSignatureError) -> [UInt8] {
        try signatureBase(
            of: message, components: components, serializedParameters: serializedParameters(components, parameters.structured))
    }

    static func serializedParameters(_ components: [HTTPSignatureComponent], _ parameters: StructuredField.Parameters) -> String {
        StructuredField.serialize(StructuredField.Member.innerList(components.map(\.item), parameters: parameters))
    }

    static func signatureBase(
        of message: HTTPSignatureMessage, components: [HTTPSignatureComponent], serializedParameters: String
    ) throws(HTTPSignatureError) -> [UInt8] {
        guard Set(components).count == components.count else { throw .malformed("a component is covered twice") }
        var lines: [String] = []
        for component in components {
            lines.append("\(component): \(try value(of: component, in: message))")
        }
        lines.append("\"@signature-params\": \(serializedParameters)")
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// Signs `message` and returns the values of the `Signature-Input` and `Signature` fields
    /// (each holding one member, `label`), to be added to the message as they are.
    public static func sign(
        _ message: HTTPSignatureMessage, components: [HTTPSignatureComponent], parameters: HTTPSignatureParameters, label: String,
        key: SigningKey
    ) throws(HTTPSignatureError) -> (signatureInput: String, signature: String) {
        let inner = serializedParameters(components, parameters.structured)
        let base = try signatureBase(of: message, components: components, serializedParameters: inner)
        let signature = key.signature(for: base)
        return ("\(label)=\(inner)", "\(label)=:\(Base64.encode(signature.rawRepresentation)):")
    }

    /// Verifies the signature of `message` selected by `tag` (the first whose `tag` parameter
    /// equals it; with `tag == nil`, the one labelled `label`, or the only one).
    ///
    /// Checks, in order: both fields parse (RFC 8941) and hold the selected member; the member
    /// is an inner list of string items with only the `req` parameter; `alg`, when present, is
    /// `ed25519`; `keyid` is present and `key(for:)` knows it; every component of `required`
    /// is covered; the covered components exist; the Ed25519 signature over the base verifies
    /// (`Spec/SIGNATURES.md` §3). Time is checked by the caller (``ParleyHTTPSignatures``).
    public static func verify(
        _ message: HTTPSignatureMessage, tag: String?, label: String? = nil, required: [HTTPSignatureComponent],
        key: (String) -> PublicSigningKey?
    ) throws(HTTPSignatureError) -> VerifiedHTTPSignature {
        let headers = message.headers
        guard let inputText = combinedField("signature-input", in: headers), let signatureText = combinedField("signature", in: headers)
        else { throw .missing("the message has no Signature-Input and Signature fields") }
        let inputs: [(key: String, member: StructuredField.Member)]
        let signatures: [(key: String, member: StructuredField.Member)]
        do {
            inputs = try StructuredField.parseDictionary(inputText)
            signatures = try StructuredField.parseDictionary(signatureText)
        } catch { throw .malformed("Signature-Input or Signature is not a structured-field dictionary: \(error.detail)") }
        var selected: (label: String, items: [StructuredField.Item], parameters: StructuredField.Parameters)?
        for (name, member) in inputs {
            guard case .innerList(let items, let parameters) = member else { continue }
            if let tag {
                if parameters.first(where: { $0.key == "tag" })?.value == .string(tag) {
                    selected = (name, items, parameters)
                    break
                }
            } else if name == label || (label == nil && inputs.count == 1) {
                selected = (name, items, parameters)
                break
            }
        }
        guard let selected else {
            throw .missing("no signature with tag \"\(tag ?? label ?? "")\" (found: \(inputs.map(\.key).joined(separator: ", ")))")
        }
        guard let signatureMember = signatures.first(where: { $0.key == selected.label })?.member,
            case .item(let signatureItem) = signatureMember, case .bytes(let signatureBytes) = signatureItem.value
        else { throw .malformed("Signature has no byte sequence labelled \(selected.label)") }
        var components: [HTTPSignatureComponent] = []
        for item in selected.items {
            guard case .string(let name) = item.value, !name.isEmpty, name == name.lowercased() else {
                throw .malformed("a covered component is not a lower-case string")
            }
            var fromRequest = false
            for (key, value) in item.parameters {
                guard key == "req", value == .boolean(true) else {
                    throw .malformed("the component parameter `\(key)` of \"\(name)\" is not supported (only req)")
                }
                fromRequest = true
            }
            components.append(HTTPSignatureComponent(name, fromRequest: fromRequest))
        }
        let parameters = try HTTPSignatureParameters(selected.parameters)
        if let algorithm = parameters.algorithm, algorithm != Self.algorithm {
            throw .algorithm("alg is \"\(algorithm)\"; only \"\(Self.algorithm)\" is accepted")
        }
        guard let keyID = parameters.keyID else { throw .malformed("the signature has no keyid") }
        guard let publicKey = key(keyID) else { throw .unknownKey("no acceptable key has the id \(keyID)") }
        for component in required where !components.contains(component) {
            throw .coverage("the signature does not cover \(component) (it covers \(components.map(\.description).joined(separator: " ")))")
        }
        let base = try signatureBase(
            of: message, components: components, serializedParameters: serializedParameters(components, selected.parameters))
        guard let signature = Signature(rawRepresentation: signatureBytes), publicKey.isValidSignature(signature, for: base) else {
            throw .invalid("the Ed25519 signature does not verify under key \(keyID)")
        }
        return VerifiedHTTPSignature(label: selected.label, key: publicKey, components: components, parameters: parameters)
    }

    // MARK: - Component values (RFC 9421 §2.1, §2.2)

    /// The field's lines joined by ", " with surrounding white space removed; `nil` when absent.
    static func combinedField(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        let lines = headers.filter { $0.name.lowercased() == name }.map { $0.value.trimmingSpaces }
        return lines.isEmpty ? nil : lines.joined(separator: ", ")
    }

    static func value(of component: HTTPSignatureComponent, in message: HTTPSignatureMessage) throws(HTTPSignatureError) -> String {
        let name = component.name
        if component.fromRequest, !message.isResponse { throw .componentMissing("\(component) is used on a request") }
        let useRequest = component.fromRequest || !message.isResponse
        guard name.hasPrefix("@") else {
            let headers = useRequest ? (message.request?.headers ?? []) : message.responseHeaders
            guard let value = combinedField(name, in: headers) else { throw .componentMissing("the covered field \(name) is absent") }
            return value
        }
        if name == "@status" {
            guard !component.fromRequest, let status = message.status else { throw .componentMissing("@status applies to responses only") }
            return String(status)
        }
        guard useRequest, let request = message.request else { throw .componentMissing("\(name) applies to requests only") }
        if name == "@method" { return request.method }
        guard let uri = TargetURI(request.targetURI) else { throw .componentMissing("the target URI \(request.targetURI) is not absolute") }
        switch name {
        case "@target-uri": return request.targetURI
        case "@authority": return uri.authority
        case "@scheme": return uri.scheme
        case "@path": return uri.path
        case "@query": return "?" + (uri.query ?? "")
        case "@request-target": return uri.path + (uri.query.map { "?" + $0 } ?? "")
        default: throw .malformed("the derived component \(name) is not supported")
        }
    }
}

/// An absolute URI split as RFC 9421's derived components need it.
struct TargetURI {
    var scheme: String
    var authority: String
    var path: String
    var query: String?

    init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { return nil }
        scheme = text[..<colon].lowercased()
        guard !scheme.isEmpty else { return nil }
        var rest = text[text.index(colon, offsetBy: 3)...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var host = rest[..<authorityEnd].lowercased()
        guard !host.isEmpty else { return nil }
        // The default port is left out of @authority (RFC 9421 §2.2.3).
        if scheme == "https", host.hasSuffix(":443") { host.removeLast(4) }
        if scheme == "http", host.hasSuffix(":80") { host.removeLast(3) }
        authority = host
        let pathAndQuery = rest[authorityEnd...]
        if let mark = pathAndQuery.firstIndex(of: "?") {
            path = String(pathAndQuery[..<mark])
            query = String(pathAndQuery[pathAndQuery.index(after: mark)...])
        } else {
            path = String(pathAndQuery)
            query = nil
        }
        if path.isEmpty { path = "/" }
    }
}
