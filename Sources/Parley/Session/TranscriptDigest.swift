/// The running agreement digest of a session (`Spec/PROTOCOL.md` §5.4):
/// `h0` is 32 zero bytes; for each counted envelope, `h = SHA-256(h || canonical(envelope))`.
///
/// `error`, `close` and `consent-revoke` are not counted: they may cross in flight, while
/// every counted message is sent only by the side whose turn it is, so both sides count the
/// same envelopes in the same order.
struct TranscriptDigest: Hashable, Sendable, Codable {
    private(set) var value = [UInt8](repeating: 0, count: 32)

    static func counts(_ kind: Message.Kind) -> Bool {
        kind != .error && kind != .close && kind != .consentRevoke
    }

    mutating func append(_ envelope: Envelope) {
        value = Digest.sha256(value + envelope.canonical)
    }

    var hex: String { Digest.hex(value) }

    /// SHA-256 of the canonical `{"body": …, "type": …}`: what "the same message" means for duplicates (§5.3).
    static func bodyDigest(of envelope: Envelope) -> [UInt8] {
        var input: [UInt8] = []
        CanonicalJSON.append(.object(["type": .string(envelope.kind.rawValue), "body": envelope.message.bodyJSON]), to: &input)
        return Digest.sha256(input)
    }
}
