#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// Converts between exact instants and wall-clock times in an IANA time zone.
///
/// Agents think in local time (a salon opens at 09:00 Europe/Berlin); the wire carries
/// instants. This is the one place where the two meet.
public struct LocalTime: Hashable, Sendable {
    /// The IANA time zone name, e.g. `Europe/Berlin`.
    public let timeZone: String
    private let zone: TimeZone

    /// Creates a converter; `nil` when the zone is unknown to the system's time zone database.
    public init?(timeZone: String) {
        guard let zone = TimeZone(identifier: timeZone) else { return nil }
        self.timeZone = timeZone
        self.zone = zone
    }

    /// The instant of a local wall-clock time. In a DST gap the later offset applies.
    public func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int = 0) -> Instant {
        let days = Instant.daysFromCivil(year: year, month: month, day: day)
        let naive = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60)
        // Two passes: the offset at the naive time, then at the corrected one.
        var offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(naive))))
        offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(naive - offset))))
        return Instant(secondsSinceEpoch: naive - offset)
    }

    /// The UTC offset in seconds at `instant`.
    public func offset(at instant: Instant) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.secondsSinceEpoch)))
    }

    /// The local wall-clock fields of `instant`.
    public func components(of instant: Instant) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let local = instant.secondsSinceEpoch + Int64(offset(at: instant))
        var days = local / 86_400
        var rest = local % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (year, month, day) = Instant.civil(fromDays: Int(days))
        return (year, month, day, Int(rest / 3600), Int(rest % 3600 / 60), Int(rest % 60))
    }

    /// `HH:MM` in local time.
    public func clock(_ instant: Instant) -> String {
        let parts = components(of: instant)
        return "\(parts.hour < 10 ? "0" : "")\(parts.hour):\(parts.minute < 10 ? "0" : "")\(parts.minute)"
    }

    /// `D Month HH:MM` in local time, e.g. `3 May 10:00`.
    public func dayAndClock(_ instant: Instant) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = components(of: instant)
        return "\(parts.day) \(months[parts.month - 1]) \(clock(instant))"
    }

    public static func == (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.timeZone == rhs.timeZone }
    public func hash(into hasher: inout Hasher) { hasher.combine(timeZone) }
}
