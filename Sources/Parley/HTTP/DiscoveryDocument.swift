/// The document a company serves at `/.well-known/parley` (`Spec/HTTP.md` §2): who its agent is,
/// which protocol versions it speaks, where its exchange endpoint is and what it offers.
///
/// ```swift
/// let document = DiscoveryDocument(agent: salon, endpoints: ["/parley"])
/// let bytes = document.encoded()                 // serve with ParleyHTTP.discoveryMediaType
/// let back = try DiscoveryDocument.decode(bytes) // a client validates it the same way
/// ```
public struct DiscoveryDocument: Sendable, Hashable {
    /// The version of the discovery document format this library writes and reads.
    public static let formatVersion = 1

    /// One service the company offers, as listed for discovery.
    public struct ServiceEntry: Sendable, Hashable {
        /// The wire service id, e.g. `haircut-women`.
        public var id: String
        /// A label for people.
        public var title: String
        /// The category a request may name instead of the id.
        public var category: String
        /// How long it takes, in minutes.
        public var durationMinutes: Int

        /// Creates an entry.
        public init(id: String, title: String, category: String, durationMinutes: Int) {
            self.id = id
            self.title = title
            self.category = category
            self.durationMinutes = durationMinutes
        }
    }

    /// The protocol versions spoken, highest preference first.
    public var versions: [Int]
    /// The agent id envelopes are addressed to.
    public var agent: AgentID
    /// The company's display name.
    public var name: String
    /// Always `company` for a company's discovery document.
    public var role: String
    /// Exchange endpoints, most preferred first: absolute `https` URLs, or references resolved
    /// against the discovery document's final URL (after redirects).
    public var endpoints: [String]
    /// The company's IANA time zone.
    public var timeZone: String
    /// What it offers.
    public var services: [ServiceEntry]
    /// The agent's public signing keys, most preferred first, published as a JWK Set
    /// (`Spec/HTTP.md` §2.5): each `{"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"use":"sig","alg":"EdDSA"}`.
    public var keys: [PublicSigningKey]
    /// The document's signatures (`Spec/HTTP.md` §2.5): JWS with detached content over the
    /// document's canonical form without `signatures`. Empty when unsigned.
    public var signatures: [DiscoverySignature]
    /// Members this library does not know, kept so that the signed content verifies and the
    /// document re-encodes as it was received.
    var otherMembers: [String: JSONValue] = [:]

    /// Creates a document.
    public init(
        versions: [Int] = ParleyProtocol.supportedVersions, agent: AgentID, name: String, role: String = "company", endpoints: [String],
        timeZone: String, services: [ServiceEntry], keys: [PublicSigningKey] = [], signatures: [DiscoverySignature] = []
    ) {
        self.versions = versions
        self.agent = agent
        self.name = name
        self.role = role
        self.endpoints = endpoints
        self.timeZone = timeZone
        self.services = services
        self.keys = keys
        self.signatures = signatures
    }

    /// The document for a company agent, with `endpoints` as given and `keys` published (unsigned;
    /// see ``signed(with:)``).
    public init(agent company: CompanyAgent, endpoints: [String], keys: [PublicSigningKey] = []) {
        self.init(
            agent: company.profile.id, name: company.profile.name, endpoints: endpoints, timeZone: company.profile.timeZone,
            services: company.catalogue.services.prefix(ProtocolLimits.maximumServices).map {
                ServiceEntry(id: $0.id, title: $0.title, category: $0.category, durationMinutes: $0.durationMinutes)
            }, keys: keys)
    }

    /// The document as a JSON value, signatures included.
    public var json: JSONValue {
        guard case .object(var members) = signedContent else { return signedContent }
        if !signatures.isEmpty { members["signatures"] = .array(signatures.map(\.json)) }
        return .object(members)
    }

    /// The document without `signatures`: what the signatures sign, in canonical form.
    public var signingPayload: [UInt8] { CanonicalJSON.compactCanonicalBytes(signedContent) }

    private var signedContent: JSONValue {
        var members = otherMembers
        members.merge(core) { _, known in known }
        return .object(members)
    }

