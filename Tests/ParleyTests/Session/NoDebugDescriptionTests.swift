import ParleyCrypto
import Testing

@testable import Parley

/// Error texts are written for people: no Swift debug description (`emptyOptionalField(offset: 1)`)
/// ever reaches one.
@Suite("Error texts never show a Swift debug description")
struct NoDebugDescriptionTests {
    /// Whether `text` contains something like `name(label: …` — an enum case or a type printed by Swift.
    static func looksLikeDebugDescription(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for index in scalars.indices where scalars[index] == "(" && index > 0 && scalars[index - 1].properties.isAlphabetic {
            var cursor = index + 1
            while cursor < scalars.count, scalars[cursor].properties.isAlphabetic { cursor += 1 }
            if cursor > index + 1, cursor < scalars.count, scalars[cursor] == ":" { return true }
        }
        return text.contains("Optional(") || text.contains("Error(")
    }

    /// Hostile token bytes, one for each way a version 2 macaroon can be malformed.
    static let malformedTokens: [[UInt8]] = [
        [0x01],  // not version 2
        [0x02, 0x01, 0x00],  // an empty optional location
        [0x02, 0x02, 0x05, 0x41],  // truncated identifier
        [0x02, 0x02, 0x80, 0x00],  // non-minimal varint
        [0x02, 0x06, 0x01, 0x41],  // a signature where the identifier must be
        [0x02, 0x02, 0x01, 0x41, 0x00, 0x00, 0x06, 0x01, 0x00],  // a 1-byte signature
        [0x02, 0x02, 0x01, 0x41, 0x00, 0x00, 0x06, 0x20] + Array(repeating: 0, count: 32) + [0x09],  // trailing bytes
    ]

    @Test("Every malformed-token text says what is wrong in words", arguments: malformedTokens.indices)
    func malformedTokenTexts(index: Int) {
        let text = Base64URL.encode(Self.malformedTokens[index])
        do {
            _ = try ConsentToken(serialized: text)
            Issue.record("malformed token \(index) parsed")
        } catch {
            #expect(error.code == .tokenMalformed)
            #expect(!Self.looksLikeDebugDescription(error.message), "\(error.message)")
            #expect(!Self.looksLikeDebugDescription(error.description), "\(error.description)")
        }
    }

    @Test("The detector itself catches what the token command once printed")
    func detectorCatchesTheOldText() {
        #expect(Self.looksLikeDebugDescription("token is not a version 2 macaroon: emptyOptionalField(offset: 1)"))
        #expect(!Self.looksLikeDebugDescription("the optional field at byte 1 is present but empty (it must be omitted)"))
    }
}
