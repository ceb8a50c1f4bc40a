import Foundation
import Testing

@testable import Parley

/// `Message`'s `Codable` form is its wire form: the `type` and `body` members of an envelope.
@Suite("Message is Codable in its wire form")
struct MessageCodableTests {
    @Test("Every message type encodes as an envelope's type and body, and decodes back", arguments: Message.Kind.allCases)
    func wireForm(kind: Message.Kind) throws {
        for role in Role.allCases {
            let message = SampleMessages.message(kind, role: role)
            let envelope = Envelope(
                id: "m-1", session: Fixtures.session, from: Fixtures.customer, to: Fixtures.salon, sequence: 1,
                sentAt: Fixtures.now, message: message)
            guard case .object(let members) = envelope.json else {
                Issue.record("an envelope's JSON is not an object")
                return
            }
            let data = try JSONEncoder().encode(message)
            let encoded = try JSONDecoder().decode(JSONValue.self, from: data)
            #expect(encoded == .object(["type": .string(kind.rawValue), "body": try #require(members["body"])]))
            #expect(try JSONDecoder().decode(Message.self, from: data) == message)
        }
    }

    @Test("A body that breaks the wire rules, or an unknown type, is a decoding error")
    func badInput() throws {
        let missingField = Data(#"{"type":"accept","body":{}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Message.self, from: missingField) }
        let unknownType = Data(#"{"type":"haggle","body":{}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Message.self, from: unknownType) }
        let swiftEnumForm = Data(#"{"accept":{"_0":{"proposal":"p1"}}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Message.self, from: swiftEnumForm) }
    }
}