    private var core: [String: JSONValue] {
        [
            "parleyDiscovery": .number(Double(Self.formatVersion)),
            "versions": .array(versions.map { .number(Double($0)) }),
            "agent": .string(agent.rawValue),
            "name": .string(name),
            "role": .string(role),
            "endpoints": .array(endpoints.map(JSONValue.string)),
            "timeZone": .string(timeZone),
            "services": .array(
                services.map {
                    .object([
                        "id": .string($0.id), "title": .string($0.title), "category": .string($0.category),
                        "durationMinutes": .number(Double($0.durationMinutes)),
                    ])
                }),
            "keys": .array(keys.map(Self.jwk)),
        ]
    }

    /// `key` as a JSON Web Key (RFC 7517, RFC 8037) with its thumbprint as `kid`.
    static func jwk(_ key: PublicSigningKey) -> JSONValue {
        .object([
            "kty": .string("OKP"), "crv": .string("Ed25519"), "x": .string(key.base64URL), "kid": .string(key.keyID),
            "use": .string("sig"), "alg": .string("EdDSA"),
        ])
    }

    /// The document in canonical JSON (sorted members, no insignificant white space), plus a line feed.
    public func encoded() -> [UInt8] { CanonicalJSON.compactCanonicalBytes(json) + [0x0A] }

    /// Why a discovery document is refused (`Spec/HTTP.md` §2.4).
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// A stable code: `too-large`, `malformed`, `unsupported-format`, `no-common-version`,
        /// `invalid-member`, `bad-signature` (`Spec/HTTP.md` §2.4).
        public var code: String
        /// What exactly is wrong.
        public var detail: String

        /// Creates a problem.
        public init(_ code: String, _ detail: String) {
            self.code = code
            self.detail = detail
        }

