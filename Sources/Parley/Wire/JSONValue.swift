/// A parsed JSON value, as the wire codec sees it.
///
/// Parley's own members never use fractional numbers (money, durations and counts are integers),
/// but a peer's unknown members may; they are kept, as IEEE 754 doubles, so that a decoded
/// envelope re-encodes to exactly what was received and digests agree on both sides.
public enum JSONValue: Hashable, Sendable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as an IEEE 754 double.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; member order is not kept (the canonical form sorts members).
    case object([String: JSONValue])
}

extension JSONValue {
    /// The largest magnitude at which every integer is exact in a double, 2^53 − 1.
    /// Parley's integer members must stay within ±this value.
    public static var maximumSafeInteger: Int64 { 9_007_199_254_740_991 }

    /// The JSON type's name as the spec uses it in error messages (`object`, `string`, …).
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
