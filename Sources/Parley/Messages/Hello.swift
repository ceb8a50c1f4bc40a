extension Message {
    /// The first message each side sends: who it is, which role it plays, which protocol versions it speaks.
    ///
    /// The customer sends `hello` first; the company answers with its own. Both then speak the
    /// highest version both lists contain. If there is none, the company answers with an `error`
    /// `no-common-version` and the session fails.
    public struct Hello: Hashable, Sendable, Codable {
        /// Protocol versions the sender speaks, e.g. `[1]`.
        public var versions: [Int]
        /// The role the sender plays in this session.
        public var role: Role
        /// A display name, e.g. "Salon Lisa & Co".
        public var name: String?
        /// The services the company offers (company only), as service names.
        public var services: [String]

        /// Creates a hello message body from its members.
        public init(versions: [Int] = [ParleyProtocol.version], role: Role, name: String? = nil, services: [String] = []) {
            self.versions = versions
            self.role = role
            self.name = name
            self.services = services
        }
    }
}

extension Message.Hello: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        versions = try reader.list("versions", required: true, minimum: 1, maximum: ProtocolLimits.maximumVersions)
        guard versions.allSatisfy({ $0 >= 1 }) else { throw reader.invalid("versions", "versions start at 1") }
        role = try reader.required("role")
        name = try reader.optionalText("name", maximumBytes: 256)
        services = try reader.list("services", maximum: ProtocolLimits.maximumServices)
        guard services.allSatisfy(isRegistryName) else { throw reader.invalid("services", "a service name is malformed") }
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("versions", list: versions)
        writer.set("role", role)
        writer.set("name", name)
        writer.set("services", list: services)
        return writer.json
    }
}
