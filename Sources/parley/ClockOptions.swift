import Parley

/// `--now TIME`, shared by the commands that run agents: the clock they run on.
///
/// Without it a command runs on the system clock. With it the clock reads TIME when the command
/// starts and then advances at the real rate, so that a run can be pinned to a date (for
/// reproducible output) without freezing timers.
enum ClockOptions {
    /// One line for a command's usage text.
    static let help = """
        --now TIME   start the clock at TIME (RFC 3339 UTC, e.g. 2026-04-30T09:00:00Z) instead of the
                     system's current time; it then advances in real time
        """

    /// The clock for the `--now` value `text` (`nil`: the system clock), or a problem to report.
    static func clock(now text: String?) -> Result<any AgentClock, UsageError> {
        guard let text else { return .success(SystemClock()) }
        guard let start = Instant(rfc3339: text) else {
            return .failure(UsageError("--now needs an RFC 3339 UTC time such as 2026-04-30T09:00:00Z, not '\(text)'"))
        }
        return .success(ShiftedClock(start: start))
    }
}
