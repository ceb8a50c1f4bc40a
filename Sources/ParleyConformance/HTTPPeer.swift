public import Foundation
public import Parley

/// A company peer reached over the Parley HTTP binding (`Spec/HTTP.md`), for
/// `parley conformance --url URL --role company`.
///
/// What the suite writes is posted, one request per envelope (or raw line); the envelopes in each
/// response are what the peer "wrote", in order. Messages the company sends later are collected
/// by a long poll per session. Unlike a process peer, the company is not restarted per case: on
/// ``close()`` the peer ends every session it touched with a `close`, so that open-session bounds
/// do not carry over from one case to the next, after cancelling every booking the case made.
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
        var bookings: [BookingReference] = []
    }

    private let onClose: @Sendable () async -> Void

    /// A peer for the company whose exchange endpoint is `endpoint`; `onClose` runs last in
    /// ``close()`` (for example to stop a server started for the case).
    public init(endpoint: URL, onClose: @escaping @Sendable () async -> Void = {}) {
        self.onClose = onClose
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
            guard case .status(let status, _) = error else { throw error }
            log.append("\(error)")
            if status == 413 {
                throw ConformanceSkip("over HTTP a body over MAX_ENVELOPE_BYTES is refused with 413 before it is read (Spec/HTTP.md §5.1)")
            }
        }
    }

    private func take(_ event: TransportEvent, fromPoll: Bool) {
        switch event {
        case .envelope(let envelope):
            var track = sessions[envelope.session] ?? Track(local: envelope.to, company: envelope.from)
            if fromPoll, envelope.sequence <= track.received { return }
            track.received = max(track.received, envelope.sequence)
            if case .confirm(let confirm) = envelope.message, confirm.status == .booked, !track.bookings.contains(confirm.booking) {
                track.bookings.append(confirm.booking)
            }
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
        for (session, var track) in sessions {
            // Give back what the case booked, so that the next case finds the calendar as the first did.
            for booking in track.bookings {
                track.sent += 1
                let cancel = Envelope(
                    id: MessageID(stringLiteral: "conf-cancel-\(track.sent)"), session: session, from: track.local, to: track.company,
                    sequence: track.sent, acknowledged: track.received, sentAt: now, message: .cancel(.init(booking: booking)))
                _ = try? await transport.post(cancel)
            }
            let close = Envelope(
                id: MessageID(stringLiteral: "conf-close-\(track.sent + 1)"), session: session, from: track.local, to: track.company,
                sequence: track.sent + 1, acknowledged: track.received, sentAt: now,
                message: .close(.init(outcome: "no-agreement")))
            _ = try? await transport.post(close)
        }
        await transport.close()
        await onClose()
        return log.joined(separator: "\n")
    }
}

extension Result where Failure == HTTPTransportError {
    /// The result of an async operation that throws a transport error.
    init(catching body: () async throws(HTTPTransportError) -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
