import Parley
import ParleyConformance
import Testing

/// The suite covers every row of the transition table (both roles' peers combined: the table is
/// shared, and a row is exercised by whichever peer can be driven through it) and every error code
/// a peer can be made to send, except the documented exemptions below.
@Suite("Conformance coverage")
struct CoverageTests {
    static let covered = Set(ConformanceSuite.allCases.flatMap(\.covers))

    /// Rows no conforming pair of agents can be made to exercise on demand, by reason.
    static func exemption(for row: TransitionTable.Row) -> String? {
        let outOfTurn = row.phase.turn != nil && row.phase.turn != row.sender
        if row.phase == .start && row.sender == .company {
            return "the company never speaks first (§2): in 'start' it has nothing to answer"
        }
        if outOfTurn && row.kind == .close {
            return "a close out of turn: the peer whose turn it is moves at once, so the other side cannot wait in that phase"
        }
        if [.inquiring, .cancelling, .rescheduling].contains(row.phase) && [.close, .error, .consentRevoke].contains(row.kind) {
            return "the S1 customer never asks, cancels or reschedules, and a company peer answers at once, so nobody waits in this phase"
        }
        if row.kind == .consentRevoke && [.requested, .accepted].contains(row.phase) {
            return
                "a company-turn phase: the company peer answers before a revocation could arrive; the S1 customer revokes only in its own session"
        }
        return nil
    }

    @Test func everyTransitionRowIsCoveredOrExempt() {
        let uncovered = TransitionTable.rows.filter { !Self.covered.contains($0) }
        let unexplained = uncovered.filter { Self.exemption(for: $0) == nil }
        #expect(unexplained.isEmpty, "uncovered rows: \(unexplained.map { "\($0.phase)/\($0.sender)/\($0.kind)/\($0.condition)" })")
        // Every explicit (non-close/error/revoke) row is covered without exemption.
        let explicit = TransitionTable.rows.filter { ![.close, .error, .consentRevoke].contains($0.kind) }
        #expect(explicit.allSatisfy(Self.covered.contains), "explicit rows uncovered: \(explicit.filter { !Self.covered.contains($0) })")
        print(
            "transition rows: \(TransitionTable.rows.count - uncovered.count) of \(TransitionTable.rows.count) covered, \(uncovered.count) exempt"
        )
    }

    /// Codes no peer can be made to send over the wire, each also listed in `Spec/PROTOCOL.md` §8.
    static let exemptCodes: [ParleyError.Code: String] = [
        .busy: "an overloaded agent's choice; nothing a peer sends forces it",
        .internalError: "the agent's own failure, not the peer's fault",
        .tokenBadSignature: "only the issuer holds the root key; a company cannot check signatures (CONSENT.md §7)",
        .deadlineExceeded: "on a passed conclude-by the spec lets either side close with outcome no-agreement (§6.2); no error is required",
    ]

    @Test func everyErrorCodeIsCoveredOrExempt() {
        let codes = Set(ConformanceSuite.allCases.flatMap(\.codes))
        for code in ParleyError.Code.all where !codes.contains(code) {
            #expect(Self.exemptCodes[code] != nil, "error code '\(code)' is neither covered nor exempt")
        }
        for code in Self.exemptCodes.keys {
            #expect(!codes.contains(code), "'\(code)' is covered: remove its exemption")
            #expect(ParleyError.Code.all.contains(code))
        }
        print("error codes: \(codes.count) of \(ParleyError.Code.all.count) covered, \(Self.exemptCodes.count) exempt")
    }

    @Test func caseIDsAreUniqueAndCiteTheSpec() {
        let ids = ConformanceSuite.allCases.map(\.id)
        #expect(Set(ids).count == ids.count)
        for conformanceCase in ConformanceSuite.allCases {
            #expect(
                conformanceCase.specSection.contains("PROTOCOL.md") || conformanceCase.specSection.contains("CONSENT.md"),
                "\(conformanceCase.id)")
        }
    }
}
