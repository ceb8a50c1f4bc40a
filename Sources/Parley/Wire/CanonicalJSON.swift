/// RFC 8785 (JSON Canonicalization Scheme) serialisation (`Spec/PROTOCOL.md` §4.2): members
/// sorted by the UTF-16 code units of their names, no whitespace, strings escaped as ECMAScript
/// `JSON.stringify` does, numbers as ECMAScript `Number.prototype.toString`.
enum CanonicalJSON {
    /// The canonical UTF-8 bytes of `value`.
    static func canonicalBytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        append(value, to: &output)
        return output
    }

    /// The canonical UTF-8 bytes of `value` in an array of exactly their size, for bytes that are
    /// kept (an envelope's): ``canonicalBytes(_:)`` reserves room for a typical message.
    static func compactCanonicalBytes(_ value: JSONValue) -> [UInt8] {
        let bytes = canonicalBytes(value)
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: bytes)
        }
    }

    /// The canonical text of `value`.
    static func canonicalText(_ value: JSONValue) -> String {
        String(decoding: canonicalBytes(value), as: UTF8.self)
    }

    /// Appends the canonical bytes of `value` to `output`.
    static func append(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(true): output.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        case .bool(false): output.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .number(let number): appendNumber(number, to: &output)
        case .string(let text): appendString(text, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                append(item, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // Sorting the members themselves (not the keys, then looking each one up) saves a hash per member.
            let sorted = members.sorted { utf16Precedes($0.key, $1.key) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                append(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Orders member names by UTF-16 code units, as RFC 8785 §3.2.3 requires. ASCII names (all of
    /// Parley's own) compare bytewise, which is the same order.
    static func utf16Precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator(), right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?):
                if a == b { continue }
                if a < 0x80 && b < 0x80 { return a < b }
                return lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
            }
        }
    }

    static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Most strings need no escape: copy them whole.
            guard bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                output.append(contentsOf: bytes)
                return
            }
            for byte in bytes { appendEscaped(byte, to: &output) }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        let short: UInt8
        switch byte {
        case 0x22, 0x5C: short = byte
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case 0..<0x20:
            let hex: StaticString = "0123456789abcdef"
            output.append(0x5C)
            output.append(UInt8(ascii: "u"))
            output.append(0x30)
            output.append(0x30)
            output.append(hex.utf8Start[Int(byte >> 4)])
            output.append(hex.utf8Start[Int(byte & 0xF)])
            return
        default:
            output.append(byte)
            return
        }
        output.append(0x5C)
        output.append(short)
    }

    /// ECMAScript `Number.prototype.toString` for finite doubles (RFC 8785 §3.2.2.3).
    static func appendNumber(_ number: Double, to output: inout [UInt8]) {
        guard number.isFinite else {
            // The parser never produces these; like JSON.stringify, write null rather than invalid JSON.
            output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            return
        }
        if number == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        if number.rounded(.towardZero) == number, abs(number) < 9_007_199_254_740_992 {
            appendInteger(Int64(number), to: &output)
            return
        }
        if number < 0 { output.append(UInt8(ascii: "-")) }
        // Shortest round-trip digits from Swift, re-laid out by ECMAScript's rules.
        let (digits, exponent) = shortestDigits(abs(number))
        let k = digits.count, n = exponent
        if k <= n && n <= 21 {
            output.append(contentsOf: digits)
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            output.append(contentsOf: digits[0..<n])
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            output.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            output.append(contentsOf: digits)
        } else {
            output.append(digits[0])
            if k > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[1...])
            }
            output.append(UInt8(ascii: "e"))
            output.append(UInt8(ascii: n - 1 >= 0 ? "+" : "-"))
            output.append(contentsOf: String(abs(n - 1)).utf8)
        }
    }

    /// Appends `value` exactly as ``appendNumber(_:to:)`` appends `Double(value)`: its decimal
    /// digits when it is exact as a double (|value| < 2^53), the double's text otherwise.
    static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        guard value.magnitude < 9_007_199_254_740_992 else {
            appendNumber(Double(value), to: &output)
            return
        }
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var count = 1
        var power: UInt64 = 10
        while power <= magnitude {
            count += 1
            power *= 10
        }
        let end = output.count + count
        output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var index = end
        repeat {
            index -= 1
            output[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    /// The decimal digits `d1…dk` (no leading or trailing zeros) and `n` with value `0.d1…dk × 10^n`.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        let text = Array(value.description.utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            mantissa = text[..<e]
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
        }
        var digits: [UInt8] = []
        var pointPosition: Int? = nil
        for byte in mantissa {
            if byte == UInt8(ascii: ".") {
                pointPosition = digits.count
            } else {
                digits.append(byte)
            }
        }
        var n = (pointPosition ?? digits.count) + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            n -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, n)
    }
}
