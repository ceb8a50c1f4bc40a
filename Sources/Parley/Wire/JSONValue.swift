/// A parsed JSON value, as the wire codec sees it.
///
/// Parley's own members never use fractional numbers (money, durations and counts are integers),
/// but a peer's unknown members may; they are kept, as IEEE 754 doubles, so that a decoded
/// envelope re-encodes to exactly what was received and digests agree on both sides.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
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
