/// An exact point in time, with one-second resolution, independent of any time zone.
///
/// Parley carries every time on the wire as an RFC 3339 date-time in UTC with a literal `Z`
/// and no fractional seconds, for example `2026-05-03T10:00:00Z`. Local times only exist
/// at the edges (a company's calendar, a person's wishes) and are converted with the
/// company's IANA time zone, which messages carry beside the instants where it matters.
public struct Instant: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z, ignoring leap seconds (POSIX time).
    public var secondsSinceEpoch: Int64

    /// Creates an instant from POSIX seconds.
    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// The earliest instant the wire format can express, `0001-01-01T00:00:00Z`.
    public static let wireMinimum = Instant(secondsSinceEpoch: -62_135_596_800)
    /// The latest instant the wire format can express, `9999-12-31T23:59:59Z`.
    public static let wireMaximum = Instant(secondsSinceEpoch: 253_402_300_799)

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// The instant `seconds` later (earlier when negative).
    public func adding(seconds: Int64) -> Instant {
        Instant(secondsSinceEpoch: secondsSinceEpoch &+ seconds)
    }

    /// The instant `minutes` later (earlier when negative).
    public func adding(minutes: Int) -> Instant {
        adding(seconds: Int64(minutes) * 60)
    }

    /// Seconds from `self` to `other` (negative when `other` is earlier).
    public func seconds(to other: Instant) -> Int64 {
        other.secondsSinceEpoch &- secondsSinceEpoch
    }

    /// The RFC 3339 text, e.g. `2026-05-03T10:00:00Z`.
    public var description: String { rfc3339 }

    /// Parses the wire form `YYYY-MM-DDTHH:MM:SSZ`; returns `nil` for anything else
    /// (other offsets, fractional seconds, lowercase `t`/`z`, out-of-range fields).
    public init?(rfc3339 text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 20, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            utf8[10] == UInt8(ascii: "T"), utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
            utf8[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = utf8[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            year >= 1, (1...12).contains(month), day >= 1, day <= Instant.daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = Instant.daysFromCivil(year: year, month: month, day: day)
        secondsSinceEpoch = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The wire form `YYYY-MM-DDTHH:MM:SSZ`. Instants outside ``wireMinimum``...``wireMaximum``
    /// are clamped to that range.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 20 bytes of ``rfc3339`` to `bytes`.
    func appendRFC3339(to bytes: inout [UInt8]) {
        let clamped = min(max(secondsSinceEpoch, Instant.wireMinimum.secondsSinceEpoch), Instant.wireMaximum.secondsSinceEpoch)
        var days = clamped / 86_400
        var rest = clamped % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (year, month, day) = Instant.civil(fromDays: Int(days))
        let hour = Int(rest / 3600), minute = Int(rest % 3600 / 60), second = Int(rest % 60)
        func put(_ value: Int, width: Int) {
            var divisor = width == 4 ? 1000 : 10
            while divisor > 0 {
                bytes.append(UInt8(truncatingIfNeeded: 0x30 + value / divisor % 10))
                divisor /= 10
            }
        }
        put(year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        put(month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        put(day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        put(hour, width: 2)
        bytes.append(UInt8(ascii: ":"))
        put(minute, width: 2)
        bytes.append(UInt8(ascii: ":"))
        put(second, width: 2)
        bytes.append(UInt8(ascii: "Z"))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let instant = Instant(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 UTC instant: \(text)")
        }
        self = instant
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }

    // Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
