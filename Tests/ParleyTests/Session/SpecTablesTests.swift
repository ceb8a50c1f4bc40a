import Testing

@testable import Parley

@Suite("Spec/PROTOCOL.md and the code cannot drift")
struct SpecTablesTests {
    @Test("The transition table in §6 is exactly the one the state machine uses")
    func transitionTable() throws {
        let spec = try Repository.text("Spec/PROTOCOL.md")
        let section = try #require(Repository.section("TRANSITION TABLE", in: spec), "markers missing in PROTOCOL.md")
        #expect(section == TransitionTable.markdown(), "run `swift run parley spec-table transitions` and paste it into §6")
    }

    @Test("The error code table in §8 lists exactly the codes of ParleyError.Code")
    func errorCodes() throws {
        let spec = try Repository.text("Spec/PROTOCOL.md")
        let section = try #require(Repository.section("ERROR CODES", in: spec), "markers missing in PROTOCOL.md")
        #expect(section == ParleyError.Code.markdown(), "run `swift run parley spec-table errors` and paste it into §8")
    }

    @Test("Every wire code maps back to its code, and codes are unique")
    func codesRoundTrip() {
        let wires = ParleyError.Code.all.map(\.wireValue)
        #expect(Set(wires).count == wires.count)
        for code in ParleyError.Code.all { #expect(ParleyError.Code(wireValue: code.wireValue) == code) }
    }

    @Test("Every non-terminal phase admits close and error from both roles; terminal phases admit nothing")
    func alwaysAllowed() {
        for phase in SessionPhase.allCases {
            for role in Role.allCases {
                #expect(TransitionTable.rows(in: phase, from: role, kind: .close).isEmpty == phase.isTerminal)
                #expect(TransitionTable.rows(in: phase, from: role, kind: .error).isEmpty == phase.isTerminal)
            }
        }
    }

    @Test("Only the side whose turn it is may send a turn message")
    func turns() {
        for row in TransitionTable.rows where TranscriptDigest.counts(row.kind) {
            #expect(row.phase.turn == row.sender, "\(row.phase) \(row.sender) \(row.kind)")
        }
    }
}
