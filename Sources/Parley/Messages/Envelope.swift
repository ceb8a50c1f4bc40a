/// One message on the wire: addressing, ordering and the typed body.
///
/// An envelope is immutable. One decoded from the wire keeps every member it was sent with,
/// including members this version does not know, so that it re-encodes to exactly the
/// canonical text that was received and both sides compute the same digests.
public struct Envelope: Hashable, Sendable, CustomStringConvertible {
    /// The protocol version (the `parley` member).
    public let version: Int
    /// The message id; retransmissions reuse it.
    public let id: MessageID
    /// The session the message belongs to.
    public let session: SessionID
    /// The sending agent.
    public let from: AgentID
    /// The receiving agent.
    public let to: AgentID
    /// The sender's sequence number in this session: 1 for its first message, then +1 per new message.
    public let sequence: Int
    /// The highest sequence number the sender has received from the peer without gaps (0 for none).
    public let acknowledged: Int
    /// The message this one answers, if any.
    public let inReplyTo: MessageID?
    /// When the sender sent it (the first time; retransmissions keep it).
    public let sentAt: Instant
    /// The typed body.
    public let message: Message
    /// The canonical (RFC 8785) UTF-8 bytes of the whole envelope, unknown members included:
    /// what is sent and what digests cover. Kept instead of the JSON tree, which takes several
    /// times the memory; copies of an envelope share these bytes.
    let canonical: [UInt8]

    /// The whole envelope as JSON, unknown members included.
    ///
    /// Parsed from the envelope's canonical bytes on each access, which hold exactly this value.
    public var json: JSONValue {
        do {
            return try JSONParser.parse(canonical, limits: WireLimits(maximumBytes: .max, maximumDepth: .max))
        } catch {
            preconditionFailure("canonical JSON that does not parse: \(error)")
        }
    }

    /// Creates an envelope to send.
    public init(
        version: Int = ParleyProtocol.version, id: MessageID, session: SessionID, from: AgentID, to: AgentID,
        sequence: Int, acknowledged: Int = 0, inReplyTo: MessageID? = nil, sentAt: Instant, message: Message
    ) {
        self.version = version
        self.id = id
        self.session = session
        self.from = from
        self.to = to
        self.sequence = sequence
        self.acknowledged = acknowledged
        self.inReplyTo = inReplyTo
        self.sentAt = sentAt
        self.message = message
        var members: [String: JSONValue] = [
            "parley": .number(Double(version)),
            "id": .string(id.rawValue),
            "session": .string(session.rawValue),
            "from": .string(from.rawValue),
            "to": .string(to.rawValue),
            "seq": .number(Double(sequence)),
            "ack": .number(Double(acknowledged)),
            "sentAt": .string(sentAt.rfc3339),
            "type": .string(message.kind.rawValue),
            "body": message.bodyJSON,
        ]
        if let inReplyTo { members["inReplyTo"] = .string(inReplyTo.rawValue) }
        self.canonical = CanonicalJSON.compactCanonicalBytes(.object(members))
    }

    /// The message's wire type.
    public var kind: Message.Kind { message.kind }

    public var description: String {
        "\(kind) #\(sequence) \(from)→\(to) [\(session)] id=\(id)"
    }

    /// Equal envelopes have equal JSON; canonical bytes are equal exactly when the JSON is.
    public static func == (lhs: Envelope, rhs: Envelope) -> Bool { lhs.canonical == rhs.canonical }
    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }
}

extension Envelope {
    /// The largest sequence number, 2^31 − 1.
    public static let maximumSequence = 2_147_483_647

    /// Decodes an envelope from a parsed JSON value.
    ///
    /// Checks, in this order: the value is an object (`malformed-json`); `parley` is present and an
    /// integer (`missing-field`/`invalid-field`) and a version in `supportedVersions`
    /// (`unsupported-version`); `type` names a known message (`unknown-message-type`); then every
    /// other member (`missing-field`, `invalid-field`).
    public init(json: JSONValue, supportedVersions: [Int] = ParleyProtocol.supportedVersions) throws(ParleyError) {
        guard case .object = json else {
            throw ParleyError(.malformedJSON, "an envelope must be a JSON object, found \(json.typeName)")
        }
        let reader = try ObjectReader(json, path: "")
        // Any integer is a version number (§4.5): one not spoken, 0 and negatives included, is unsupported.
        let declared = try reader.integer("parley", in: -JSONValue.maximumSafeInteger...JSONValue.maximumSafeInteger)
        guard let version = Int(exactly: declared), supportedVersions.contains(version) else {
            throw ParleyError(.unsupportedVersion, "protocol version \(declared) is not supported (speaks \(supportedVersions))")
        }
        let typeName: String = try reader.required("type")
        guard let kind = Message.Kind(rawValue: typeName) else {
            throw ParleyError(.unknownMessageType, "unknown message type '\(typeName.prefix(64))'")
        }
        self.version = version
        id = try reader.required("id")
        session = try reader.required("session")
        from = try reader.required("from")
        to = try reader.required("to")
        sequence = Int(try reader.integer("seq", in: 1...Int64(Envelope.maximumSequence)))
        acknowledged = Int(try reader.optionalInteger("ack", in: 0...Int64(Envelope.maximumSequence)) ?? 0)
        inReplyTo = try reader.optional("inReplyTo")
        sentAt = try reader.required("sentAt")
        guard let body = reader.members["body"] else {
            throw ParleyError(.missingField, "envelope: missing member 'body'", offendingMessage: id)
        }
        do {
            message = try Message(kind: kind, body: body)
        } catch {
            var error = error
            error.offendingMessage = id
            throw error
        }
        self.canonical = CanonicalJSON.compactCanonicalBytes(json)
    }
}

extension Envelope: Codable {
    /// Stores the envelope as its JSON (for persisting session state; the wire uses ``WireCodec``).
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        do {
            self = try Envelope(json: json)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
