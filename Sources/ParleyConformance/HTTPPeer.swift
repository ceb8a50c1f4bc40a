public import Foundation
public import Parley

/// A company peer reached over the Parley HTTP binding (`Spec/HTTP.md`), for
/// `parley conformance --url URL --role company`.
///
/// What the suite writes is posted, one request per envelope (or raw line); the envelopes in each
/// response are what the peer "wrote", in order. Messages the company sends later are collected
/// by a long poll per session. Unlike a process peer, the company is not restarted per case: on
/// ``close()`` the peer ends every session it touched with a `close`, so that open-session bounds
/// do not carry over from one case to the next.
public actor HTTPPeer: ConformancePeer {
    private let transport: HTTPClientTransport
    private let mailbox = PeerMailbox()
    private var sessions: [SessionID: Track] = [:]
    private var pollers: [SessionID: Task<Void, Never>] = [:]
    private var closed = false
    private var log: [String] = []

    private struct Track {
        var local: AgentID
        var company: AgentID
        var sent = 0
        var received = 0
    }

    /// A peer for the company whose exchange endpoint is `endpoint`.
    public init(endpoint: URL) {
        var configuration = HTTPClientTransport.Configuration()
        configuration.pollWait = 5
        configuration.maximumAttempts = 3
        transport = HTTPClientTransport(endpoint: endpoint, agent: "conformance.example/suite", configuration: configuration)
    }

    public func send(_ envelope: Envelope) async throws {
        var track = sessions[envelope.session] ?? Track(local: envelope.from, company: envelope.to)
        track.sent = max(track.sent, envelope.sequence)
        sessions[envelope.session] = track
        try await post(WireCodec().encode(envelope))
        if pollers[envelope.session] == nil { startPolling(envelope.session, as: envelope.from) }
    }

    public func send(line bytes: [UInt8]) async throws {
        try await post(bytes)
    }

    private func post(_ bytes: [UInt8]) async throws {
        let transport = self.transport
        let result = await Result { () async throws(HTTPTransportError) -> [TransportEvent] in try await transport.post(bytes: bytes) }
        switch result {
        case .success(let events):
            for event in events { take(event, fromPoll: false) }
        case .failure(let error):
            // An HTTP-tier refusal: nothing in Parley answers it (Spec/HTTP.md §5).
            guard case .status = error else { throw error }
            log.append("\(error)")
        }
    }

    private func take(_ event: TransportEvent, fromPoll: Bool) {
        switch event {
        case .envelope(let envelope):
            var track = sessions[envelope.session] ?? Track(local: envelope.to, company: envelope.from)
            if fromPoll, envelope.sequence <= track.received { return }
            track.received = max(track.received, envelope.sequence)
            sessions[envelope.session] = track
            Task { await mailbox.put(.envelope(envelope)) }
        case .undecodable(let error, _, _, _):
            Task { await mailbox.put(.undecodable(error)) }
        }
    }

    private func startPolling(_ session: SessionID, as agent: AgentID) {
        pollers[session] = Task { [weak self] in
            while !Task.isCancelled, let self {
                guard await self.pollOnce(session, as: agent) else { return }
            }
        }
    }

    private func pollOnce(_ session: SessionID, as agent: AgentID) async -> Bool {
        guard !closed else { return false }
        do {
            guard let events = try await transport.poll(session: session, after: sessions[session]?.received ?? 0, as: agent) else {
                return false
            }
            for event in events { take(event, fromPoll: true) }
            return true
        } catch {
            if error == .cancelled { return false }
            try? await Task.sleep(nanoseconds: 200_000_000)
            return !closed
        }
    }

    public func receive(within seconds: Double) async -> PeerEvent? {
        await mailbox.next(within: seconds)
    }

    public func close() async -> String {
        closed = true
        for poller in pollers.values { poller.cancel() }
        pollers.removeAll()
        let now = Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        for (session, track) in sessions {
            let close = Envelope(
                id: MessageID(stringLiteral: "conf-close-\(track.sent + 1)"), session: session, from: track.local, to: track.company,
                sequence: track.sent + 1, acknowledged: track.received, sentAt: now,
                message: .close(.init(outcome: "no-agreement")))
            _ = try? await transport.post(close)
        }
        await transport.close()
        return log.joined(separator: "\n")
    }
}

extension Result where Failure == HTTPTransportError {
    /// The result of an async operation that throws a transport error.
    init(catching body: () async throws(HTTPTransportError) -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
