/// Writes canonical (RFC 8785) bytes straight from typed values, without building a
/// ``JSONValue`` tree first.
///
/// The bytes are exactly those of `CanonicalJSON.canonicalBytes(value.json)`. Objects are written
/// member by member as their types list them; when the names are not already in canonical order
/// the members are moved into it when the object closes. Member names are Parley's own ASCII
/// names, whose byte order is their UTF-16 order and which need no escaping.
struct CanonicalWriter: MemberWriter {
    /// The bytes written so far.
    var bytes: [UInt8]
    /// The members of the objects being written, innermost last: name and offset of the member's
    /// first byte (its comma, for all but an object's first member).
    private var open: [(name: StaticString, start: Int)] = []

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
        open.reserveCapacity(16)
    }

    /// Writes `value`'s canonical bytes.
    mutating func write<T: WireCodable>(_ value: T) {
        value.writeCanonical(to: &self)
    }

    /// Writes a JSON string.
    mutating func write(string: String) {
        CanonicalJSON.appendString(string, to: &bytes)
    }

    /// Writes an integer as `CanonicalJSON` writes the double of the same value.
    mutating func write(integer: Int64) {
        CanonicalJSON.appendInteger(integer, to: &bytes)
    }

    /// Writes one object whose members `writeMembers` sets.
    mutating func writeObject(_ writeMembers: (inout CanonicalWriter) -> Void) {
        let base = open.count
        let objectStart = bytes.count
        bytes.append(UInt8(ascii: "{"))
        writeMembers(&self)
        let members = open[base...]
        var ordered = true
        var index = members.startIndex + 1
        while ordered && index < members.endIndex {
            ordered = Self.precedes(members[index - 1].name, members[index].name)
            index += 1
        }
        if !ordered {
            // Rewrite the members in name order; each one's text, without its leading comma.
            let text = Array(bytes[(objectStart + 1)...])
            var ranges: [(name: StaticString, range: Range<Int>)] = []
            ranges.reserveCapacity(members.count)
            for (position, member) in members.enumerated() {
                let start = member.start - objectStart - 1 + (position == 0 ? 0 : 1)
                let end = position + 1 < members.count ? members[members.startIndex + position + 1].start - objectStart - 1 : text.count
                ranges.append((member.name, start..<end))
            }
            ranges.sort { Self.precedes($0.name, $1.name) }
            bytes.removeSubrange((objectStart + 1)...)
            for (position, member) in ranges.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: text[member.range])
            }
        }
        open.removeSubrange(base...)
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func set<T: WireCodable>(_ key: StaticString, _ value: T?) {
        guard let value else { return }
        writeName(key)
        value.writeCanonical(to: &self)
    }

    mutating func set<T: WireCodable>(_ key: StaticString, list: [T]) {
        guard !list.isEmpty else { return }
        writeName(key)
        list.writeCanonical(to: &self)
    }

    /// Starts a member of the innermost open object: comma, quoted name, colon.
    private mutating func writeName(_ name: StaticString) {
        assert(name.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != 0x22 && $0 != 0x5C } })
        let isFirst = bytes.last == UInt8(ascii: "{")
        open.append((name, bytes.count))
        if !isFirst { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// Byte order of ASCII names, which is their UTF-16 order.
    private static func precedes(_ lhs: StaticString, _ rhs: StaticString) -> Bool {
        lhs.withUTF8Buffer { left in rhs.withUTF8Buffer { right in left.lexicographicallyPrecedes(right) } }
    }
}

/// Receives an object's members: ``ObjectWriter`` builds a ``JSONValue``, ``CanonicalWriter``
/// writes canonical bytes. Members set to `nil` or to an empty list are left out.
protocol MemberWriter {
    mutating func set<T: WireCodable>(_ key: StaticString, _ value: T?)
    mutating func set<T: WireCodable>(_ key: StaticString, list: [T])
}

/// A value whose JSON form is an object, described once for both writers.
protocol WireObject: WireCodable {
    /// Sets the object's members, in any order.
    func writeMembers<W: MemberWriter>(to writer: inout W)
}

extension WireObject {
    var json: JSONValue {
        var writer = ObjectWriter()
        writeMembers(to: &writer)
        return writer.json
    }

    func writeCanonical(to writer: inout CanonicalWriter) {
        writer.writeObject { writeMembers(to: &$0) }
    }
}
