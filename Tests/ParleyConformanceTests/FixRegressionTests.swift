import Parley
import Testing

/// Regression tests for the bugs the conformance suite found in the reference implementation.
@Suite("Fixes found by the conformance suite")
struct FixRegressionTests {
    static let now = Instant(rfc3339: "2026-04-30T09:00:00Z")!

    /// §8: `unsupported-version` is fatal, also when it comes from bytes that do not decode.
    @Test func aFatalDecodingErrorFailsTheSession() {
        var company = SessionStateMachine(role: .company, session: "s-1", local: "salon.example/bot", peer: nil)
        let hello = Envelope(
            id: "c1", session: "s-1", from: "lisa", to: "salon.example/bot", sequence: 1, sentAt: Self.now,
            message: .hello(.init(role: .customer)))
        _ = company.messageReceived(hello, now: Self.now)
        _ = try? company.send(.hello(.init(role: .company)), now: Self.now)
        let actions = company.malformedMessageReceived(ParleyError(.unsupportedVersion, "version 2"), sequence: nil, now: Self.now)
        #expect(company.phase == .failed)
        #expect(actions.contains { if case .finish = $0 { true } else { false } })
    }

    /// §4.6, §8: on stdio an undecodable line is answered; its session is identified even when the JSON is broken.
    @Test(arguments: [
        "{\"session\":\"s-9\",\"from\":\"lisa\",\"type\":\"hello\",\"type\":\"hello\"}",
        "{\"session\":\"s-9\",\"from\":\"lisa\"} trailing",
        "{\"session\":\"s-9\",\"from\":\"lisa\",\"x\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}",
        "{\"session\":\"s-9\",\"from\":\"lisa\",\"pad\":\"" + String(repeating: "a", count: 70_000) + "\"}",
    ])
    func undecodableLinesNameTheirSession(line: String) async throws {
        let (writer, reader) = MemoryByteStream.pair()
        let transport = JSONLinesTransport(stream: reader)
        try await writer.write(Array(line.utf8) + [0x0A])
        await writer.close()
        var iterator = transport.inbound.makeAsyncIterator()
        let event = await iterator.next()
        guard case .undecodable(_, let session, let from, let sequence)? = event else {
            Issue.record("expected an undecodable event, got \(String(describing: event))")
            return
        }
        #expect(session == "s-9")
        #expect(from == "lisa")
        #expect(sequence == nil)
    }
}
