import Testing

@testable import Parley

/// One convention for string-valued types: `RawRepresentable`, checked by `init?(rawValue:)`.
@Suite("Identifier and name types share one initialiser convention")
struct IdentifierConventionTests {
    /// Compiles only for string-backed `RawRepresentable` types; returns what `init?(rawValue:)` makes of `text`.
    static func parse<T: RawRepresentable>(_ type: T.Type, _ text: String) -> T? where T.RawValue == String {
        T(rawValue: text)
    }

    @Test("Every identifier and name type accepts a valid string and refuses an invalid one through init?(rawValue:)")
    func rawValueEverywhere() {
        #expect(Self.parse(SessionID.self, "s-1")?.rawValue == "s-1")
        #expect(Self.parse(SessionID.self, "with space") == nil)
        #expect(Self.parse(AgentID.self, "") == nil)
        #expect(Self.parse(MessageID.self, String(repeating: "x", count: 257)) == nil)
        #expect(Self.parse(BookingReference.self, "B-1") != nil && Self.parse(TokenID.self, "t-1") != nil)
        #expect(Self.parse(ProposalID.self, "p1") != nil && Self.parse(QuestionID.self, "q1") != nil)
        #expect(Self.parse(ConsentRequestID.self, "cr1") != nil && Self.parse(AddOnID.self, "a1") != nil)
        #expect(Self.parse(DataField.self, "givenName") != nil && Self.parse(DataField.self, "1x") == nil)
        #expect(Self.parse(Purpose.self, "booking") != nil && Self.parse(Purpose.self, "") == nil)
        #expect(Self.parse(LocalDate.self, "2026-05-01") != nil && Self.parse(ClockTime.self, "09:00") != nil)
    }
}
