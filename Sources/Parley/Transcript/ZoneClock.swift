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

    /// A reading given field by field.
    init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

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

    /// Every instant whose wall-clock reading is `reading`, earliest first: none in a gap (clocks
    /// skipped it), two in an overlap (clocks went back over it), one otherwise.
    func instants(of reading: LocalDateTime) -> [Instant] {
        let days = Instant.daysFromCivil(year: reading.year, month: reading.month, day: reading.day)
        let naive = Int64(days) * 86_400 + Int64(reading.hour * 3600 + reading.minute * 60 + reading.second)
        // Every offset in force within a day of the reading, each tried as the reading's offset
        // (one lookup per half hour only when the offset changes within that day).
        let ends = Set([-86_400, 0, 86_400].map { offset(at: Instant(secondsSinceEpoch: naive + Int64($0))) })
        let offsets =
            ends.count == 1
            ? ends : Set(stride(from: -86_400, through: 86_400, by: 1800).map { offset(at: Instant(secondsSinceEpoch: naive + Int64($0))) })
        return offsets.map { Instant(secondsSinceEpoch: naive - Int64($0)) }.filter { local($0) == reading }.sorted()
    }

    /// Whether the wall-clock reading of `instant` also names another instant (a repeated hour).
    func isAmbiguous(_ instant: Instant) -> Bool { instants(of: local(instant)).count > 1 }

    /// `+01:00`: the UTC offset at `instant`.
    func offsetText(at instant: Instant) -> String {
        let seconds = offset(at: instant)
        let sign = seconds < 0 ? "-" : "+"
        return "\(sign)\(zeroPadded(abs(seconds) / 3600)):\(zeroPadded(abs(seconds) % 3600 / 60))"
    }

    /// `3 May 10:00`; with the year (`3 May 2027 10:00`) when it is not `year`, and with the UTC
    /// offset (`31 Oct 02:15 (UTC+01:00)`) when the wall-clock time occurs twice that day.
    func dayAndTime(_ instant: Instant, year: Int? = nil) -> String {
        "\(dayText(local(instant), year: year)) \(timeText(instant))"
    }

    /// A span of time: `3 May 10:00–10:45 Europe/Berlin`, or `3 May 23:00 – 4 May 01:00 Europe/Berlin`
    /// across midnight; the year and the UTC offset are shown as in ``dayAndTime(_:year:)``.
    func span(from start: Instant, to end: Instant, year: Int? = nil) -> String {
        let first = local(start), last = local(end)
        if first.isSameDay(as: last) {
            return "\(dayText(first, year: year)) \(timeText(start))–\(timeText(end)) \(name)"
        }
        return "\(dayText(first, year: year)) \(timeText(start)) – \(dayText(last, year: year)) \(timeText(end)) \(name)"
    }

    /// `3 May`, or `3 May 2027` when the reading's year is not `year` (no year given: never).
    func dayText(_ reading: LocalDateTime, year: Int?) -> String {
        guard let year, reading.year != year else { return reading.dayText }
        return "\(reading.dayText) \(reading.year)"
    }

    /// `10:00`, or `02:15 (UTC+01:00)` when that wall-clock time occurs twice (a repeated hour).
    func timeText(_ instant: Instant) -> String {
        let text = local(instant).minuteText
        return isAmbiguous(instant) ? "\(text) (UTC\(offsetText(at: instant)))" : text
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
