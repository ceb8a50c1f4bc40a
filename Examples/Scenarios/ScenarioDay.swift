public import Parley

/// A calendar day in the companies' time zone (Europe/Berlin), on which a scenario's diary,
/// opening hours and wishes are laid out.
///
/// The reference scenarios play on fixed days of May 2026 (``World/may(_:_:_:)``), so that their
/// output replays exactly; an agent run as a live service (`parley serve`) lays the same
/// scenario out relative to the clock it runs on, e.g. ``ScenarioDay/following(_:days:)`` of now.
public struct ScenarioDay: Hashable, Sendable {
    /// The local date.
    public let year: Int
    public let month: Int
    public let day: Int

    /// The day with this local date.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The local day `days` after the local day of `instant` (1: tomorrow).
    public static func following(_ instant: Instant, days: Int = 1) -> ScenarioDay {
        let today = World.berlin.components(of: instant)
        let noon = World.berlin.instant(year: today.year, month: today.month, day: today.day, hour: 12)
        // Noon avoids every daylight-saving switch: whole days of 86,400 s land on the right date.
        let target = World.berlin.components(of: noon.adding(seconds: Int64(days) * 86_400))
        return ScenarioDay(year: target.year, month: target.month, day: target.day)
    }

    /// The day after this one.
    public var next: ScenarioDay { .following(at(12), days: 1) }

    /// The instant of a wall-clock time on this day.
    public func at(_ hour: Int, _ minute: Int = 0) -> Instant {
        World.berlin.instant(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// A window of start times on this day.
    public func window(from: (Int, Int), to: (Int, Int)) -> TimeWindow {
        TimeWindow(start: at(from.0, from.1), end: at(to.0, to.1))
    }

    /// The same window of wall-clock times on this day and the `count - 1` days after it.
    public func daily(from: (Int, Int), to: (Int, Int), count: Int) -> [TimeWindow] {
        var windows: [TimeWindow] = []
        var current = self
        for _ in 0..<max(count, 0) {
            windows.append(current.window(from: from, to: to))
            current = current.next
        }
        return windows
    }
}
