/// The shared core of an ``InProcessTransport`` pair: two bounded one-way channels under one lock.
///
/// Follows the swift-async-algorithms shape: ``State`` is a plain value changed under the lock,
/// every event returns what must be done, and continuations are resumed after the lock is released.
final class InProcessConnection: Sendable {
    /// One end of the connection; also names the channel that delivers *to* that end.
    enum End: Sendable {
        case first, second

        var peer: End { self == .first ? .second : .first }
    }

    private let state: TransportLock<State>

    init(capacity: Int) {
        precondition(capacity >= 1, "an in-process transport needs a capacity of at least 1")
        state = TransportLock(State(capacity: capacity))
    }

    /// Offers `event` to `end`'s inbound channel; suspends while it is full.
    /// Returns `nil` once delivered or buffered, or the error that kept it from being sent.
    func send(_ event: TransportEvent, to end: End) async -> ParleyError? {
        let immediate = state.withLock { $0.offer(event, to: end) }
        switch immediate {
        case .accepted(let receiver):
            receiver?.resume(returning: event)
            return nil
        case .rejected(let error):
            return error
        case .full:
            break
        }
        let id = state.withLock { $0.makeID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ParleyError?, Never>) in
                let outcome = state.withLock { state in
                    state.suspend(id, event, to: end, continuation, isCancelled: Task.isCancelled)
                }
                outcome.run()
            }
        } onCancel: {
            state.withLock { $0.cancelSender(id, to: end) }?.resume(returning: Self.cancelledSend)
        }
    }

    /// The next event for `end`, suspending while its channel is empty; `nil` once closed and drained.
    func receive(at end: End) async -> TransportEvent? {
        if let ready = state.withLock({ $0.take(at: end) }) {
            ready.admitted?.resume(returning: nil)
            return ready.event
        }
        let id = state.withLock { $0.makeID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransportEvent?, Never>) in
                let outcome = state.withLock { state in
                    state.wait(id, at: end, continuation, isCancelled: Task.isCancelled)
                }
                outcome.run()
            }
        } onCancel: {
            // A consumer that stops listening closes the connection, so that no sender waits forever.
            let receiver = state.withLock { $0.cancelReceiver(id, at: end) }
            receiver?.resume(returning: nil)
            close()
        }
    }

    /// Closes both directions: suspended senders fail, waiting receivers finish.
    func close() {
        let outcome = state.withLock { $0.close() }
        outcome.run()
    }

    /// What a sender whose task was cancelled while it waited for room receives.
    static let cancelledSend = ParleyError(
        .busy, "the send was cancelled while the peer's inbound buffer was full; the envelope was not sent", fault: .local)

    static let closedError = ParleyError(.sessionClosed, "the transport is closed", fault: .local)
}

extension InProcessConnection {
    typealias Sender = CheckedContinuation<ParleyError?, Never>
    typealias Receiver = CheckedContinuation<TransportEvent?, Never>

    /// Continuations to resume once the lock is released.
    struct Outcome {
        var senders: [(Sender, ParleyError?)] = []
        var receivers: [(Receiver, TransportEvent?)] = []

        func run() {
            for (sender, error) in senders { sender.resume(returning: error) }
            for (receiver, event) in receivers { receiver.resume(returning: event) }
        }
    }

    enum OfferResult {
        /// Handed to a waiting receiver (resume it with the event) or buffered.
        case accepted(Receiver?)
        /// The channel is full: the sender must suspend.
        case full
        /// The connection is closed.
        case rejected(ParleyError)
    }

    /// One direction: a bounded FIFO of events, the senders waiting for room (FIFO), the receivers waiting for events.
    struct Channel {
        var buffer: [TransportEvent] = []
        var head = 0
        var senders: [(id: UInt64, event: TransportEvent, continuation: Sender)] = []
        var receivers: [(id: UInt64, continuation: Receiver)] = []

        var count: Int { buffer.count - head }

        mutating func popFirst() -> TransportEvent? {
            guard head < buffer.count else { return nil }
            let event = buffer[head]
            head += 1
            if head >= 32, head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return event
        }
    }

