public import Parley

/// A Parley agent running in this process, reached over in-memory JSON Lines, so that the
/// in-process path exercises exactly the framing an external peer sees.
///
/// ```swift
/// let peer = InProcessPeer.company(clock: ShiftedClock(start: start)) { Salons.salon().0 }
/// ```
public final class InProcessPeer: ConformancePeer {
    private let channel: LineChannel
    private let agentStream: MemoryByteStream
    private let task: Task<Void, Never>
    private let stop: @Sendable () async -> Void

    private init(channel: LineChannel, agentStream: MemoryByteStream, task: Task<Void, Never>, stop: @escaping @Sendable () async -> Void) {
        self.channel = channel
        self.agentStream = agentStream
        self.task = task
        self.stop = stop
    }

    /// Serves the company agent `make()` returns on the agent's end of an in-memory stream.
    public static func company(clock: some AgentClock, _ make: @Sendable () -> CompanyAgent) -> InProcessPeer {
        let (suite, agentSide) = MemoryByteStream.pair()
        let agent = make()
        let transport = JSONLinesTransport(stream: agentSide)
        let task = Task { await agent.serve(transport, clock: clock) }
        return InProcessPeer(channel: LineChannel(stream: suite), agentStream: agentSide, task: task) {}
    }

    /// Runs the customer agent `make()` returns: it connects to `company` and books, as
    /// `parley serve --role customer` does.
    public static func customer(company: AgentID, _ make: @Sendable () -> CustomerAgent) -> InProcessPeer {
        let (suite, agentSide) = MemoryByteStream.pair()
        let agent = make()
        let transport = JSONLinesTransport(stream: agentSide)
        let task = Task {
            await agent.connect(to: company, over: transport)
            _ = await agent.book(at: company)
            await agent.disconnect()
            await transport.close()
        }
        return InProcessPeer(channel: LineChannel(stream: suite), agentStream: agentSide, task: task) { await agent.disconnect() }
    }

    public func send(_ envelope: Envelope) async throws { try await channel.send(envelope) }
    public func send(line bytes: [UInt8]) async throws { try await channel.send(line: bytes) }
    public func receive(within seconds: Double) async -> PeerEvent? { await channel.receive(within: seconds) }

    public func close() async -> String {
        await channel.close()
        await agentStream.close()
        await stop()
        task.cancel()
        return ""
    }
}
