import Testing

@testable import Parley

@Suite("InProcessTransport")
struct InProcessTransportTests {
    typealias S = TransportSamples

    @Test func deliversInOrderBothWays() async throws {
        let (customer, company) = InProcessTransport.pair()
        let outbound = (1...20).map { S.envelope(sequence: $0) }
        let replies = (1...20).map { S.envelope(sequence: $0, from: S.salon, to: S.customer) }
        for envelope in outbound { try await customer.send(envelope) }
        for envelope in replies { try await company.send(envelope) }
        #expect(S.envelopes(await S.take(20, from: company.inbound)) == outbound)
        #expect(S.envelopes(await S.take(20, from: customer.inbound)) == replies)
    }

    @Test func multiplexesManySessions() async throws {
        let (customer, company) = InProcessTransport.pair(capacity: 8)
        let sessions = (1...25).map { SessionID(rawValue: "s-\($0)")! }
        async let received = S.take(25 * 12, from: company.inbound)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for session in sessions {
                group.addTask {
                    for sequence in 1...12 { try await customer.send(S.envelope(session: session, sequence: sequence)) }
                }
            }
            try await group.waitForAll()
        }
        let bySession = Dictionary(grouping: S.envelopes(await received), by: \.session)
        #expect(bySession.count == sessions.count)
        for session in sessions {
            #expect(bySession[session]?.map(\.sequence) == Array(1...12), "session \(session)")
        }
    }

    @Test func senderSuspendsAtCapacityAndResumesWhenTheConsumerReads() async throws {
        let (customer, company) = InProcessTransport.pair(capacity: 2)
        try await customer.send(S.envelope(sequence: 1))
        try await customer.send(S.envelope(sequence: 2))
        #expect(company.inboundLoad.buffered == 2)

        let sent = Flag()
        let sender = Task {
            try await customer.send(S.envelope(sequence: 3))
            sent.set()
        }
        await S.yield { company.inboundLoad.suspendedSenders == 1 }
        #expect(!sent.isSet)
        #expect(company.inboundLoad.buffered == 2)

        let first = await S.take(1, from: company.inbound)
        #expect(S.envelopes(first).map(\.sequence) == [1])
        try await sender.value
        #expect(sent.isSet)
        #expect(company.inboundLoad.buffered == 2)
        #expect(company.inboundLoad.suspendedSenders == 0)
        #expect(S.envelopes(await S.take(2, from: company.inbound)).map(\.sequence) == [2, 3])
    }

    @Test func suspendedSendersAreAdmittedFirstComeFirstServed() async throws {
        let (customer, company) = InProcessTransport.pair(capacity: 1)
        try await customer.send(S.envelope(sequence: 1))
        var senders: [Task<Void, any Error>] = []
        for sequence in 2...6 {
            senders.append(Task { try await customer.send(S.envelope(sequence: sequence)) })
            await S.yield { company.inboundLoad.suspendedSenders == sequence - 1 }
        }
        #expect(S.envelopes(await S.take(6, from: company.inbound)).map(\.sequence) == Array(1...6))
        for sender in senders { try await sender.value }
    }

    @Test func closeResumesSuspendedSendersAndFinishesBothStreams() async throws {
        let (customer, company) = InProcessTransport.pair(capacity: 1)
        try await customer.send(S.envelope(sequence: 1))
        let senders = (2...4).map { sequence in
            Task { await S.error { () async throws(ParleyError) in try await customer.send(S.envelope(sequence: sequence)) } }
        }
        await S.yield { company.inboundLoad.suspendedSenders == 3 }
        // The customer waits on its own (empty) inbound while the company closes.
        let customerInbound = Task { await S.all(of: customer.inbound) }

        await company.close()
        for sender in senders {
            #expect(await sender.value?.code == .sessionClosed)
        }
        #expect(await customerInbound.value.isEmpty)
        // What was accepted before the close is still delivered, then the stream finishes.
        #expect(S.envelopes(await S.all(of: company.inbound)).map(\.sequence) == [1])
        let later = await S.error { () async throws(ParleyError) in try await customer.send(S.envelope(sequence: 5)) }
        #expect(later?.code == .sessionClosed)
        let reply = await S.error { () async throws(ParleyError) in try await company.send(S.envelope(sequence: 1)) }
        #expect(reply?.code == .sessionClosed)
    }

    @Test func cancellingTheConsumerClosesTheConnection() async throws {
        let (customer, company) = InProcessTransport.pair(capacity: 1)
        try await customer.send(S.envelope(sequence: 1))
        let blocked = Task { await S.error { () async throws(ParleyError) in try await customer.send(S.envelope(sequence: 2)) } }
        await S.yield { company.inboundLoad.suspendedSenders == 1 }
        let consumer = Task { await S.all(of: customer.inbound) }
        consumer.cancel()
        _ = await consumer.value
        #expect(await blocked.value?.code == .sessionClosed)
        let later = await S.error { () async throws(ParleyError) in try await customer.send(S.envelope(sequence: 3)) }
        #expect(later?.code == .sessionClosed)
    }

    @Test func cancellingASuspendedSenderThrowsBusyAndFreesItsPlace() async throws {
        let (customer, company) = InProcessTransport.pair(capacity: 1)
        try await customer.send(S.envelope(sequence: 1))
        let sender = Task { await S.error { () async throws(ParleyError) in try await customer.send(S.envelope(sequence: 2)) } }
        await S.yield { company.inboundLoad.suspendedSenders == 1 }
        sender.cancel()
        #expect(await sender.value?.code == .busy)
        #expect(company.inboundLoad.suspendedSenders == 0)
        #expect(S.envelopes(await S.take(1, from: company.inbound)).map(\.sequence) == [1])
        try await customer.send(S.envelope(sequence: 3))  // would suspend if the cancelled sender still held a place
        #expect(S.envelopes(await S.take(1, from: company.inbound)).map(\.sequence) == [3])
    }

    @Test func codecModeDeliversEqualEnvelopes() async throws {
        let (customer, company) = InProcessTransport.pair(codec: WireCodec())
        let outbound = (1...9).map { S.envelope(session: "s-wire", sequence: $0) }
        for envelope in outbound { try await customer.send(envelope) }
        let received = S.envelopes(await S.take(outbound.count, from: company.inbound))
        #expect(received == outbound)
        #expect(received.map { WireCodec().encode($0) } == outbound.map { WireCodec().encode($0) })
    }

    @Test func codecModeReportsUndecodableInputWithWhatCouldBeRead() async throws {
        let (customer, company) = InProcessTransport.pair(codec: WireCodec())
        let bytes = Array(#"{"from":"bot-a","parley":1,"seq":7,"session":"s-9","type":"haggle"}"#.utf8)
        try await customer.send(encoded: bytes)
        try await customer.send(encoded: Array("not json".utf8))
        let events = await S.take(2, from: company.inbound)
        guard case .undecodable(let error, let session, let from, let sequence) = events.first else {
            Issue.record("expected an undecodable event, got \(events)")
            return
        }
        #expect(error.code == .unknownMessageType)
        #expect(session == "s-9")
        #expect(from == "bot-a")
        #expect(sequence == 7)
        guard case .undecodable(let garbage, nil, nil, nil) = events.last else {
            Issue.record("expected an undecodable event without details, got \(events)")
            return
        }
        #expect(garbage.code == .malformedJSON)
    }
}