    struct State {
        let capacity: Int
        var channels: [Channel] = [Channel(), Channel()]
        var isClosed = false
        var nextID: UInt64 = 0

        init(capacity: Int) {
            self.capacity = capacity
        }

        static func index(_ end: End) -> Int { end == .first ? 0 : 1 }

        mutating func makeID() -> UInt64 {
            nextID += 1
            return nextID
        }

        mutating func offer(_ event: TransportEvent, to end: End) -> OfferResult {
            if isClosed { return .rejected(InProcessConnection.closedError) }
            let index = Self.index(end)
            if !channels[index].receivers.isEmpty {
                return .accepted(channels[index].receivers.removeFirst().continuation)
            }
            // Earlier suspended senders keep their turn: no overtaking while anyone waits.
            if channels[index].count < capacity, channels[index].senders.isEmpty {
                channels[index].buffer.append(event)
                return .accepted(nil)
            }
            return .full
        }

        mutating func suspend(
            _ id: UInt64, _ event: TransportEvent, to end: End, _ continuation: Sender, isCancelled: Bool
        ) -> Outcome {
            var outcome = Outcome()
            switch offer(event, to: end) {
            case .accepted(let receiver):
                outcome.senders.append((continuation, nil))
                if let receiver { outcome.receivers.append((receiver, event)) }
            case .rejected(let error):
                outcome.senders.append((continuation, error))
            case .full where isCancelled:
                outcome.senders.append((continuation, InProcessConnection.cancelledSend))
            case .full:
                channels[Self.index(end)].senders.append((id, event, continuation))
            }
            return outcome
        }

        mutating func cancelSender(_ id: UInt64, to end: End) -> Sender? {
            let index = Self.index(end)
            guard let position = channels[index].senders.firstIndex(where: { $0.id == id }) else { return nil }
            return channels[index].senders.remove(at: position).continuation
        }

        /// Takes the next event for `end`, admitting the first suspended sender into the freed slot.
        mutating func take(at end: End) -> (event: TransportEvent?, admitted: Sender?)? {
            let index = Self.index(end)
            guard let event = channels[index].popFirst() else {
                return isClosed ? (nil, nil) : nil
            }
            guard !channels[index].senders.isEmpty else { return (event, nil) }
            let next = channels[index].senders.removeFirst()
            channels[index].buffer.append(next.event)
            return (event, next.continuation)
        }

        mutating func wait(_ id: UInt64, at end: End, _ continuation: Receiver, isCancelled: Bool) -> Outcome {
            var outcome = Outcome()
            if let ready = take(at: end) {
                outcome.receivers.append((continuation, ready.event))
                if let admitted = ready.admitted { outcome.senders.append((admitted, nil)) }
            } else if isCancelled {
                outcome.receivers.append((continuation, nil))
            } else {
                channels[Self.index(end)].receivers.append((id, continuation))
            }
            return outcome
        }

        mutating func cancelReceiver(_ id: UInt64, at end: End) -> Receiver? {
            let index = Self.index(end)
            guard let position = channels[index].receivers.firstIndex(where: { $0.id == id }) else { return nil }
            return channels[index].receivers.remove(at: position).continuation
        }

        /// Marks the connection closed. Buffered events stay deliverable; everything waiting is released.
        mutating func close() -> Outcome {
            var outcome = Outcome()
            guard !isClosed else { return outcome }
            isClosed = true
            for index in channels.indices {
                outcome.senders += channels[index].senders.map { ($0.continuation, InProcessConnection.closedError) }
                outcome.receivers += channels[index].receivers.map { ($0.continuation, nil) }
                channels[index].senders = []
                channels[index].receivers = []
            }
            return outcome
        }

        /// How many events wait in `end`'s inbound buffer, and how many senders wait for room there (for tests).
        func load(at end: End) -> (buffered: Int, suspendedSenders: Int) {
            let channel = channels[Self.index(end)]
            return (channel.count, channel.senders.count)
        }
    }

    /// How many events wait in `end`'s inbound buffer, and how many senders wait for room there.
    func load(at end: End) -> (buffered: Int, suspendedSenders: Int) {
        state.withLock { $0.load(at: end) }
    }
}
