/// A day of the week.
public enum Weekday: Int, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Monday, raw value 1 (ISO 8601 numbers the days from Monday).
    case monday = 1
    /// Tuesday, raw value 2.
    case tuesday
    /// Wednesday, raw value 3.
    case wednesday
    /// Thursday, raw value 4.
    case thursday
    /// Friday, raw value 5.
    case friday
    /// Saturday, raw value 6.
    case saturday
    /// Sunday, raw value 7.
    case sunday

    /// Monday to Friday.
    public static let workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A wall-clock time of day, `HH:MM`, in the company's time zone. `24:00` is the end of the day.
public struct ClockTime: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Minutes after midnight, 0 … 1 440.
    public let minutes: Int

    /// `hour:minute`; `nil` outside 00:00 … 24:00.
    public init?(hour: Int, minute: Int = 0) {
        guard (0...24).contains(hour), (0...59).contains(minute), hour * 60 + minute <= 1440 else { return nil }
        minutes = hour * 60 + minute
    }

    /// Parses `HH:MM` (e.g. `"09:30"`); `nil` for anything else.
    public init?(rawValue text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]) else {
            return nil
        }
        self.init(hour: hour, minute: minute)
    }

    /// A literal such as `"09:30"`; a literal that is not `HH:MM` is a programming error.
    public init(stringLiteral value: String) {
        guard let time = ClockTime(rawValue: value) else { preconditionFailure("not a clock time HH:MM: \(value)") }
        self = time
    }

    /// `HH:MM`.
    public var rawValue: String { description }
    /// The hour, 0 … 24.
    public var hour: Int { minutes / 60 }
    /// The minute, 0 … 59.
    public var minute: Int { minutes % 60 }
    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minutes < rhs.minutes }
}

