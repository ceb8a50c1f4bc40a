import Testing

@testable import Parley

@Suite("JSONLinesTransport")
struct JSONLinesTransportTests {
    typealias S = TransportSamples

    /// Writes `chunks` into a transport's input, ends the input, and returns every event the transport reads.
    static func read(_ chunks: [[UInt8]], codec: WireCodec = WireCodec()) async throws -> [TransportEvent] {
        let (writer, reader) = MemoryByteStream.pair()
        let transport = JSONLinesTransport(stream: reader, codec: codec)
        for chunk in chunks { try await writer.write(chunk) }
        await writer.close()
        return await S.all(of: transport.inbound)
    }

    static let sample = (1...3).map { S.envelope(sequence: $0) }

    /// The sample as a stream with every framing variant: CRLF, empty lines (LF and CRLF), and no final LF.
    static let sampleBytes: [UInt8] = {
        let codec = WireCodec()
        var bytes: [UInt8] = Array("\n".utf8)
        bytes += codec.encode(sample[0]) + Array("\r\n\n\r\n".utf8)
        bytes += codec.encodeLine(sample[1])
        bytes += codec.encode(sample[2])
        return bytes
    }()

    @Test func sendsAndReceivesEnvelopesBothWays() async throws {
        let (left, right) = MemoryByteStream.pair()
        let customer = JSONLinesTransport(stream: left)
        let company = JSONLinesTransport(stream: right)
        for envelope in Self.sample { try await customer.send(envelope) }
        let replies = (1...3).map { S.envelope(sequence: $0, from: S.salon, to: S.customer) }
        for envelope in replies { try await company.send(envelope) }
        #expect(S.envelopes(await S.take(3, from: company.inbound)) == Self.sample)
        #expect(S.envelopes(await S.take(3, from: customer.inbound)) == replies)
    }

    @Test func writesCanonicalBytesAndALineFeed() async throws {
        let (left, right) = MemoryByteStream.pair()
        let transport = JSONLinesTransport(stream: left)
        try await transport.send(Self.sample[0])
        #expect(await right.read() == WireCodec().encodeLine(Self.sample[0]))
    }

    @Test func framingHoldsForEveryChunkBoundary() async throws {
        let bytes = Self.sampleBytes
        for offset in 0...bytes.count {
            let events = try await Self.read([Array(bytes[..<offset]), Array(bytes[offset...])].filter { !$0.isEmpty })
            #expect(S.envelopes(events) == Self.sample, "split at \(offset)")
        }
        let byteByByte = try await Self.read(bytes.map { [$0] })
        #expect(S.envelopes(byteByByte) == Self.sample)
    }

    @Test func splitterHandlesEveryTwoWaySplit() {
        let bytes = Self.sampleBytes
        var whole = JSONLineSplitter(maximumLineBytes: 65_536)
        let expected = whole.feed(bytes) + whole.finish()
        #expect(expected.count == 3)
        for first in 0...bytes.count {
            for second in stride(from: first, through: bytes.count, by: 97) {
                var splitter = JSONLineSplitter(maximumLineBytes: 65_536)
                let pieces =
                    splitter.feed(Array(bytes[..<first])) + splitter.feed(Array(bytes[first..<second]))
                    + splitter.feed(Array(bytes[second...])) + splitter.finish()
                #expect(pieces == expected, "splits at \(first), \(second)")
            }
        }
    }

