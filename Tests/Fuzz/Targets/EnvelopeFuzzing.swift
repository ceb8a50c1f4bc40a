import Parley

/// The `envelope` target: any bytes either decode into an envelope or fail with a decoding error
/// code (`PROTOCOL.md` §4.5). A decoded envelope re-encodes to canonical bytes that decode to the
/// same envelope and re-encode to the same bytes; its typed parts, written out again by Parley's
/// own encoder, decode to the same message.
enum EnvelopeFuzzing {
    /// The codes a decoder may report (§4.5).
    static let decodingCodes: Set<ParleyError.Code> = [
        .malformedJSON, .duplicateKey, .tooLarge, .tooDeep, .unsupportedVersion, .unknownMessageType, .missingField, .invalidField,
    ]

    static func run(_ input: [UInt8]) {
        let codec = WireCodec()
        let envelope: Envelope
        do {
            envelope = try codec.decode(input)
        } catch {
            invariant(decodingCodes.contains(error.code), "decoding failed with \(error.code), not a decoding error code: \(error)")
            return
        }
        check(envelope, codec: codec)
        invariant(codec.sequenceNumber(in: input) == envelope.sequence, "sequenceNumber(in:) disagrees with the decoded seq")
    }

    /// The invariants of a decoded (or built) envelope.
    static func check(_ envelope: Envelope, codec: WireCodec = WireCodec()) {
        let canonical = codec.encode(envelope)
        let again: Envelope
        do {
            again = try codec.decode(canonical)
        } catch {
            fatalError("fuzz invariant broken: the canonical form of a decoded envelope does not decode: \(error)")
        }
        invariant(again == envelope, "decoding the canonical form gives another envelope")
        invariant(codec.encode(again) == canonical, "canonical encoding is not idempotent")
        invariant(codec.digest(again) == codec.digest(envelope), "the digest changed across a round trip")
        // The typed parts, written by Parley's encoder (unknown members dropped), decode to the same message.
        let rebuilt = Envelope(
            version: envelope.version, id: envelope.id, session: envelope.session, from: envelope.from, to: envelope.to,
            sequence: envelope.sequence, acknowledged: envelope.acknowledged, inReplyTo: envelope.inReplyTo, sentAt: envelope.sentAt,
            message: envelope.message)
        do {
            let decoded = try codec.decode(codec.encode(rebuilt))
            invariant(decoded.message == envelope.message, "the re-encoded message decodes to another message")
            invariant(decoded.sequence == envelope.sequence && decoded.sentAt == envelope.sentAt, "re-encoding changed the header")
        } catch {
            fatalError("fuzz invariant broken: Parley's own encoding of a decoded \(envelope.kind) does not decode: \(error)")
        }
    }
}
