import Foundation
import Testing

@testable import Parley

/// One case of `Spec/vectors/messages.json`.
struct MessageVector: Codable, Sendable, CustomTestStringConvertible {
    var name: String
    var input: String?
    var inputHex: String?
    var valid: Bool
    var canonical: String?
    var sha256: String?
    var error: String?
    var schemaCatches: Bool?

    var testDescription: String { name }

    /// The exact input bytes.
    var bytes: [UInt8] {
        if let input { return Array(input.utf8) }
        let hex = Array((inputHex ?? "").utf8)
        return stride(from: 0, to: hex.count - 1, by: 2).map { UInt8(String(decoding: hex[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }

    static func load() throws -> [MessageVector] {
        try JSONDecoder().decode([MessageVector].self, from: try Repository.data("Spec/vectors/messages.json"))
    }
}

@Suite("Spec/vectors/messages.json")
struct MessageVectorTests {
    @Test(
        "Every valid vector decodes, re-encodes to its canonical text and matches its sha256",
        arguments: try MessageVector.load().filter(\.valid))
    func valid(_ vector: MessageVector) throws {
        let codec = WireCodec()
        let envelope = try codec.decode(vector.bytes)
        #expect(codec.encodeText(envelope) == vector.canonical)
        #expect(codec.digest(envelope) == vector.sha256)
        // Re-encoding from the typed values alone gives the same text when the input has no unknown members.
        let rebuilt = Envelope(
            version: envelope.version, id: envelope.id, session: envelope.session, from: envelope.from, to: envelope.to,
            sequence: envelope.sequence, acknowledged: envelope.acknowledged, inReplyTo: envelope.inReplyTo, sentAt: envelope.sentAt,
            message: envelope.message)
        if !vector.name.contains("unknown members"), !vector.name.contains("without ack") {
            #expect(codec.encodeText(rebuilt) == vector.canonical)
        }
        #expect(try codec.decode(codec.encode(envelope)) == envelope)
    }

    @Test("Every invalid vector is rejected with its error code", arguments: try MessageVector.load().filter { !$0.valid })
    func invalid(_ vector: MessageVector) {
        do {
            _ = try WireCodec().decode(vector.bytes)
            Issue.record("\(vector.name) decoded, expected \(vector.error ?? "?")")
        } catch {
            #expect(error.code.wireValue == vector.error)
        }
    }

    @Test("Every message type has a valid vector and every decoding error code an invalid one")
    func coverage() throws {
        let vectors = try MessageVector.load()
        let types = Set(vectors.filter(\.valid).compactMap { try? WireCodec().decode($0.bytes).kind })
        #expect(types == Set(Message.Kind.allCases))
        let decodingCodes: [ParleyError.Code] = [
            .malformedJSON, .duplicateKey, .tooLarge, .tooDeep, .unsupportedVersion, .unknownMessageType, .missingField, .invalidField,
        ]
        #expect(Set(vectors.compactMap(\.error)) == Set(decodingCodes.map(\.wireValue)))
    }
}
