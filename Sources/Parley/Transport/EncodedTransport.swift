/// A transport that can also carry raw encoded bytes, exactly as a byte stream would, including
/// bytes that do not decode into an envelope.
///
/// ``FaultyTransport`` uses it to deliver corrupted envelopes, so that the receiving agent sees
/// the same ``TransportEvent/undecodable(_:session:from:sequence:)`` event it would see on a
/// real wire. Both ``InProcessTransport`` and ``JSONLinesTransport`` conform.
public protocol EncodedTransport: Transport {
    /// Sends `bytes` as one encoded envelope (the JSON text, without framing); the receiver
    /// decodes them as if they had arrived on the wire.
    ///
    /// `bytes` must not contain a line feed: on a JSON Lines stream it would end the line early.
    func send(encoded bytes: [UInt8]) async throws(ParleyError)
}

extension TransportEvent {
    /// Decodes `bytes` into an ``envelope(_:)`` event, or into an ``undecodable(_:session:from:sequence:)``
    /// event that carries what could be read of them.
    static func decoding(_ bytes: [UInt8], with codec: WireCodec) -> TransportEvent {
        do {
            return .envelope(try codec.decode(bytes))
        } catch {
            return undecodable(error, bytes: bytes, codec: codec)
        }
    }

    /// An ``undecodable(_:session:from:sequence:)`` event for `bytes`, with the `session`, `from`
    /// and `seq` members filled in when the bytes parse as a JSON object and those members are valid.
    static func undecodable(_ error: ParleyError, bytes: [UInt8], codec: WireCodec) -> TransportEvent {
        guard bytes.count <= codec.limits.maximumBytes,
            case .object(let members)? = try? JSONParser.parse(bytes, limits: codec.limits)
        else {
            // Not a JSON object we can parse (malformed, duplicate names, too deep, too large):
            // still try to identify the session, so that the error can be answered (§8). The
            // sequence number is not trusted from such bytes, so nothing is consumed.
            let session = LenientMember.string("session", in: bytes).flatMap { SessionID(rawValue: $0) }
            let from = LenientMember.string("from", in: bytes).flatMap { AgentID(rawValue: $0) }
            return .undecodable(error, session: session, from: from, sequence: nil)
        }
        var session: SessionID?
        var from: AgentID?
        var sequence: Int?
        if case .string(let text)? = members["session"] { session = SessionID(rawValue: text) }
        if case .string(let text)? = members["from"] { from = AgentID(rawValue: text) }
        if case .number(let value)? = members["seq"], value >= 1, value <= Double(Envelope.maximumSequence),
            value.rounded(.towardZero) == value
        {
            sequence = Int(value)
        }
        return .undecodable(error, session: session, from: from, sequence: sequence)
    }
}

/// Finds a string member by name in bytes that are not valid JSON: the first `"name"` followed by
/// optional whitespace, a colon, optional whitespace and a string without escapes. Only used to
/// address the `error` that answers undecodable bytes; never to decide anything else.
enum LenientMember {
    static func string(_ name: String, in bytes: [UInt8], scanning limit: Int = 4096) -> String? {
        let key = Array("\"\(name)\"".utf8)
        let bytes = bytes.prefix(limit)
        var index = bytes.startIndex
        while index + key.count <= bytes.endIndex {
            defer { index += 1 }
            guard bytes[index..<index + key.count].elementsEqual(key) else { continue }
            var cursor = index + key.count
            func skipSpace() { while cursor < bytes.endIndex, [0x20, 0x09, 0x0D].contains(bytes[cursor]) { cursor += 1 } }
            skipSpace()
            guard cursor < bytes.endIndex, bytes[cursor] == 0x3A else { continue }
            cursor += 1
            skipSpace()
            guard cursor < bytes.endIndex, bytes[cursor] == 0x22 else { continue }
            let start = cursor + 1
            guard let end = bytes[start...].firstIndex(where: { $0 == 0x22 || $0 == 0x5C }), bytes[end] == 0x22 else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return nil
    }
}
