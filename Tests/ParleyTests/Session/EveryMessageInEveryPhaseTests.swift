import Testing

@testable import Parley

@Suite("Every message type in every phase of each role")
struct EveryMessageInEveryPhaseTests {
    static let cases: [(Role, SessionPhase)] = Role.allCases.flatMap { role in SessionPhase.allCases.map { (role, $0) } }

    @Test("A defined result every time: delivered with a table row, or rejected with a typed error and an error reply", arguments: cases)
    func definedResult(role: Role, phase: SessionPhase) {
        for kind in Message.Kind.allCases {
            for sender in Role.allCases {
                var machine = SessionStateMachine(
                    role: role, session: Fixtures.session, local: role == .customer ? Fixtures.customer : Fixtures.salon,
                    peer: role == .customer ? Fixtures.salon : Fixtures.customer)
                machine.phase = phase
                let envelope = SampleMessages.envelope(SampleMessages.message(kind, role: sender), from: sender)
                let actions = machine.messageReceived(envelope, now: Fixtures.now)
                let delivered = actions.compactMap(\.delivered)
                let rejected = actions.compactMap(\.rejection)
                let finished = actions.contains { if case .finish = $0 { true } else { false } }
                if phase.isTerminal {
                    // Terminal phases process nothing: close/error are ignored, the rest get session-closed.
                    #expect(delivered.isEmpty)
                    if kind == .close || kind == .error {
                        #expect(actions.isEmpty)
                    } else {
                        #expect(rejected.map(\.code) == [.sessionClosed])
                    }
                    continue
                }
                if sender == role {
                    // An envelope claiming to come from our own role is from the wrong agent.
                    #expect(rejected.map(\.code) == [.misaddressed], "\(role) \(phase) \(kind)")
                    #expect(actions.compactMap(\.sentEnvelope).isEmpty, "a misaddressed envelope must not be answered in the session")
                    continue
                }
                let rows = TransitionTable.rows(in: phase, from: sender, kind: kind)
                if rows.isEmpty {
                    #expect(rejected.map(\.code) == [.unexpectedMessage], "\(role) \(phase) \(kind) from \(sender)")
                    #expect(machine.phase == phase)
                } else {
                    #expect(delivered.count + rejected.count == 1, "\(role) \(phase) \(kind) from \(sender)")
                    if !rejected.isEmpty {
                        #expect(machine.phase == phase || finished, "a rejected message must not move the phase")
                        #expect(actions.compactMap(\.sentEnvelope).map(\.kind).first == .error)
                    }
                }
            }
        }
    }
}
