/// How long a company may keep disclosed data, in whole days; written `P<days>D` (an ISO 8601 duration).
public struct RetentionPeriod: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The largest period the text form allows: 99 999 days.
    public static let maximumDays = 99_999

    /// The number of days, `0...maximumDays`.
    public let days: Int

    /// Creates a period; `nil` unless `days` is in `0...maximumDays`.
    public init?(days: Int) {
        guard (0...RetentionPeriod.maximumDays).contains(days) else { return nil }
        self.days = days
    }

    /// Parses `P<days>D`: `P`, 1 to 5 decimal digits without leading zeros (except `P0D`), `D`.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3, bytes.count <= 7, bytes.first == UInt8(ascii: "P"), bytes.last == UInt8(ascii: "D") else { return nil }
        let digits = bytes[1..<(bytes.count - 1)]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count == 1 || digits.first != 0x30 else { return nil }
        self.init(days: digits.reduce(0) { $0 * 10 + Int($1 - 0x30) })
    }

    /// The text form, e.g. `P30D`.
    public var iso8601: String { "P\(days)D" }
    /// The text form, e.g. `P30D`.
    public var description: String { iso8601 }

    /// Zero days: the data is used for the operation at hand and not kept.
    public static let none = RetentionPeriod(uncheckedDays: 0)

    init(uncheckedDays: Int) { days = uncheckedDays }

    public static func < (lhs: RetentionPeriod, rhs: RetentionPeriod) -> Bool { lhs.days < rhs.days }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let period = RetentionPeriod(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a retention period P<days>D: \(text)")
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}
