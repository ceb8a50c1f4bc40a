import Foundation
import Testing

@testable import Parley

/// `Spec/vectors/retransmission.json`: the backoff of PROTOCOL.md §9 for a few sessions and both
/// roles — after the n-th retransmission without progress the wait lies in `[base, base + base/4]`
/// with `base = min(2 × 2^n, 60)`; `reference` is the wait Parley's implementation chooses.
struct RetransmissionVector: Codable, Sendable, Equatable {
    struct Wait: Codable, Sendable, Equatable {
        /// Retransmissions so far without progress (0: the first wait after sending).
        var retransmissions: Int
        var minimum: Int64
        var maximum: Int64
        /// The wait Parley's reference implementation chooses (its jitter is not normative).
        var reference: Int64
    }

    var session: String
    var role: String
    var waits: [Wait]
}

@Suite("Retransmission vectors")
struct RetransmissionVectorTests {
    static let path = "Spec/vectors/retransmission.json"

    static func vectors() -> [RetransmissionVector] {
        ["s-0f1e2d3c4b5a69788796a5b4c3d2e1f0", "s-retransmission-vector", "conf-flow.s1-booking-1-9a8b7c6d"].flatMap { session in
            [Role.customer, .company].map { role in
                let machine = SessionStateMachine(role: role, session: SessionID(stringLiteral: session), local: "a", peer: "b")
                let waits = (0...8).map { count -> RetransmissionVector.Wait in
                    let base = min(2 << count, 60)
                    return .init(
                        retransmissions: count, minimum: Int64(base), maximum: Int64(base + base / 4),
                        reference: machine.retransmitWait(after: count))
                }
                return RetransmissionVector(session: session, role: role.rawValue, waits: waits)
            }
        }
    }

    @Test("the committed vectors match the implementation, and every wait lies in its bounds")
    func replay() throws {
        let committed = try JSONDecoder().decode([RetransmissionVector].self, from: try Repository.data(Self.path))
        #expect(!committed.isEmpty)
        #expect(committed == Self.vectors())
        for vector in committed {
            for wait in vector.waits {
                #expect(wait.reference >= wait.minimum && wait.reference <= wait.maximum, "\(vector.session) \(wait)")
            }
        }
    }

    @Test("Writes Spec/vectors/retransmission.json when PARLEY_WRITE_VECTORS=1", .enabled(if: getenvString("PARLEY_WRITE_VECTORS") == "1"))
    func write() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(Self.vectors()).write(to: Repository.root.appendingPathComponent(Self.path))
    }
}