    @Test func anOversizedLineIsReportedOnceAndReadingResumesAfterIt() async throws {
        let codec = WireCodec()
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: codec.limits.maximumBytes * 2 + 17)
        bytes += Array("\n".utf8) + codec.encodeLine(Self.sample[0])
        let chunks = stride(from: 0, to: bytes.count, by: 4096).map { Array(bytes[$0..<min($0 + 4096, bytes.count)]) }
        let events = try await Self.read(chunks)
        #expect(events.count == 2)
        guard case .undecodable(let error, nil, nil, nil)? = events.first else {
            Issue.record("expected a too-large event, got \(events)")
            return
        }
        #expect(error.code == .tooLarge)
        #expect(events.last == .envelope(Self.sample[0]))
    }

    @Test func splitterNeverBuffersMoreThanTheLimit() {
        var splitter = JSONLineSplitter(maximumLineBytes: 10)
        #expect(splitter.feed(Array("0123456789".utf8)) == [])
        #expect(splitter.feed(Array("\r".utf8)) == [])  // the CR of a CRLF may follow a full line
        #expect(splitter.feed(Array("\n".utf8)) == [.line(Array("0123456789".utf8))])
        #expect(splitter.feed(Array("0123456789A".utf8)) == [])
        #expect(splitter.bufferedCount == 0)
        #expect(splitter.feed(Array(repeating: UInt8(ascii: "y"), count: 1000)) == [])
        #expect(splitter.bufferedCount == 0)
        #expect(splitter.feed(Array("tail\nok\n".utf8)) == [.tooLarge(TopLevelMembers()), .line(Array("ok".utf8))])
        #expect(splitter.feed(Array("0123456789\r\r\n".utf8)) == [.tooLarge(TopLevelMembers())])
        #expect(splitter.feed(Array("01234567890".utf8)) == [])
        #expect(splitter.finish() == [.tooLarge(TopLevelMembers())])
        #expect(splitter.feed(Array("final".utf8)) == [])
        #expect(splitter.finish() == [.line(Array("final".utf8))])
    }

    @Test func bytesAfterTheLastLineFeedAreAFinalLine() async throws {
        let events = try await Self.read([WireCodec().encodeLine(Self.sample[0]) + WireCodec().encode(Self.sample[1])])
        #expect(S.envelopes(events) == Array(Self.sample[0...1]))
    }

    @Test func anUndecodableLineYieldsAnEventWithWhatCouldBeRead() async throws {
        let bad = Array(#"{"from":"bot-a","parley":1,"seq":7,"session":"s-9","type":"haggle"}"#.utf8)
        let events = try await Self.read([bad + Array("\r\n{oops\n".utf8) + WireCodec().encodeLine(Self.sample[0])])
        #expect(events.count == 3)
        guard case .undecodable(let error, let session, let from, let sequence)? = events.first else {
            Issue.record("expected an undecodable event, got \(events)")
            return
        }
        #expect(error.code == .unknownMessageType)
        #expect(session == "s-9")
        #expect(from == "bot-a")
        #expect(sequence == 7)
        guard case .undecodable(let malformed, nil, nil, nil)? = events.dropFirst().first else {
            Issue.record("expected a malformed-json event, got \(events)")
            return
        }
        #expect(malformed.code == .malformedJSON)
        #expect(events.last == .envelope(Self.sample[0]))
    }

    @Test func closeFailsLaterSendsAndFinishesInbound() async throws {
        let (left, right) = MemoryByteStream.pair()
        let customer = JSONLinesTransport(stream: left)
        let company = JSONLinesTransport(stream: right)
        try await customer.send(Self.sample[0])
        let waiting = Task { await S.all(of: customer.inbound) }
        await customer.close()
        #expect(await waiting.value.isEmpty)
        let error = await S.error { () async throws(ParleyError) in try await customer.send(Self.sample[1]) }
        #expect(error?.code == .sessionClosed)
        // The peer reads what was sent before the close, then the end of the stream.
        #expect(S.envelopes(await S.all(of: company.inbound)) == [Self.sample[0]])
        let reply = await S.error { () async throws(ParleyError) in try await company.send(Self.sample[1]) }
        #expect(reply?.code == .sessionClosed)
    }

    @Test func corruptedBytesFromAFaultyTransportArriveAsUndecodableLines() async throws {
        let seed = S.seed
        let (left, right) = MemoryByteStream.pair()
        let faulty = FaultyTransport(wrapping: JSONLinesTransport(stream: left), profile: FaultProfile(corrupt: 1), seed: seed)
        let company = JSONLinesTransport(stream: right)
        for sequence in 1...200 { try await faulty.send(S.envelope(sequence: sequence)) }
        await faulty.close()
        let events = await S.all(of: company.inbound)
        #expect(events.count == 200, "seed \(seed)")
        let undecodable = events.filter { if case .undecodable = $0 { true } else { false } }
        #expect(undecodable.count == faulty.counters.corruptedUndecodable, "seed \(seed)")
    }
}
