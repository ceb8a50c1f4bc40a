#if canImport(FoundationEssentials)
    import FoundationEssentials
    // Named (IANA) time zones live in FoundationInternationalization; FoundationEssentials alone
    // only knows fixed GMT offsets.
    #if canImport(FoundationInternationalization)
        import FoundationInternationalization
    #endif
#else
    import Foundation
#endif

/// A wall-clock reading: a date and a time of day in some time zone.
struct LocalDateTime: Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    /// The reading of `secondsSinceEpoch` shifted by `offset` seconds.
    init(secondsSinceEpoch: Int64, offset: Int) {
        let shifted = secondsSinceEpoch + Int64(offset)
        var days = shifted / 86_400
        var rest = shifted % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        (year, month, day) = Instant.civil(fromDays: Int(days))
        hour = Int(rest / 3600)
        minute = Int(rest % 3600 / 60)
        second = Int(rest % 60)
    }

    /// Whether both readings fall on the same calendar day.
    func isSameDay(as other: LocalDateTime) -> Bool {
        year == other.year && month == other.month && day == other.day
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `3 May`.
    var dayText: String { "\(day) \(LocalDateTime.monthNames[month - 1])" }
    /// `10:00`.
    var minuteText: String { "\(zeroPadded(hour)):\(zeroPadded(minute))" }
    /// `10:00:05`.
    var secondText: String { "\(zeroPadded(hour)):\(zeroPadded(minute)):\(zeroPadded(second))" }
    /// The iCalendar DATE-TIME form without a zone suffix: `20260503T100000`.
    var iCalendarText: String {
        "\(zeroPadded(year, width: 4))\(zeroPadded(month))\(zeroPadded(day))T\(zeroPadded(hour))\(zeroPadded(minute))\(zeroPadded(second))"
    }
}

/// Zero-padded decimal of a non-negative number.
func zeroPadded(_ value: Int, width: Int = 2) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// Converts instants to wall-clock readings in one IANA time zone, falling back to UTC when the
/// platform does not know the zone.
struct ZoneClock: Sendable {
    /// The zone's name as shown to people: the IANA name, or `UTC` after a fallback.
    let name: String
    /// `nil` means UTC.
    let zone: TimeZone?

    /// UTC.
    static let utc = ZoneClock(name: "UTC", zone: nil)

    /// The clock for `identifier`, or UTC when the platform does not know it.
    init(identifier: String) {
        if let zone = TimeZone(identifier: identifier) {
            self.init(name: identifier, zone: zone)
        } else {
            self = .utc
        }
    }

    private init(name: String, zone: TimeZone?) {
        self.name = name
        self.zone = zone
    }

    /// Whether the zone is a real zone rather than the UTC fallback.
    var isKnownZone: Bool { zone != nil }

    /// The offset from UTC in seconds at `instant`.
    func offset(at instant: Instant) -> Int {
        zone?.secondsFromGMT(for: instant.foundationDate) ?? 0
    }

    /// The wall-clock reading of `instant`.
    func local(_ instant: Instant) -> LocalDateTime {
        LocalDateTime(secondsSinceEpoch: instant.secondsSinceEpoch, offset: offset(at: instant))
    }

    /// `3 May 10:00`.
    func dayAndTime(_ instant: Instant) -> String {
        let reading = local(instant)
        return "\(reading.dayText) \(reading.minuteText)"
    }

    /// A span of time: `3 May 10:00–10:45 Europe/Berlin`, or `3 May 23:00 – 4 May 01:00 Europe/Berlin`
    /// across midnight.
    func span(from start: Instant, to end: Instant) -> String {
        let first = local(start), last = local(end)
        if first.isSameDay(as: last) {
            return "\(first.dayText) \(first.minuteText)–\(last.minuteText) \(name)"
        }
        return "\(first.dayText) \(first.minuteText) – \(last.dayText) \(last.minuteText) \(name)"
    }
}

extension Instant {
    /// The Foundation date of this instant.
    var foundationDate: Date { Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)) }

    /// The instant of `date`, rounded to the nearest second.
    init(foundationDate date: Date) {
        self.init(secondsSinceEpoch: Int64(date.timeIntervalSince1970.rounded()))
    }
}
