/// A priority queue of simulation events by time; events at the same time leave in the order
/// they were pushed, so runs are deterministic.
struct EventQueue {
    private var heap: [(time: Instant, order: Int, event: SimulatedWorld.Event)] = []
    private var pushed = 0

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(at time: Instant, _ event: SimulatedWorld.Event) {
        pushed += 1
        heap.append((time, pushed, event))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Instant, SimulatedWorld.Event)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count, precedes(left, best) { best = left }
            if right < heap.count, precedes(right, best) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return (top.time, top.event)
    }

    private func precedes(_ lhs: Int, _ rhs: Int) -> Bool {
        heap[lhs].time != heap[rhs].time ? heap[lhs].time < heap[rhs].time : heap[lhs].order < heap[rhs].order
    }
}
