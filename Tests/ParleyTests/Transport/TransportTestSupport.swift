import Foundation
import Testing

@testable import Parley

/// Envelopes and helpers shared by the transport tests.
enum TransportSamples {
    static let customer: AgentID = "assistant.example/lisa"
    static let salon: AgentID = "salon.example/bot"

    /// The seed for randomised tests: `PARLEY_SEED` from the environment, or a fixed default.
    static let seed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["PARLEY_SEED"], let value = UInt64(text) { return value }
        return 20_260_503
    }()

    /// A sample envelope; the body varies with `sequence` so that neighbours differ in more than the number.
    static func envelope(session: SessionID = "s-1", sequence: Int, from: AgentID = customer, to: AgentID = salon) -> Envelope {
        let message: Message
        switch sequence % 3 {
        case 0: message = .close(.init(outcome: "done", text: "bye #\(sequence)"))
        case 1: message = .request(Fixtures.request)
        default: message = .offer(.init(proposals: [Fixtures.proposal(ProposalID(rawValue: "p\(sequence)")!, at: 12)]))
        }
        return Envelope(
            id: MessageID(rawValue: "m-\(session.rawValue)-\(sequence)-\(from.rawValue)")!, session: session, from: from, to: to,
            sequence: sequence, sentAt: Fixtures.now.adding(seconds: Int64(sequence)), message: message)
    }

    /// The envelopes of `events`, failing the test on anything else.
    static func envelopes(_ events: [TransportEvent], sourceLocation: SourceLocation = #_sourceLocation) -> [Envelope] {
        events.compactMap { event in
            guard case .envelope(let envelope) = event else {
                Issue.record("expected an envelope, got \(event)", sourceLocation: sourceLocation)
                return nil
            }
            return envelope
        }
    }

    /// The first `count` events of `stream` (fewer if it finishes first).
    static func take(_ count: Int, from stream: AsyncStream<TransportEvent>) async -> [TransportEvent] {
        var events: [TransportEvent] = []
        guard count > 0 else { return events }
        for await event in stream {
            events.append(event)
            if events.count == count { break }
        }
        return events
    }

    /// Every event of `stream` until it finishes.
    static func all(of stream: AsyncStream<TransportEvent>) async -> [TransportEvent] {
        var events: [TransportEvent] = []
        for await event in stream { events.append(event) }
        return events
    }

    /// Yields until `condition` holds. Waits on state, never on time; fails after many rounds.
    static func yield(
        until condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        for _ in 0..<100_000 {
            if condition() { return }
            await Task.yield()
        }
        Issue.record("condition never became true", sourceLocation: sourceLocation)
    }

    /// The error `body` throws, or `nil`.
    static func error(_ body: () async throws(ParleyError) -> Void) async -> ParleyError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }
}

/// A flag a test task sets and the test reads.
final class Flag: Sendable {
    private let value = TransportLock(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
