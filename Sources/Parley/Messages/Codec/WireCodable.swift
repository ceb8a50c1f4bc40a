/// A value with one exact JSON form on the wire.
///
/// Decoding is strict about types and required members and tolerant of unknown members;
/// every failure is a ``ParleyError`` whose message names the path of the offending member
/// (e.g. `body.proposals[0].price.amount`). Parley never uses Swift's synthesised coding for
/// the wire: each type spells its members out, so the wire format is exactly what the spec says.
protocol WireCodable {
    /// Decodes the value from `json`, found at `path` (used in error messages only).
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError)
    /// The value's JSON form.
    var json: JSONValue { get }
    /// Writes the canonical bytes of ``json``.
    func writeCanonical(to writer: inout CanonicalWriter)
}

extension WireCodable {
    func writeCanonical(to writer: inout CanonicalWriter) {
        CanonicalJSON.append(json, to: &writer.bytes)
    }
}

/// Reads the members of one JSON object with precise errors.
struct ObjectReader {
    let members: [String: JSONValue]
    let path: String

    init(_ json: JSONValue, path: String) throws(ParleyError) {
        guard case .object(let members) = json else {
            throw ParleyError(.invalidField, "\(path.isEmpty ? "envelope" : path): expected object, found \(json.typeName)")
        }
        self.members = members
        self.path = path
    }

    func memberPath(_ key: String) -> String {
        let base = path
        return base.isEmpty ? key : "\(base).\(key)"
    }

    /// The member `key`, decoded; a missing member is ``ParleyError/Code/missingField``.
    func required<T: WireCodable>(_ key: String, as type: T.Type = T.self) throws(ParleyError) -> T {
        guard let value = members[key] else {
            throw ParleyError(.missingField, "\(path.isEmpty ? "envelope" : path): missing member '\(key)'")
        }
        return try T(json: value, path: memberPath(key))
    }

    /// The member `key`, decoded, or `nil` when absent. `null` is not absence: Parley never sends `null`.
    func optional<T: WireCodable>(_ key: String, as type: T.Type = T.self) throws(ParleyError) -> T? {
        guard let value = members[key] else { return nil }
        return try T(json: value, path: memberPath(key))
    }

    /// An array member that may be absent (meaning empty), with a bound on its length.
    func list<T: WireCodable>(
        _ key: String, as type: T.Type = T.self, required isRequired: Bool = false, minimum: Int = 0, maximum: Int
    ) throws(ParleyError) -> [T] {
        guard let value = members[key] else {
            if isRequired {
                throw ParleyError(.missingField, "\(path.isEmpty ? "envelope" : path): missing member '\(key)'")
            }
            return []
        }
        let items: [T] = try [T](json: value, path: memberPath(key))
        guard items.count >= minimum, items.count <= maximum else {
            throw ParleyError(.invalidField, "\(memberPath(key)): needs \(minimum) to \(maximum) items, found \(items.count)")
        }
        return items
    }

    /// A string member restricted to `[A-Za-z][A-Za-z0-9._-]{0,63}` (reasons, outcomes, service ids).
    func name(_ key: String) throws(ParleyError) -> String {
        let text: String = try required(key)
        guard isRegistryName(text) else {
            throw ParleyError(.invalidField, "\(memberPath(key)): '\(text)' is not a valid name")
        }
        return text
    }

    /// A string member of at most `maximumBytes` UTF-8 bytes.
    func text(_ key: String, maximumBytes: Int = 2048) throws(ParleyError) -> String {
        let value: String = try required(key)
        return try checkedText(value, key: key, maximumBytes: maximumBytes)
    }

    /// An optional string member of at most `maximumBytes` UTF-8 bytes.
    func optionalText(_ key: String, maximumBytes: Int = 2048) throws(ParleyError) -> String? {
        guard let value: String = try optional(key) else { return nil }
        return try checkedText(value, key: key, maximumBytes: maximumBytes)
    }

    private func checkedText(_ value: String, key: String, maximumBytes: Int) throws(ParleyError) -> String {
        guard value.utf8.count <= maximumBytes else {
            throw ParleyError(.invalidField, "\(memberPath(key)): longer than \(maximumBytes) bytes")
        }
        return value
    }

    /// An integer member within `range`.
    func integer(_ key: String, in range: ClosedRange<Int64>) throws(ParleyError) -> Int64 {
        let value: Int64 = try required(key)
        return try checked(value, key: key, range: range)
    }

    /// An optional integer member within `range`.
    func optionalInteger(_ key: String, in range: ClosedRange<Int64>) throws(ParleyError) -> Int64? {
        guard let value: Int64 = try optional(key) else { return nil }
        return try checked(value, key: key, range: range)
    }

