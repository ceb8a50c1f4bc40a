/// Encodes envelopes to their canonical wire text and decodes received bytes into envelopes.
///
/// Encoding always produces the RFC 8785 (JCS) canonical form, so what is sent is exactly what
/// digests are computed over. Decoding is strict: limits first (`too-large`, `too-deep`), then
/// JSON well-formedness (`malformed-json`, `duplicate-key`), then the envelope rules
/// (`unsupported-version`, `unknown-message-type`, `missing-field`, `invalid-field`).
public struct WireCodec: Hashable, Sendable {
    /// The limits enforced on input.
    public var limits: WireLimits
    /// The protocol versions accepted.
    public var supportedVersions: [Int]

    /// Creates a codec.
    public init(limits: WireLimits = .standard, supportedVersions: [Int] = ParleyProtocol.supportedVersions) {
        self.limits = limits
        self.supportedVersions = supportedVersions
    }

    /// Decodes one envelope from UTF-8 JSON bytes.
    public func decode(_ bytes: [UInt8]) throws(ParleyError) -> Envelope {
        let json = try JSONParser.parse(bytes, limits: limits)
        return try Envelope(json: json, supportedVersions: supportedVersions)
    }

    /// Decodes one envelope from JSON text.
    public func decode(_ text: String) throws(ParleyError) -> Envelope {
        try decode(Array(text.utf8))
    }

    /// The canonical (RFC 8785) UTF-8 bytes of `envelope`.
    public func encode(_ envelope: Envelope) -> [UInt8] {
        envelope.canonical
    }

    /// The canonical text of `envelope`.
    public func encodeText(_ envelope: Envelope) -> String {
        String(decoding: encode(envelope), as: UTF8.self)
    }

    /// The canonical bytes of `envelope` followed by a line feed: one JSON Lines record.
    public func encodeLine(_ envelope: Envelope) -> [UInt8] {
        var bytes = encode(envelope)
        bytes.append(0x0A)
        return bytes
    }

    /// The lowercase hex SHA-256 of the canonical bytes of `envelope`.
    public func digest(_ envelope: Envelope) -> String {
        Digest.hex(Digest.sha256(encode(envelope)))
    }

    /// The sequence number of an envelope that failed to decode, if its `seq` member could be read,
    /// so that the session can consume it (see ``SessionStateMachine/malformedMessageReceived(_:sequence:now:)``).
    public func sequenceNumber(in bytes: [UInt8]) -> Int? {
        guard case .object(let members)? = try? JSONParser.parse(bytes, limits: limits),
            case .number(let value)? = members["seq"], value >= 1, value <= Double(Envelope.maximumSequence),
            value.rounded(.towardZero) == value
        else { return nil }
        return Int(value)
    }
}
