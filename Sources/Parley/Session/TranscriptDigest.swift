internal import ParleyCrypto

/// The running agreement digest of a session (`Spec/PROTOCOL.md` §5.4):
/// `h0` is 32 zero bytes; for each counted envelope, `h = SHA-256(h || canonical(envelope))`.
///
/// `error`, `close` and `consent-revoke` are not counted: they may cross in flight, while
/// every counted message is sent only by the side whose turn it is, so both sides count the
/// same envelopes in the same order.
struct TranscriptDigest: Hashable, Sendable, Codable {
    /// The 32-byte digest so far, inline (four words in byte order), rather than in a heap array.
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The 32-byte digest so far.
    var value: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }

    static func counts(_ kind: Message.Kind) -> Bool {
        kind != .error && kind != .close && kind != .consentRevoke
    }

    mutating func append(_ envelope: Envelope) {
        var hasher = SHA256()
        withUnsafeBytes(of: words) { hasher.update($0) }
        hasher.update(envelope.canonical)
        let digest = hasher.finalizeDigest()
        digest.withUnsafeBytes { bytes in withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) } }
    }

    static func == (lhs: TranscriptDigest, rhs: TranscriptDigest) -> Bool { lhs.words == rhs.words }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }

    private enum CodingKeys: String, CodingKey { case value }

    init() {}

    /// Decodes `{"value": [32 bytes]}`, the form the digest has always been stored in.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let bytes = try container.decode([UInt8].self, forKey: .value)
        guard bytes.count == 32 else {
            throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "a transcript digest has 32 bytes")
        }
        bytes.withUnsafeBytes { source in withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) } }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
    }

    var hex: String { Digest.hex(value) }

    /// SHA-256 of the canonical `{"body": …, "type": …}`: what "the same message" means for duplicates (§5.3).
    /// Written straight to bytes: `body` sorts before `type`.
    static func bodyDigest(of envelope: Envelope) -> [UInt8] {
        var writer = CanonicalWriter(capacity: 512)
        writer.bytes.append(contentsOf: #"{"body":"#.utf8)
        envelope.message.writeBody(to: &writer)
        writer.bytes.append(contentsOf: #","type":"#.utf8)
        writer.write(string: envelope.kind.rawValue)
        writer.bytes.append(UInt8(ascii: "}"))
        return Digest.sha256(writer.bytes)
    }
}