        public var description: String { "\(code): \(detail)" }
    }

    /// Parses and validates a discovery document. Unknown members are ignored (forward compatible).
    ///
    /// - Throws: ``Problem`` when the document is over ``ParleyHTTP/maximumDiscoveryBytes``, not a
    ///   JSON object, of a format version other than 1, shares no protocol version with this
    ///   library, or a member is missing or invalid.
    public static func decode(_ bytes: [UInt8]) throws(Problem) -> DiscoveryDocument {
        guard bytes.count <= ParleyHTTP.maximumDiscoveryBytes else {
            throw Problem("too-large", "the document has \(bytes.count) bytes; at most \(ParleyHTTP.maximumDiscoveryBytes) are read")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw Problem("malformed", error.message) }
        guard case .object(let members) = value else { throw Problem("malformed", "the document is not a JSON object") }
        guard case .number(let format)? = members["parleyDiscovery"] else {
            throw Problem("invalid-member", "`parleyDiscovery` is missing or not a number")
        }
        guard format == Double(formatVersion) else {
            throw Problem("unsupported-format", "discovery format \(format) is not understood (this client reads \(formatVersion))")
        }
        func string(_ name: String, maximum: Int = 256) throws(Problem) -> String {
            guard case .string(let text)? = members[name], !text.isEmpty, text.utf8.count <= maximum else {
                throw Problem("invalid-member", "`\(name)` is missing, empty, too long or not a string")
            }
            return text
        }
        guard case .array(let versionValues)? = members["versions"], !versionValues.isEmpty,
            versionValues.count <= ProtocolLimits.maximumVersions
        else {
            throw Problem("invalid-member", "`versions` must be a non-empty array of at most \(ProtocolLimits.maximumVersions) integers")
        }
        var versions: [Int] = []
        for item in versionValues {
            guard case .number(let number) = item, number >= 1, number <= 1_000_000, number.rounded(.towardZero) == number else {
                throw Problem("invalid-member", "`versions` holds something that is not a positive integer")
            }
            versions.append(Int(number))
        }
        guard versions.contains(where: ParleyProtocol.supportedVersions.contains) else {
            throw Problem("no-common-version", "the company speaks \(versions), this client \(ParleyProtocol.supportedVersions)")
        }
        guard let agent = AgentID(rawValue: try string("agent")) else { throw Problem("invalid-member", "`agent` is not a valid agent id") }
        let role = try string("role", maximum: 32)
        guard role == "company" else { throw Problem("invalid-member", "`role` is '\(role)', not 'company'") }
        guard case .array(let endpointValues)? = members["endpoints"], !endpointValues.isEmpty, endpointValues.count <= 8 else {
            throw Problem("invalid-member", "`endpoints` must be a non-empty array of at most 8 URL strings")
        }
        var endpoints: [String] = []
        for item in endpointValues {
            guard case .string(let url) = item, !url.isEmpty, url.utf8.count <= 2048 else {
                throw Problem("invalid-member", "`endpoints` holds something that is not a URL string")
            }
            endpoints.append(url)
        }
        var services: [ServiceEntry] = []
        if let serviceValues = members["services"] {
            guard case .array(let items) = serviceValues, items.count <= ProtocolLimits.maximumServices else {
                throw Problem("invalid-member", "`services` must be an array of at most \(ProtocolLimits.maximumServices) objects")
            }
            for item in items {
                guard case .object(let service) = item, case .string(let id)? = service["id"], case .string(let title)? = service["title"],
                    case .string(let category)? = service["category"], case .number(let minutes)? = service["durationMinutes"],
                    minutes >= 1, minutes <= Double(ProtocolLimits.maximumDurationMinutes), minutes.rounded(.towardZero) == minutes
                else { throw Problem("invalid-member", "a service lacks `id`, `title`, `category` or a valid `durationMinutes`") }
                services.append(ServiceEntry(id: id, title: title, category: category, durationMinutes: Int(minutes)))
            }
        }
        let keys = try decodeKeys(members["keys"])
        let signatures = try DiscoverySignature.decodeAll(members["signatures"])
        var document = DiscoveryDocument(
            versions: versions, agent: agent, name: try string("name"), role: role, endpoints: endpoints,
            timeZone: try string("timeZone", maximum: 64), services: services, keys: keys, signatures: signatures)
        let known: Set<String> = [
            "parleyDiscovery", "versions", "agent", "name", "role", "endpoints", "timeZone", "services", "keys", "signatures",
        ]
        document.otherMembers = members.filter { !known.contains($0.key) }
        return document
    }

    /// The `keys` member: JWKs of type `OKP` / `Ed25519` become keys; JWKs of other types are
    /// skipped (a later version may add algorithms); an Ed25519 JWK that is not acceptable is refused.
    static func decodeKeys(_ value: JSONValue?) throws(Problem) -> [PublicSigningKey] {
        guard let value else { return [] }
        guard case .array(let items) = value, items.count <= maximumKeys else {
            throw Problem("invalid-member", "`keys` must be an array of at most \(maximumKeys) JSON Web Keys")
        }
        var keys: [PublicSigningKey] = []
        for item in items {
            guard case .object(let jwk) = item, case .string(let kty)? = jwk["kty"] else {
                throw Problem("invalid-member", "a member of `keys` is not a JSON Web Key (no `kty`)")
            }
            guard kty == "OKP", jwk["crv"] == .string("Ed25519") else { continue }
            guard case .string(let x)? = jwk["x"], let key = PublicSigningKey(base64URL: x) else {
                throw Problem("invalid-member", "an Ed25519 key's `x` is not an acceptable public key (Spec/SIGNATURES.md §1)")
            }
            guard jwk["d"] == nil else { throw Problem("invalid-member", "a published key holds a private part `d`") }
            guard jwk["kid"] == .string(key.keyID) else {
                throw Problem("invalid-member", "a key's `kid` is not its RFC 7638 thumbprint \(key.keyID)")
            }
            if let use = jwk["use"], use != .string("sig") { throw Problem("invalid-member", "a key's `use` is not \"sig\"") }
            if let alg = jwk["alg"], alg != .string("EdDSA"), alg != .string("Ed25519") {
                throw Problem("invalid-member", "a key's `alg` is not \"EdDSA\"")
            }
            if !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// The most keys a document may list.
    public static let maximumKeys = 16
}
