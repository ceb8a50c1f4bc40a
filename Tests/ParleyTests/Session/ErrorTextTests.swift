import ParleyScenarios
import Testing

@testable import Parley

/// Texts an agent composes stay within `MAX_TEXT_BYTES` (`Spec/PROTOCOL.md` §3.2, §4.4, §8), cut between characters.
@Suite("Error and answer texts")
struct ErrorTextTests {
    @Test("prefix(utf8Bytes:) keeps whole characters and at most the given bytes")
    func bytePrefix() {
        #expect("abc".prefix(utf8Bytes: 3) == "abc")
        #expect("abc".prefix(utf8Bytes: 2) == "ab")
        #expect("abc".prefix(utf8Bytes: 0) == "")
        #expect("aé".prefix(utf8Bytes: 2) == "a", "é is two bytes: it does not fit in two after 'a'")
        #expect("€€".prefix(utf8Bytes: 5) == "€")
        #expect("👍🏽x".prefix(utf8Bytes: 7) == "", "a skin-toned thumb is one character of eight bytes")
        #expect("e\u{301}x".prefix(utf8Bytes: 2) == "", "e with a combining accent is one character of three bytes")
        let long = String(repeating: "ä", count: 1500)
        let cut = long.prefix(utf8Bytes: ProtocolLimits.maximumTextBytes)
        #expect(cut.utf8.count == 2048 && cut == String(repeating: "ä", count: 1024))
    }

    @Test("An error report's text is cut to MAX_TEXT_BYTES, so the peer can decode it")
    func errorReportText() throws {
        let report = Message.ErrorReport(
            ParleyError(.invalidField, "body.reason: '\(String(repeating: "ö", count: 3000))' is not a valid name"))
        #expect(report.text.utf8.count <= ProtocolLimits.maximumTextBytes)
        #expect(report.text.hasPrefix("body.reason: 'ööö"))
        let envelope = Envelope(
            id: "k1", session: Fixtures.session, from: Fixtures.salon, to: Fixtures.customer, sequence: 1, sentAt: Fixtures.now,
            message: .error(report))
        let codec = WireCodec()
        #expect(try codec.decode(codec.encode(envelope)) == envelope)
    }

    @Test("An envelope rejected for an over-long name gets an error reply the sender can decode")
    func rejectionOfLongName() throws {
        let codec = WireCodec()
        var company = SessionStateMachine(role: .company, session: Fixtures.session, local: Fixtures.salon, peer: nil)
        let hello = Envelope(
            id: "c1", session: Fixtures.session, from: Fixtures.customer, to: Fixtures.salon, sequence: 1, sentAt: Fixtures.now,
            message: .hello(.init(role: .customer)))
        _ = company.messageReceived(hello, now: Fixtures.now)
        let text =
            #"{"ack":0,"body":{"reason":"\#(String(repeating: "x", count: 3000))"},"from":"\#(Fixtures.customer)","id":"c2","parley":1,"#
            + #""sentAt":"2026-04-30T09:00:00Z","seq":2,"session":"\#(Fixtures.session)","to":"\#(Fixtures.salon)","type":"decline"}"#
        let bytes = Array(text.utf8)
        let error = try #require(throws: ParleyError.self) { try codec.decode(bytes) }
        let actions = company.malformedMessageReceived(error, sequence: codec.sequenceNumber(in: bytes), now: Fixtures.now)
        let reply = try #require(actions.compactMap(\.sentEnvelope).first)
        let decoded = try codec.decode(codec.encode(reply))
        guard case .error(let report) = decoded.message else {
            Issue.record("expected an error reply, got \(decoded.kind)")
            return
        }
        #expect(report.code == "invalid-field" && report.text.utf8.count <= ProtocolLimits.maximumTextBytes)
    }

    @Test("A company's answer longer than MAX_TEXT_BYTES in bytes (but not in characters) is cut and decodes")
    func companyAnswer() async throws {
        var policy = CompanyPolicy()
        policy.answers["parking"] = String(repeating: "ü", count: 1500)
        let (profile, catalogue) = (Salons.salon().0.profile, Salons.catalogue())
        let salon = CompanyAgent(
            profile: profile, catalogue: catalogue, store: InMemoryBookingStore(openingHours: Salons.openingHours), policy: policy)
        func send(_ sequence: Int, _ message: Message) async -> [Envelope] {
            let envelope = Envelope(
                id: MessageID(stringLiteral: "c\(sequence)"), session: "s-answer", from: World.lisa, to: profile.id,
                sequence: sequence, sentAt: World.now, message: message)
            return await salon.handle(.envelope(envelope), now: World.now).envelopes
        }
        _ = await send(1, .hello(.init(role: .customer)))
        let replies = await send(2, .question(.init(id: "q1", topic: "parking", text: "Is there parking?")))
        let codec = WireCodec()
        let answers = try replies.map { try codec.decode(codec.encode($0)) }.compactMap { envelope -> Message.Answer? in
            if case .answer(let answer) = envelope.message { answer } else { nil }
        }
        let answer = try #require(answers.first)
        #expect(answer.value == String(repeating: "ü", count: 1024))
    }
}
