import Foundation
public import Parley

/// What a running case works with: the peer, the profile, and helpers to send and to expect.
/// Every wait is bounded: a peer that stays silent fails the case with "no reply within …".
public final class ConformanceContext: @unchecked Sendable {
    // @unchecked: a context belongs to the one task that runs its case.
    /// The peer under test.
    public let peer: any ConformancePeer
    /// The world the suite assumes.
    public let profile: ConformanceProfile
    /// How long to wait for each reply.
    public let replyTimeout: Double
    /// How long to wait before concluding that the peer stays silent on purpose.
    public let silenceTimeout: Double
    private let deadline: Date
    private let caseTimeout: Double
    private var pending: [SessionID: [Envelope]] = [:]
    private var sessionCounter = 0
    private let caseID: String
    /// Notes the case adds to a pass (e.g. which of several allowed reactions the peer chose).
    public private(set) var notes: [String] = []

    init(peer: any ConformancePeer, profile: ConformanceProfile, caseID: String, replyTimeout: Double, caseTimeout: Double) {
        self.peer = peer
        self.profile = profile
        self.caseID = caseID
        self.replyTimeout = replyTimeout
        self.silenceTimeout = min(replyTimeout, 0.5)
        self.caseTimeout = caseTimeout
        self.deadline = Date().addingTimeInterval(caseTimeout)
    }

