#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress display on standard error, rewritten in place — only when standard error is
/// a terminal: piped or redirected output gets nothing extra.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: `lastLength` is only touched under `lock`.
    private let enabled: Bool
    private let lock = Lock()
    private var lastLength = 0

    /// A progress line that shows only when standard error is a terminal (or when `enabled` says so).
    init(enabled: Bool = ProgressLine.standardErrorIsTerminal) {
        self.enabled = enabled
    }

    /// Whether standard error is a terminal.
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// Replaces the line with `text`.
    func show(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            let padding = String(repeating: " ", count: max(0, lastLength - text.count))
            Console.write(fd: 2, "\r" + text + padding)
            lastLength = text.count
        }
    }

    /// Clears the line, so that what follows starts on a clean line.
    func clear() {
        guard enabled else { return }
        lock.withLock {
            guard lastLength > 0 else { return }
            Console.write(fd: 2, "\r" + String(repeating: " ", count: lastLength) + "\r")
            lastLength = 0
        }
    }
}

/// A mutex over `pthread_mutex_t`, for the little state the progress line keeps.
private final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
