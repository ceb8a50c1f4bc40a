import Parley

/// The `session` target: a conversation between a customer and a company, one event per line.
///
/// A line is either an envelope (JSON) or a timer, `@<timer> <seconds>` (`@idle 600`: advance
/// the clock by 600 seconds, then fire the `idle` timer on both sides). The first envelope that
/// decodes names the customer (`from`), the company (`to`) and the session. Each later envelope:
/// - from the customer to the company (or the other way round) is sent by the sender's machine
///   (`send`, which may refuse it with a local error) and received verbatim by the receiver's
///   machine (`messageReceived`), so a hostile sender can put anything on the wire;
/// - addressed otherwise goes to both machines as an injected envelope.
/// A line that does not decode reaches the company as undecodable input
/// (`malformedMessageReceived`), with its `seq` if that can be read. The clock starts at
/// 2026-04-30T09:00:00Z and moves to each envelope's `sentAt` when that is later.
///
/// After every event each machine is checked: a session finishes at most once, and only by
/// entering a terminal phase; a finished session delivers nothing, sets no timer and keeps its
/// end; rejections of received input are the peer's fault, refusals to send our own; every
/// envelope a machine sends is addressed from it in its session, and decodes (through the wire
/// codec, within the protocol's limits) to itself.
enum SessionFuzzing {
    static let start = Instant(rfc3339: "2026-04-30T09:00:00Z")!
    /// Lines after which the rest of the input is ignored (`MAX_MESSAGES` is 256).
    static let maximumLines = 400

    /// One side's machine and what has been observed of it.
    struct Side {
        var machine: SessionStateMachine
        var finishes = 0

        init(_ machine: SessionStateMachine) { self.machine = machine }

        /// Applies `event` and checks the machine's invariants on what it returns.
        mutating func step(_ name: @autoclosure () -> String, _ event: (inout SessionStateMachine) -> [SessionAction]) {
            let wasTerminal = machine.phase.isTerminal
            let endBefore = machine.end
            let actions = event(&machine)
            let role = machine.role
            func who() -> String { "\(role) \(name())" }
            for action in actions {
                switch action {
                case .send(let envelope):
                    invariant(envelope.session == machine.session, "\(who()): sent an envelope for another session")
                    invariant(envelope.from == machine.local, "\(who()): sent an envelope from another agent")
                    roundTrip(envelope, who)
                case .deliver(let envelope):
                    invariant(!wasTerminal, "\(who()): delivered \(envelope.kind) after the session ended")
                    invariant(envelope.session == machine.session, "\(who()): delivered an envelope of another session")
                case .setTimer(let timer, _):
                    invariant(!wasTerminal, "\(who()): set the \(timer) timer after the session ended")
                case .cancelTimer:
                    break
                case .rejected(let error):
                    invariant(error.fault == .remote, "\(who()): rejected received input as our own fault: \(error)")
                case .finish(let end):
                    finishes += 1
                    invariant(finishes == 1, "\(who()): the session finished twice (\(endBefore?.outcome ?? "-") then \(end.outcome))")
                    invariant(!wasTerminal, "\(who()): finished a session that had already ended")
                    invariant(machine.end == end, "\(who()): finish action and end disagree")
                }
            }
            invariant(machine.phase.isTerminal == (machine.end != nil), "\(who()): phase \(machine.phase) and end disagree")
            invariant(machine.phase.isTerminal == (finishes == 1), "\(who()): phase \(machine.phase) after \(finishes) finish actions")
            if wasTerminal {
                invariant(machine.end == endBefore, "\(who()): the end changed after the session ended")
            }
        }

        /// Sends `message` as this side; a refusal must be a local fault and change nothing.
        mutating func send(_ envelope: Envelope, now: Instant) {
            let before = machine
            var refused: ParleyError?
            step("sending \(envelope.kind)") { machine in
                do throws(ParleyError) {
                    return try machine.send(envelope.message, inReplyTo: envelope.inReplyTo, now: now)
                } catch {
                    refused = error
                    return []
                }
            }
            if let refused {
                invariant(refused.fault == .local, "\(machine.role): refusing to send \(envelope.kind) is not a local fault: \(refused)")
                invariant(machine == before, "\(machine.role): a refused send changed the machine")
            }
        }

        mutating func receive(_ envelope: Envelope, now: Instant) {
            step("receiving \(envelope.kind)") { $0.messageReceived(envelope, now: now) }
        }
    }

    /// Our own envelopes decode to themselves: the peer can read everything we send.
    static func roundTrip(_ envelope: Envelope, _ who: () -> String) {
        let codec = WireCodec()
        do {
            let decoded = try codec.decode(codec.encode(envelope))
            invariant(decoded == envelope, "\(who()): sent \(envelope.kind) decodes to another envelope")
        } catch {
            fatalError("fuzz invariant broken: \(who()): sent \(envelope.kind) that the peer cannot decode: \(error)")
        }
    }

    static func run(_ input: [UInt8]) {
        let codec = WireCodec()
        var now = start
        var customer: Side?
        var company: Side?
        for line in input.split(separator: 0x0A, omittingEmptySubsequences: true).prefix(maximumLines) {
            let bytes = Array(line)
            if bytes.first == UInt8(ascii: "@") {
                guard let (timer, seconds) = parseTimer(bytes) else { continue }
                now = now.adding(seconds: seconds)
                customer?.step("timer \(timer)") { $0.timerFired(timer, now: now) }
                company?.step("timer \(timer)") { $0.timerFired(timer, now: now) }
                continue
            }
            let envelope: Envelope
            do {
                envelope = try codec.decode(bytes)
            } catch {
                let sequence = codec.sequenceNumber(in: bytes)
                company?.step("receiving undecodable input") {
                    $0.malformedMessageReceived(error, sequence: sequence, now: now)
                }
                continue
            }
            if envelope.sentAt > now { now = envelope.sentAt }
            if customer == nil || company == nil {
                customer = Side(SessionStateMachine(role: .customer, session: envelope.session, local: envelope.from, peer: envelope.to))
                company = Side(SessionStateMachine(role: .company, session: envelope.session, local: envelope.to, peer: nil))
                customer?.step("start") { $0.start(now: now) }
                company?.step("start") { $0.start(now: now) }
            }
            guard var customerSide = customer, var companySide = company else { continue }
            let customerID = customerSide.machine.local
            let companyID = companySide.machine.local
            let session = customerSide.machine.session
            if envelope.session == session, envelope.from == customerID, envelope.to == companyID {
                customerSide.send(envelope, now: now)
                companySide.receive(envelope, now: now)
            } else if envelope.session == session, envelope.from == companyID, envelope.to == customerID {
                companySide.send(envelope, now: now)
                customerSide.receive(envelope, now: now)
            } else {
                customerSide.receive(envelope, now: now)
                companySide.receive(envelope, now: now)
            }
            customer = customerSide
            company = companySide
        }
    }

    /// `@<timer> <seconds>`: the timer, and how far to move the clock first (0 to one year).
    static func parseTimer(_ bytes: [UInt8]) -> (SessionTimer, Int64)? {
        let parts = String(decoding: bytes.dropFirst(), as: UTF8.self).split(separator: " ", maxSplits: 1)
        guard let name = parts.first, let timer = SessionTimer(rawValue: String(name)) else { return nil }
        let seconds = parts.count > 1 ? Int64(parts[1]) ?? 0 : 0
        return (timer, max(0, min(seconds, 366 * 86_400)))
    }
}