    private func checked(_ value: Int64, key: String, range: ClosedRange<Int64>) throws(ParleyError) -> Int64 {
        guard range.contains(value) else {
            throw ParleyError(.invalidField, "\(memberPath(key)): \(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// Fails with ``ParleyError/Code/invalidField`` at member `key`.
    func invalid(_ key: String, _ reason: String) -> ParleyError {
        ParleyError(.invalidField, "\(memberPath(key)): \(reason)")
    }
}

/// Builds one JSON object; members set to `nil` or to an empty list are left out.
struct ObjectWriter: MemberWriter {
    var members: [String: JSONValue] = [:]

    init() {}

    mutating func set<T: WireCodable>(_ key: String, _ value: T?) {
        if let value { members[key] = value.json }
    }

    mutating func set<T: WireCodable>(_ key: String, list: [T]) {
        if !list.isEmpty { members[key] = .array(list.map(\.json)) }
    }

    mutating func set<T: WireCodable>(_ key: StaticString, _ value: T?) {
        set(key.description, value)
    }

    mutating func set<T: WireCodable>(_ key: StaticString, list: [T]) {
        set(key.description, list: list)
    }

    var json: JSONValue { .object(members) }
}

// MARK: - Leaf conformances

extension String: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        guard case .string(let value) = json else {
            throw ParleyError(.invalidField, "\(path()): expected string, found \(json.typeName)")
        }
        self = value
    }

    var json: JSONValue { .string(self) }

    func writeCanonical(to writer: inout CanonicalWriter) { writer.write(string: self) }
}

extension Bool: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        guard case .bool(let value) = json else {
            throw ParleyError(.invalidField, "\(path()): expected boolean, found \(json.typeName)")
        }
        self = value
    }

    var json: JSONValue { .bool(self) }

    func writeCanonical(to writer: inout CanonicalWriter) { CanonicalJSON.append(.bool(self), to: &writer.bytes) }
}

extension Int64: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        guard case .number(let value) = json else {
            throw ParleyError(.invalidField, "\(path()): expected integer, found \(json.typeName)")
        }
        let limit = Double(JSONValue.maximumSafeInteger)
        guard value.rounded(.towardZero) == value, value >= -limit, value <= limit else {
            throw ParleyError(.invalidField, "\(path()): expected an integer within ±(2^53-1)")
        }
        self = Int64(value)
    }

    var json: JSONValue { .number(Double(self)) }

    func writeCanonical(to writer: inout CanonicalWriter) { writer.write(integer: self) }
}

extension Int: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        self = Int(try Int64(json: json, path: path()))
    }

    var json: JSONValue { .number(Double(self)) }

    func writeCanonical(to writer: inout CanonicalWriter) { writer.write(integer: Int64(self)) }
}

extension Array: WireCodable where Element: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        guard case .array(let items) = json else {
            throw ParleyError(.invalidField, "\(path()): expected array, found \(json.typeName)")
        }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            result.append(try Element(json: item, path: "\(path())[\(index)]"))
        }
        self = result
    }

    var json: JSONValue { .array(map(\.json)) }

    func writeCanonical(to writer: inout CanonicalWriter) {
        writer.bytes.append(UInt8(ascii: "["))
        for (index, item) in enumerated() {
            if index > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            item.writeCanonical(to: &writer)
        }
        writer.bytes.append(UInt8(ascii: "]"))
    }
}

extension Instant: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let text = try String(json: json, path: path())
        guard let instant = Instant(rfc3339: text) else {
            throw ParleyError(.invalidField, "\(path()): '\(text)' is not an RFC 3339 UTC instant (YYYY-MM-DDTHH:MM:SSZ)")
        }
        self = instant
    }

    var json: JSONValue { .string(rfc3339) }

    func writeCanonical(to writer: inout CanonicalWriter) {
        writer.bytes.append(UInt8(ascii: "\""))
        appendRFC3339(to: &writer.bytes)
        writer.bytes.append(UInt8(ascii: "\""))
    }
}

extension Identifier: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let text = try String(json: json, path: path())
        guard let value = Identifier(rawValue: text) else {
            throw ParleyError(.invalidField, "\(path()): not a valid \(Kind.name) (1 to 256 printable ASCII characters)")
        }
        self = value
    }

    var json: JSONValue { .string(rawValue) }

    func writeCanonical(to writer: inout CanonicalWriter) { writer.write(string: rawValue) }
}

extension DataField: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let text = try String(json: json, path: path())
        guard let value = DataField(rawValue: text) else {
            throw ParleyError(.invalidField, "\(path()): '\(text)' is not a valid data field name")
        }
        self = value
    }

    var json: JSONValue { .string(rawValue) }

    func writeCanonical(to writer: inout CanonicalWriter) { writer.write(string: rawValue) }
}

extension Purpose: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let text = try String(json: json, path: path())
        guard let value = Purpose(rawValue: text) else {
            throw ParleyError(.invalidField, "\(path()): '\(text)' is not a valid purpose name")
        }
        self = value
    }

    var json: JSONValue { .string(rawValue) }

    func writeCanonical(to writer: inout CanonicalWriter) { writer.write(string: rawValue) }
}

extension Role: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let text = try String(json: json, path: path())
        guard let value = Role(rawValue: text) else {
            throw ParleyError(.invalidField, "\(path()): '\(text)' is not a role (customer or company)")
        }
        self = value
    }

    var json: JSONValue { .string(rawValue) }

    func writeCanonical(to writer: inout CanonicalWriter) { writer.write(string: rawValue) }
}
