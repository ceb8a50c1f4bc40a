import Foundation
import Testing

@testable import Parley

/// `Spec/vectors/transitions.json`: one session case per entry — a role, the envelopes that bring
/// its session into a phase (each sent or received by that role), one more received envelope,
/// and what must follow.
struct TransitionVector: Codable, Sendable, CustomTestStringConvertible {
    struct Step: Codable, Sendable {
        /// `sent` (by the role under test) or `received`.
        var direction: String
        var envelope: JSONValue
    }

    struct Expectation: Codable, Sendable, Equatable {
        /// The phase after the incoming envelope.
        var phase: String
        /// The types of the envelopes the role sends in reply (its state machine's own replies,
        /// i.e. `error` for a rejected message; the agent's business replies are not part of it).
        var sent: [String]
        /// The error code, when the incoming envelope is rejected.
        var error: String?
    }

    var name: String
    var role: String
    var now: String
    var given: [Step]
    var incoming: JSONValue
    var expect: Expectation

    var testDescription: String { name }
}

enum TransitionVectors {
    static let path = "Spec/vectors/transitions.json"

    static func load() throws -> [TransitionVector] {
        try JSONDecoder().decode([TransitionVector].self, from: try Repository.data(path))
    }

    /// Plays `vector` on a fresh machine and returns what happened.
    static func play(_ vector: TransitionVector) throws -> TransitionVector.Expectation {
        let role = try #require(Role(rawValue: vector.role))
        let now = try #require(Instant(rfc3339: vector.now))
        let incoming = try Envelope(json: vector.incoming)
        // The role's own agent id: from its first step, else the incoming envelope's recipient.
        let first = try vector.given.first.map { try Envelope(json: $0.envelope) }
        let local = first.map { vector.given[0].direction == "sent" ? $0.from : $0.to } ?? incoming.to
        let peer = first.map { vector.given[0].direction == "sent" ? $0.to : $0.from } ?? incoming.from
        var machine = SessionStateMachine(role: role, session: incoming.session, local: local, peer: role == .customer ? peer : nil)
        for step in vector.given {
            let envelope = try Envelope(json: step.envelope)
            if step.direction == "sent" {
                let actions = try machine.send(envelope.message, inReplyTo: envelope.inReplyTo, now: now)
                let produced = actions.compactMap(\.sentEnvelope).first
                #expect(produced == envelope, "\(vector.name): replaying the sent steps must reproduce them exactly")
            } else {
                let actions = machine.messageReceived(envelope, now: now)
                #expect(actions.compactMap(\.rejection).isEmpty, "\(vector.name): a given step was rejected")
            }
        }
        let actions = machine.messageReceived(incoming, now: now)
        return TransitionVector.Expectation(
            phase: machine.phase.rawValue, sent: actions.compactMap(\.sentEnvelope).map(\.kind.rawValue),
            error: actions.compactMap(\.rejection).first?.code.wireValue)
    }
}

@Suite("Spec/vectors/transitions.json")
struct TransitionVectorTests {
    @Test("The file exists and covers every phase reachable in S1, every content rule and illegal messages")
    func fileIsComplete() throws {
        let vectors = try TransitionVectors.load()
        #expect(vectors.count >= 40)
        let codes = Set(vectors.compactMap(\.expect.error))
        for code in [
            "unexpected-message", "offer-outside-window", "unknown-proposal", "offer-expired", "excessive-data-request",
            "field-not-granted", "unknown-reference", "agreement-mismatch", "replayed-message", "duplicate-conflict", "no-common-version",
            "misaddressed", "invalid-field",
        ] {
            #expect(codes.contains(code), "no transition vector expects \(code)")
        }
        #expect(Set(vectors.map(\.role)) == ["customer", "company"])
    }

    @Test("Every vector replays to its expected phase, replies and error code", arguments: try TransitionVectors.load())
    func replay(_ vector: TransitionVector) throws {
        #expect(try TransitionVectors.play(vector) == vector.expect)
    }
}
