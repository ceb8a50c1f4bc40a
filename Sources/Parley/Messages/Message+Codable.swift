extension Message {
    private enum WireKeys: String, CodingKey {
        case type, body
    }

    /// Decodes a message from its wire form, the `type` and `body` members of an envelope
    /// (`Spec/PROTOCOL.md`): `{"type": "offer", "body": {…}}`. The body is checked by the same
    /// rules as on the wire; a body that breaks them is a `DecodingError.dataCorrupted` whose
    /// description is the ``ParleyError``'s.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard let kind = Kind(rawValue: type) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown message type '\(type)'")
        }
        let body = try container.decode(JSONValue.self, forKey: .body)
        do {
            self = try Message(kind: kind, body: body)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .body, in: container, debugDescription: error.description)
        }
    }

    /// Encodes the message in its wire form: `type` (``kind``) and `body`, as an envelope carries
    /// them. Stored messages thus read like the protocol's, not like Swift's enum encoding.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKeys.self)
        try container.encode(kind.rawValue, forKey: .type)
        try container.encode(bodyJSON, forKey: .body)
    }
}
