import Parley

/// `--now TIME`, shared by the commands that run agents: the clock they run on.
///
/// Without it a command runs on the system clock. With it the clock reads TIME when the command
/// starts and then advances at the real rate, so that a run can be pinned to a date (for
/// reproducible output) without freezing timers.
enum ClockOptions {
    /// The lines for a command's usage text.
    static let help = """
        --now TIME   start the clock at TIME (RFC 3339 UTC, e.g. 2026-04-30T09:00:00Z) instead of the
                     system's current time; it then advances in real time
        """

    /// The clock `--now` asks for: the system clock when it is absent.
    static func clock(_ options: Options) throws(CommandLineExit) -> any AgentClock {
        guard let start = try instant(options) else { return SystemClock() }
        return ShiftedClock(start: start)
    }

    /// The instant given with `--now`, if any.
    static func instant(_ options: Options) throws(CommandLineExit) -> Instant? {
        guard let text = try options.string("--now") else { return nil }
        guard let start = Instant(rfc3339: text) else {
            throw options.mistake("--now needs an RFC 3339 UTC time such as 2026-04-30T09:00:00Z, not '\(text)'")
        }
        return start
    }
}
