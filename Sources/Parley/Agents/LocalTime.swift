/// Converts between exact instants and wall-clock times in an IANA time zone.
///
/// Agents think in local time (a salon opens at 09:00 Europe/Berlin); the wire carries
/// instants. This is the one place where the two meet.
public struct LocalTime: Hashable, Sendable {
    /// The IANA time zone name, e.g. `Europe/Berlin`.
    public let timeZone: String
    private let zone: ZoneClock

    /// Creates a converter; `nil` when the zone is unknown to the system's time zone database.
    public init?(timeZone: String) {
        let zone = ZoneClock(identifier: timeZone)
        guard zone.isKnownZone else { return nil }
        self.timeZone = timeZone
        self.zone = zone
    }

    /// The instant of a local wall-clock time. In a DST gap the later offset applies.
    public func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int = 0) -> Instant {
        let days = Instant.daysFromCivil(year: year, month: month, day: day)
        let naive = Instant(secondsSinceEpoch: Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60))
        // Two passes: the offset at the naive time, then at the corrected one.
        let first = zone.offset(at: naive)
        return naive.adding(seconds: -Int64(zone.offset(at: naive.adding(seconds: -Int64(first)))))
    }

    /// The UTC offset in seconds at `instant`.
    public func offset(at instant: Instant) -> Int { zone.offset(at: instant) }

    /// The local wall-clock fields of `instant`.
    public func components(of instant: Instant) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let reading = zone.local(instant)
        return (reading.year, reading.month, reading.day, reading.hour, reading.minute, reading.second)
    }

    /// `HH:MM` in local time.
    public func clock(_ instant: Instant) -> String { zone.local(instant).minuteText }

    /// `D Month HH:MM` in local time, e.g. `3 May 10:00`.
    public func dayAndClock(_ instant: Instant) -> String { zone.dayAndTime(instant) }

    public static func == (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.timeZone == rhs.timeZone }
    public func hash(into hasher: inout Hasher) { hasher.combine(timeZone) }
}