/// A calendar date in the company's time zone (a holiday, a closed day).
public struct LocalDate: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The year, 1 … 9999.
    public let year: Int
    /// The month, 1 … 12.
    public let month: Int
    /// The day of the month, from 1.
    public let day: Int

    /// A valid Gregorian date, or `nil`.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= LocalDate.days(in: month, of: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; `nil` for anything else.
    public init?(rawValue text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// A literal such as `"2026-12-25"`; a literal that is not a valid date is a programming error.
    public init(stringLiteral value: String) {
        guard let date = LocalDate(rawValue: value) else { preconditionFailure("not a date YYYY-MM-DD: \(value)") }
        self = date
    }

    /// The day of the week.
    public var weekday: Weekday {
        let days = Instant.daysFromCivil(year: year, month: month, day: day)
        // 1970-01-01 was a Thursday.
        let index = ((days + 3) % 7 + 7) % 7
        return Weekday(rawValue: index + 1)!
    }

    /// The next day.
    public var next: LocalDate {
        if day < LocalDate.days(in: month, of: year) { return LocalDate(year: year, month: month, day: day + 1)! }
        if month < 12 { return LocalDate(year: year, month: month + 1, day: 1)! }
        return LocalDate(year: year + 1, month: 1, day: 1) ?? self
    }

    /// `YYYY-MM-DD`.
    public var rawValue: String { description }

    public var description: String {
        let month = (self.month < 10 ? "0" : "") + "\(self.month)"
        let day = (self.day < 10 ? "0" : "") + "\(self.day)"
        return "\(year)-\(month)-\(day)"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// When a company (or one of its resources) is open: weekly hours in its time zone, less closed
/// dates such as holidays.
///
/// ```swift
/// var hours = OpeningHours(timeZone: "Europe/Berlin")
/// hours.open(Weekday.workdays, from: "09:00", to: "18:00")
/// hours.open([.saturday], from: "09:00", to: "13:00")
/// hours.close(on: ["2026-05-01", "2026-12-25"])
/// ```
///
/// Times are wall-clock times in ``timeZone``, so 09:00 stays 09:00 across a daylight-saving
/// change. A local time that does not exist (in a spring-forward gap) is read with the offset
/// after the change.
public struct OpeningHours: Hashable, Sendable {
    /// The IANA time zone the hours and dates are in.
    public let timeZone: String
    /// Opening intervals per weekday, `[open, close)`, in wall-clock time.
    public private(set) var weekly: [Weekday: [Interval]] = [:]
    /// Dates on which the company is closed all day.
    public private(set) var closedDates: Set<LocalDate> = []
    private let local: LocalTime?

    /// One opening interval of a day: open from `opens` until `closes`.
    public struct Interval: Hashable, Sendable, Codable {
        /// Opening time.
        public var opens: ClockTime
        /// Closing time, after `opens`.
        public var closes: ClockTime

        /// An interval; `nil` unless `opens < closes`.
        public init?(opens: ClockTime, closes: ClockTime) {
            guard opens < closes else { return nil }
            self.opens = opens
            self.closes = closes
        }
    }

    /// Always-closed hours in `timeZone`; add opening intervals with ``open(_:from:to:)``.
    public init(timeZone: String) {
        self.timeZone = timeZone
        self.local = LocalTime(timeZone: timeZone)
    }

    /// Opens on each of `days` from `opens` to `closes` (added to intervals already set for those days).
    /// An interval that does not open before it closes is ignored.
    public mutating func open(_ days: Set<Weekday>, from opens: ClockTime, to closes: ClockTime) {
        guard let interval = Interval(opens: opens, closes: closes) else { return }
        for day in days { weekly[day, default: []].append(interval) }
    }

    /// Closed all day on each of `dates` (holidays, closing days), whatever the weekday.
    public mutating func close(on dates: Set<LocalDate>) {
        closedDates.formUnion(dates)
    }

    /// Whether the whole of `slot` lies in one opening interval of one open day.
    public func contains(_ slot: Slot) -> Bool {
        guard let local else { return false }
        let start = local.components(of: slot.start)
        guard let date = LocalDate(year: start.year, month: start.month, day: start.day), !closedDates.contains(date) else {
            return false
        }
        for interval in weekly[date.weekday] ?? [] {
            let (opens, closes) = instants(of: interval, on: date, in: local)
            if opens <= slot.start && slot.end <= closes { return true }
        }
        return false
    }

    /// The opening windows (as instants) of the local dates from `start`'s to `end`'s, inclusive.
    public func windows(from start: LocalDate, through end: LocalDate) -> [TimeWindow] {
        guard let local else { return [] }
        var result: [TimeWindow] = []
        var date = start
        var guardDays = 0
        while date <= end, guardDays < 3660 {
            if !closedDates.contains(date) {
                for interval in (weekly[date.weekday] ?? []).sorted(by: { $0.opens < $1.opens }) {
                    let (opens, closes) = instants(of: interval, on: date, in: local)
                    result.append(TimeWindow(start: opens, end: closes))
                }
            }
            date = date.next
            guardDays += 1
        }
        return result
    }

    private func instants(of interval: Interval, on date: LocalDate, in local: LocalTime) -> (Instant, Instant) {
        let opens = local.instant(
            year: date.year, month: date.month, day: date.day, hour: interval.opens.hour, minute: interval.opens.minute)
        let closes =
            interval.closes.minutes == 1440
            ? local.instant(year: date.next.year, month: date.next.month, day: date.next.day, hour: 0)
            : local.instant(year: date.year, month: date.month, day: date.day, hour: interval.closes.hour, minute: interval.closes.minute)
        return (opens, closes)
    }

    public static func == (lhs: OpeningHours, rhs: OpeningHours) -> Bool {
        lhs.timeZone == rhs.timeZone && lhs.weekly == rhs.weekly && lhs.closedDates == rhs.closedDates
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timeZone)
        hasher.combine(weekly)
        hasher.combine(closedDates)
    }
}
