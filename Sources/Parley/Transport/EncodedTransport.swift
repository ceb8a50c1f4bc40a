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
            let members = TopLevelMembers(of: bytes)
            let session = members.session.flatMap { SessionID(rawValue: $0) }
            let from = members.from.flatMap { AgentID(rawValue: $0) }
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
