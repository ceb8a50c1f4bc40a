import ParleyScenarios
import Testing

@testable import Parley

/// A transport that answers the customer's hello with a hello in an unknown version while the
/// hello's own send is still in progress, and is slow to carry the customer's reply: the shape of
/// a loaded machine, where `book(at:)` used to return (and `parley serve` close the pipe) before
/// the final `error` was written.
private final class RacingTransport: Transport {
    let inbound: AsyncStream<TransportEvent>
    private let feed: AsyncStream<TransportEvent>.Continuation
    private let sent = TransportLock<[Envelope]>([])
    private let replyStarted = TransportLock<CheckedContinuation<Void, Never>?>(nil)
    private let replyBegan = TransportLock(false)

    init() { (inbound, feed) = AsyncStream.makeStream() }

    var envelopes: [Envelope] { sent.withLock { $0 } }

    func send(_ envelope: Envelope) async throws(ParleyError) {
        if envelope.kind == .hello {
            sent.withLock { $0.append(envelope) }
            let answer = Envelope(
                version: 99, id: "c-1", session: envelope.session, from: envelope.to, to: envelope.from, sequence: 1,
                sentAt: envelope.sentAt, message: .hello(.init(versions: [99], role: .company)))
            feed.yield(.envelope(answer))
            // Return only once the reader is writing its reply, as a busy pipe would.
            await withCheckedContinuation { continuation in
                let began = replyBegan.withLock { began in
                    if !began { replyStarted.withLock { $0 = continuation } }
                    return began
                }
                if began { continuation.resume() }
            }
        } else {
            let waiting = replyBegan.withLock { began in
                began = true
                return replyStarted.withLock { waiting in
                    defer { waiting = nil }; return waiting
                }
            }
            waiting?.resume()
            try? await Task.sleep(for: .milliseconds(200))
            sent.withLock { $0.append(envelope) }
        }
    }

    func close() async { feed.finish() }
}

@Suite("Customer agent: a session's final reply is sent before its negotiation returns")
struct CustomerDeliveryTests {
    @Test("book(at:) returns only after the error answering an unsupported hello is written", .timeLimit(.minutes(1)))
    func finalReplyBeforeReturn() async {
        let stage = Stage()
        let lisa = stage.lisa(wishes: Scenarios.haircutWishes)
        let transport = RacingTransport()
        await lisa.connect(to: "future.example/bot", over: transport)
        let outcome = await lisa.book(at: "future.example/bot")
        #expect(outcome.booking == nil)
        let kinds = transport.envelopes.map(\.kind)
        #expect(kinds == [.hello, .error], "the error reply was still in flight when book(at:) returned: \(kinds)")
        await lisa.disconnect()
    }
}
