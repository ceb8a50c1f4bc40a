/// Keeps one session's events strictly in order while its handler is suspended (an actor may be
/// re-entered at every `await`): an event arriving while the session is busy waits its turn.
struct SerialInbox<Input: Sendable>: Sendable {
    private var busy = false
    private var pending: [Input] = []

    /// Offers `event`; returns it if the caller should process it now, or queues it and returns `nil`.
    mutating func admit(_ event: Input) -> Input? {
        if busy {
            pending.append(event)
            return nil
        }
        busy = true
        return event
    }

    /// The next queued event to process, or `nil` (and not busy any more) when there is none.
    mutating func next() -> Input? {
        if pending.isEmpty {
            busy = false
            return nil
        }
        return pending.removeFirst()
    }
}