    /// A new session id, unique within the case and across runs.
    public func newSessionID() -> SessionID {
        sessionCounter += 1
        let random = (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 16) }.joined()
        return SessionID(stringLiteral: "conf-\(caseID.prefix(40))-\(sessionCounter)-\(random)")
    }

    /// Adds a note to the case's result.
    public func note(_ text: String) { notes.append(text) }

    // MARK: Sending

    /// Sends an envelope.
    public func send(_ envelope: Envelope) async throws {
        do { try await peer.send(envelope) } catch {
            throw ConformanceFailure("the peer stopped reading (\(error))", envelope: envelope)
        }
    }

    /// Sends a legal (or deliberately rejected) message in `session` and returns its envelope.
    @discardableResult
    public func send(_ message: Message, in session: inout ScriptedSession, inReplyTo: MessageID? = nil, expectRejection: Bool = false)
        async throws -> Envelope
    {
        let envelope = session.envelope(message, inReplyTo: inReplyTo, expectRejection: expectRejection)
        try await send(envelope)
        return envelope
    }

    /// Sends raw bytes as one line.
    public func send(line bytes: [UInt8]) async throws {
        do { try await peer.send(line: bytes) } catch let skip as ConformanceSkip {
            throw skip  // the transport cannot carry the line at all (HTTPPeer: 413 for an oversized body)
        } catch {
            throw ConformanceFailure("the peer stopped reading (\(error))", offending: String(decoding: bytes.prefix(200), as: UTF8.self))
        }
    }

    // MARK: Receiving

    /// The next envelope the peer sends in `session`, taken into the session.
    ///
    /// - Throws: ``ConformanceFailure`` when nothing comes within the reply timeout, the peer ends,
    ///   writes an undecodable line, or sends a message the transition table does not allow.
    /// Retransmissions of messages already taken in (§9) are skipped unless `resends` is set.
    public func next(in session: inout ScriptedSession, after sent: Envelope? = nil, within seconds: Double? = nil, resends: Bool = false)
        async throws -> Envelope
    {
        var envelope: Envelope
        repeat {
            guard let received = try await nextEnvelope(of: session.session, within: seconds ?? replyTimeout, after: sent) else {
                let wait = seconds ?? replyTimeout
                throw ConformanceFailure("no reply within \(Self.format(wait)) s", envelope: sent ?? session.lastSent)
            }
            envelope = received
        } while !resends && session.hasSeen(envelope.id)
        if session.received(envelope) == nil, !session.phase.isTerminal {
            throw ConformanceFailure(
                "the peer sent '\(envelope.kind)' in phase '\(session.phase)', which the transition table does not allow (§6)",
                envelope: envelope)
        }
        return envelope
    }

    /// The next envelope in `session`, or `nil` when the peer stays silent for the silence timeout (or ends).
    public func nextIfAny(in session: inout ScriptedSession, within seconds: Double? = nil) async throws -> Envelope? {
        // The wait is for the whole call: retransmissions of earlier messages do not restart it.
        let until = Date().addingTimeInterval(seconds ?? silenceTimeout)
        while true {
            let left = until.timeIntervalSinceNow
            guard left > 0,
                let envelope = try await nextEnvelope(of: session.session, within: left, after: nil, endIsSilence: true)
            else {
                return nil
            }
            if session.hasSeen(envelope.id) { continue }  // a retransmission (§9)
            session.received(envelope)
            return envelope
        }
    }

    /// Expects an `error` with `code` answering `offending` (when given), and returns it.
    @discardableResult
    public func expectError(_ code: ParleyError.Code, in session: inout ScriptedSession, answering offending: Envelope?, what: String)
        async throws -> Envelope
    {
        let reply = try await next(in: &session, after: offending)
        guard case .error(let report) = reply.message else {
            throw ConformanceFailure("\(what): expected error '\(code)', the peer sent '\(reply.kind)'", envelope: reply)
        }
        guard report.code == code.wireValue else {
            throw ConformanceFailure("\(what): expected error '\(code)', the peer sent error '\(report.code)'", envelope: reply)
        }
        if let offending, let target = reply.inReplyTo ?? report.offending, target != offending.id {
            throw ConformanceFailure("\(what): the error names message '\(target)', not '\(offending.id)'", envelope: reply)
        }
        return reply
    }

    /// Expects the next message to be of `kind` and returns it.
    @discardableResult
    public func expect(_ kinds: Set<Message.Kind>, in session: inout ScriptedSession, after sent: Envelope?, what: String) async throws
        -> Envelope
    {
        let reply = try await next(in: &session, after: sent)
        guard kinds.contains(reply.kind) else {
            let names = kinds.map(\.rawValue).sorted().joined(separator: " or ")
            let detail = if case .error(let report) = reply.message { " '\(report.code)'" } else { "" }
            throw ConformanceFailure("\(what): expected \(names), the peer sent '\(reply.kind)'\(detail)", envelope: reply)
        }
        return reply
    }

    /// Checks that a session the peer should have ended is over: a new message gets `session-closed`,
    /// silence, or the peer's end (§6.1: "SHOULD reply error session-closed").
    public func expectEnded(_ session: inout ScriptedSession, what: String) async throws {
        let probe = session.envelope(.hello(.init(role: session.role)), expectRejection: true)
        do { try await peer.send(probe) } catch { return }  // the peer has gone: ended
        guard let reply = try await nextIfAny(in: &session) else { return }
        if case .error(let report) = reply.message, report.code == ParleyError.Code.sessionClosed.wireValue { return }
        if reply.kind == .close { return }
        throw ConformanceFailure("\(what): the session should have ended, but a new message got '\(reply.kind)'", envelope: reply)
    }

    /// Checks that a session in `ready` goes on: a request gets proposals.
    public func expectProceeds(_ session: inout ScriptedSession, what: String) async throws {
        let request = try await send(.request(.init(service: profile.service, windows: [profile.wideWindow])), in: &session)
        try await expect([.offer, .counterOffer], in: &session, after: request, what: "\(what): a request to show the session goes on")
    }

    /// Checks that the session goes on in an unchanged phase: an illegal probe gets `unexpected-message`.
    ///
    /// The probe is a `hello`, unless the table admits one from the suite in this phase (the
    /// company's hello in `greeting`, which would move a correct peer on to `ready`): then an
    /// `answer` to no question, which no phase the suite waits in admits from either role.
    public func expectAlive(_ session: inout ScriptedSession, what: String) async throws {
        var message = Message.hello(.init(role: session.role))
        if ScriptedSession.row(for: message, from: session.role, in: session.phase) != nil {
            message = .answer(.init(question: "conformance-probe", value: "x"))
        }
        let probe = try await send(message, in: &session, expectRejection: true)
        let reply = try await next(in: &session, after: probe)
        guard case .error(let report) = reply.message, report.code == ParleyError.Code.unexpectedMessage.wireValue else {
            throw ConformanceFailure(
                "\(what): the session should go on, but a probe '\(probe.kind)' got '\(reply.kind)' instead of error 'unexpected-message'",
                envelope: reply)
        }
    }

    private func nextEnvelope(of session: SessionID, within seconds: Double, after sent: Envelope?, endIsSilence: Bool = false) async throws
        -> Envelope?
    {
        if var queue = pending[session], !queue.isEmpty {
            let first = queue.removeFirst()
            pending[session] = queue
            return first
        }
        let until = Date().addingTimeInterval(seconds)
        while true {
            let left = min(until.timeIntervalSinceNow, deadline.timeIntervalSinceNow)
            if deadline.timeIntervalSinceNow <= 0 {
                throw ConformanceFailure("the case took longer than \(Self.format(caseTimeout)) s", envelope: sent)
            }
            guard left > 0, let event = await peer.receive(within: left) else { return nil }
            switch event {
            case .envelope(let envelope) where envelope.session == session:
                return envelope
            case .envelope(let envelope):
                pending[envelope.session, default: []].append(envelope)
            case .undecodable(let error):
                throw ConformanceFailure("the peer wrote a line that is not a valid envelope: \(error)", envelope: sent)
            case .ended:
                if endIsSilence { return nil }
                throw ConformanceFailure("the peer ended its output instead of replying", envelope: sent)
            }
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}

extension ConformanceContext {
    /// Fails the case with `reason` when `condition` is false.
    public func require(_ condition: Bool, _ reason: @autoclosure () -> String, _ envelope: Envelope? = nil) throws {
        if !condition { throw ConformanceFailure(reason(), envelope: envelope) }
    }
}
