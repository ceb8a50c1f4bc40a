/// One message on the wire: addressing, ordering and the typed body.
///
/// An envelope is immutable. One decoded from the wire keeps every member it was sent with,
/// including members this version does not know, so that it re-encodes to exactly the
/// canonical text that was received and both sides compute the same digests.
public struct Envelope: Hashable, Sendable, CustomStringConvertible {
    /// The members, in one immutable heap object: an envelope is one pointer, and the copies a
    /// session keeps of it (transcript, reply cache, retransmission queue) share the object.
    private final class Storage: Sendable {
        let version: Int
        let id: MessageID
        let session: SessionID
        let from: AgentID
        let to: AgentID
        let sequence: Int
        let acknowledged: Int
        let inReplyTo: MessageID?
        let sentAt: Instant
        let message: Message
        let canonical: [UInt8]

        init(
            version: Int, id: MessageID, session: SessionID, from: AgentID, to: AgentID, sequence: Int, acknowledged: Int,
            inReplyTo: MessageID?, sentAt: Instant, message: Message, canonical: [UInt8]
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
            self.canonical = canonical
        }
    }

    private let storage: Storage

    /// The protocol version (the `parley` member).
    public var version: Int { storage.version }
    /// The message id; retransmissions reuse it.
    public var id: MessageID { storage.id }
    /// The session the message belongs to.
    public var session: SessionID { storage.session }
    /// The sending agent.
    public var from: AgentID { storage.from }
    /// The receiving agent.
    public var to: AgentID { storage.to }
    /// The sender's sequence number in this session: 1 for its first message, then +1 per new message.
    public var sequence: Int { storage.sequence }
    /// The highest sequence number the sender has received from the peer without gaps (0 for none).
    public var acknowledged: Int { storage.acknowledged }
    /// The message this one answers, if any.
    public var inReplyTo: MessageID? { storage.inReplyTo }
    /// When the sender sent it (the first time; retransmissions keep it).
    public var sentAt: Instant { storage.sentAt }
    /// The typed body.
    public var message: Message { storage.message }
    /// The canonical (RFC 8785) UTF-8 bytes of the whole envelope, unknown members included:
    /// what is sent and what digests cover. Kept instead of the JSON tree, which takes several
    /// times the memory.
    var canonical: [UInt8] { storage.canonical }

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
        // The members in canonical order, which is fixed: UTF-16 order of the names.
        var writer = CanonicalWriter(capacity: 1024)
        func name(_ text: StaticString) { text.withUTF8Buffer { writer.bytes.append(contentsOf: $0) } }
        name(#"{"ack":"#)
        writer.write(integer: Int64(acknowledged))
        name(#","body":"#)
        message.writeBody(to: &writer)
        name(#","from":"#)
        writer.write(string: from.rawValue)
        name(#","id":"#)
        writer.write(string: id.rawValue)
        if let inReplyTo {
            name(#","inReplyTo":"#)
            writer.write(string: inReplyTo.rawValue)
        }
        name(#","parley":"#)
        writer.write(integer: Int64(version))
        name(#","sentAt":""#)
        sentAt.appendRFC3339(to: &writer.bytes)
        name(#"","seq":"#)
        writer.write(integer: Int64(sequence))
        name(#","session":"#)
        writer.write(string: session.rawValue)
        name(#","to":"#)
        writer.write(string: to.rawValue)
        name(#","type":"#)
        writer.write(string: message.kind.rawValue)
        name("}")
        let bytes = writer.bytes
        // Kept for the envelope's lifetime: exactly as large as needed.
        let canonical = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: bytes)
        }
        storage = Storage(
            version: version, id: id, session: session, from: from, to: to, sequence: sequence, acknowledged: acknowledged,
            inReplyTo: inReplyTo, sentAt: sentAt, message: message, canonical: canonical)
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
        let id: MessageID = try reader.required("id")
        let session: SessionID = try reader.required("session")
        let from: AgentID = try reader.required("from")
        let to: AgentID = try reader.required("to")
        let sequence = Int(try reader.integer("seq", in: 1...Int64(Envelope.maximumSequence)))
        let acknowledged = Int(try reader.optionalInteger("ack", in: 0...Int64(Envelope.maximumSequence)) ?? 0)
        let inReplyTo: MessageID? = try reader.optional("inReplyTo")
        let sentAt: Instant = try reader.required("sentAt")
        guard let body = reader.members["body"] else {
            throw ParleyError(.missingField, "envelope: missing member 'body'", offendingMessage: id)
        }
        let message: Message
        do {
            message = try Message(kind: kind, body: body)
        } catch {
            var error = error
            error.offendingMessage = id
            throw error
        }
        storage = Storage(
            version: version, id: id, session: session, from: from, to: to, sequence: sequence, acknowledged: acknowledged,
            inReplyTo: inReplyTo, sentAt: sentAt, message: message, canonical: CanonicalJSON.compactCanonicalBytes(json))
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
