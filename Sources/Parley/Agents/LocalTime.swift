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

    /// How to resolve a wall-clock time that names no instant or two: in a daylight-saving gap
    /// (clocks skip it, e.g. 02:30 on 28 March 2027 in Berlin) or overlap (clocks go back over
    /// it, e.g. 02:15 on 31 October 2027 in Berlin happens first in summer time, then in winter time).
    public enum Resolution: Hashable, Sendable {
        /// The earlier instant: in an overlap the first occurrence (the offset before the change);
        /// in a gap the instant just as far before the gap's end as the wall time is after its
        /// start (02:30 on 28 March 2027 in Berlin: 01:30 CET).
        case earlier
        /// The later instant: in an overlap the second occurrence (the offset after the change);
        /// in a gap the wall time read with the offset it had before the change (02:30 on
        /// 28 March 2027 in Berlin: 03:30 CEST).
        case later
        /// No instant: the caller must ask the person which one is meant.
        case refuse
    }

    /// The instant of a local wall-clock time, with gaps and overlaps resolved as `resolution`
    /// says; `nil` only when `resolution` is ``Resolution/refuse`` and the time is in a gap or an overlap.
    public func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int = 0, resolving resolution: Resolution) -> Instant? {
        let reading = LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: 0)
        let found = zone.instants(of: reading)
        if found.count == 1 { return found[0] }
        switch resolution {
        case .refuse: return nil
        case .earlier, .later:
            if !found.isEmpty { return resolution == .earlier ? found.first : found.last }
            // A gap: read the wall time with the offsets in force around it.
            let days = Instant.daysFromCivil(year: year, month: month, day: day)
            let naive = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60)
            let before = zone.offset(at: Instant(secondsSinceEpoch: naive - 86_400))
            let after = zone.offset(at: Instant(secondsSinceEpoch: naive + 86_400))
            let candidates = [naive - Int64(before), naive - Int64(after)].sorted()
            return Instant(secondsSinceEpoch: resolution == .earlier ? candidates[0] : candidates[1])
        }
    }

    /// Every instant the local wall-clock time names, earliest first: none in a daylight-saving
    /// gap, two in an overlap, one otherwise.
    public func instants(year: Int, month: Int, day: Int, hour: Int, minute: Int = 0) -> [Instant] {
        zone.instants(of: LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: 0))
    }

    /// Whether the wall-clock time of `instant` names another instant too (a repeated hour).
    public func isAmbiguous(_ instant: Instant) -> Bool { zone.isAmbiguous(instant) }

    /// The instant of a local wall-clock time, as ``instant(year:month:day:hour:minute:resolving:)``
    /// with ``Resolution/later``: in an overlap the second occurrence, in a gap the instant after
    /// it. Use the `resolving:` form when the time may fall into a daylight-saving change and the
    /// person must decide.
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
