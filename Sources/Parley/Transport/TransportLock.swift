import Foundation

/// A value guarded by a lock: the small stand-in for `Synchronization.Mutex`, which needs
/// macOS 15 / iOS 18 while Parley supports macOS 14 / iOS 17.
///
/// Critical sections must be short and must never suspend, resume a continuation, or call out
/// to code that might take another lock: change the state, return what to do, and do it after
/// the lock is released.
final class TransportLock<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    /// Runs `body` with exclusive access to the state.
    @discardableResult
    func withLock<Result>(_ body: (inout State) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }
}
