/// The two roles in a Parley session.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The person's assistant: it asks, chooses, and is the authority over the person's data.
    case customer
    /// The company's service bot: it offers, books, and asks for the data a booking needs.
    case company

    /// The other role.
    public var peer: Role { self == .customer ? .company : .customer }

    public var description: String { rawValue }
}

/// A name of a piece of personal data, from the field registry in `Spec/CONSENT.md`
/// (`givenName`, `familyName`, `email`, `phone`, …).
///
/// The registry is open: unknown names are carried and compared like known ones, but a
/// customer's policy only ever allows names it lists.
public struct DataField: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    /// Creates a field name; `nil` unless it matches `[A-Za-z][A-Za-z0-9._-]{0,63}`.
    public init?(rawValue: String) {
        guard DataField.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        precondition(DataField.isValid(value), "invalid data field name: \(value)")
        self.rawValue = value
    }

    static func isValid(_ text: String) -> Bool { isRegistryName(text) }

    public var description: String { rawValue }
    public static func < (lhs: DataField, rhs: DataField) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A person's first name.
    public static let givenName: DataField = "givenName"
    /// A person's last name.
    public static let familyName: DataField = "familyName"
    /// An e-mail address.
    public static let email: DataField = "email"
    /// A telephone number in E.164 form.
    public static let phone: DataField = "phone"
    /// A postal address, as one line of text.
    public static let postalAddress: DataField = "postalAddress"
    /// A date of birth, `YYYY-MM-DD`.
    public static let birthDate: DataField = "birthDate"
}

/// Why data is processed, from the purpose registry in `Spec/CONSENT.md`; the registry maps
/// each name to a W3C Data Privacy Vocabulary (DPV) concept.
public struct Purpose: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    /// Creates a purpose name; `nil` unless it matches `[A-Za-z][A-Za-z0-9._-]{0,63}`.
    public init?(rawValue: String) {
        guard isRegistryName(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        precondition(isRegistryName(value), "invalid purpose name: \(value)")
        self.rawValue = value
    }

    public var description: String { rawValue }
    public static func < (lhs: Purpose, rhs: Purpose) -> Bool { lhs.rawValue < rhs.rawValue }

    /// To make, hold and honour a booking (DPV `ServiceProvision`).
    public static let booking: Purpose = "booking"
    /// To remind the person of an appointment (DPV `CommunicationForCustomerCare`).
    public static let reminder: Purpose = "reminder"
    /// To charge the person (DPV `PaymentManagement`).
    public static let billing: Purpose = "billing"
    /// To send the person advertising (DPV `DirectMarketing`).
    public static let marketing: Purpose = "marketing"
}

/// `[A-Za-z][A-Za-z0-9._-]{0,63}`: the shape of registry names (fields, purposes, reasons, outcomes).
func isRegistryName(_ text: String) -> Bool {
    var count = 0
    for byte in text.utf8 {
        let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        let isOther = (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x5F || byte == 0x2D
        guard count == 0 ? isLetter : (isLetter || isOther) else { return false }
        count += 1
        if count > 64 { return false }
    }
    return count > 0
}

/// An amount of money in integer minor units (cents) of an ISO 4217 currency.
///
/// Parley never uses floating point for money: `4500` with `EUR` is 45.00 €.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The amount in the currency's minor unit.
    public var amount: Int64
    /// The ISO 4217 alphabetic code, three uppercase letters.
    public var currency: String

    /// Creates an amount; `currency` must be three uppercase ASCII letters.
    public init(amount: Int64, currency: String) {
        self.amount = amount
        self.currency = currency
    }

    /// Whether `currency` is three uppercase ASCII letters, as ISO 4217 codes are.
    public static func isValidCurrency(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        return bytes.count == 3 && bytes.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }

    public var description: String {
        let sign = amount < 0 ? "-" : ""
        let magnitude = amount.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents) \(currency)"
    }
}

/// A range of instants, `start` to `end` inclusive, with `start <= end`.
///
/// In a request a window bounds the *start* of the appointment: a proposal fits the window
/// when `window.start <= proposal.slot.start <= window.end`. A window whose ends are equal
/// asks for exactly that time.
public struct TimeWindow: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first instant of the window.
    public var start: Instant
    /// The last instant of the window.
    public var end: Instant

    /// Creates the window from `start` to `end`, both included.
    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }

    /// Whether `instant` lies in the window, ends included.
    public func contains(_ instant: Instant) -> Bool { start <= instant && instant <= end }

    public var description: String { "\(start)–\(end)" }
}

/// The time an appointment occupies, from `start` (inclusive) to `end` (exclusive), `start < end`.
public struct Slot: Hashable, Sendable, Codable, CustomStringConvertible {
    /// When the appointment begins.
    public var start: Instant
    /// When the appointment ends (the first instant after it).
    public var end: Instant

    /// Creates the slot from `start` to `end` (exclusive).
    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }

    /// Whether the two slots share any second.
    public func overlaps(_ other: Slot) -> Bool { start < other.end && other.start < end }

    /// The length in minutes.
    public var minutes: Int { Int(start.seconds(to: end) / 60) }

    public var description: String { "\(start)–\(end)" }
}
