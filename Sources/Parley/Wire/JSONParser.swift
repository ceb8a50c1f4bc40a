/// A strict RFC 8259 / I-JSON parser with limits (`Spec/PROTOCOL.md` §4.1, §4.4).
///
/// Rejects, with a typed error and the byte offset: input over the size limit (`too-large`,
/// checked first), nesting over the depth limit (`too-deep`, so no input can exhaust the stack),
/// repeated member names (`duplicate-key`), and everything else that is not well-formed UTF-8
/// JSON without lone surrogates (`malformed-json`): a byte-order mark, trailing data, comments,
/// trailing commas, leading zeros, `NaN`, numbers that overflow a double, control characters
/// in strings, invalid UTF-8.
enum JSONParser {
    static func parse(_ bytes: [UInt8], limits: WireLimits = .standard) throws(ParleyError) -> JSONValue {
        guard bytes.count <= limits.maximumBytes else {
            throw ParleyError(.tooLarge, "input of \(bytes.count) bytes exceeds the limit of \(limits.maximumBytes)")
        }
        let result: Result<JSONValue, ParleyError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer, maximumDepth: limits.maximumDepth)
            do throws(ParleyError) {
                parser.skipWhitespace()
                let value = try parser.parseValue(depth: 0)
                parser.skipWhitespace()
                guard parser.index == buffer.count else { throw parser.malformed("unexpected data after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let maximumDepth: Int
        var index = 0
        var scratch: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
        }

        func malformed(_ reason: String) -> ParleyError {
            ParleyError(.malformedJSON, "malformed JSON at byte \(index): \(reason)")
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(ParleyError) -> JSONValue {
            guard index < bytes.count else { throw malformed("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            default: throw malformed("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws(ParleyError) {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw malformed("unexpected end of input") }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw malformed("invalid literal")
            }
            index += count
        }

        mutating func parseObject(depth: Int) throws(ParleyError) -> JSONValue {
            guard depth <= maximumDepth else {
                throw ParleyError(.tooDeep, "nesting deeper than \(maximumDepth) levels at byte \(index)")
            }
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw malformed("expected a member name") }
                let keyOffset = index
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw malformed("expected ':'") }
                index += 1
                skipWhitespace()
                let value = try parseValue(depth: depth)
                guard members.updateValue(value, forKey: key) == nil else {
                    throw ParleyError(.duplicateKey, "member name '\(key.prefix(64))' repeated at byte \(keyOffset)")
                }
                skipWhitespace()
                guard index < bytes.count else { throw malformed("unexpected end of input in an object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw malformed("expected ',' or '}'") }
                index += 1
                return .object(members)
            }
        }

        mutating func parseArray(depth: Int) throws(ParleyError) -> JSONValue {
            guard depth <= maximumDepth else {
                throw ParleyError(.tooDeep, "nesting deeper than \(maximumDepth) levels at byte \(index)")
            }
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth))
                skipWhitespace()
                guard index < bytes.count else { throw malformed("unexpected end of input in an array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { throw malformed("expected ',' or ']'") }
                index += 1
                return .array(items)
            }
        }

        mutating func parseNumber() throws(ParleyError) -> Double {
            let start = index
            var negative = false
            if bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw malformed("expected a digit") }
            var integer: UInt64 = 0
            var digits = 0
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, isDigit(bytes[index]) { throw malformed("leading zero") }
                digits = 1
            } else {
                while index < bytes.count, isDigit(bytes[index]) {
                    if digits < 18 { integer = integer * 10 + UInt64(bytes[index] - 0x30) }
                    digits += 1
                    index += 1
                }
            }
            var simple = digits <= 15
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                simple = false
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw malformed("expected a digit after '.'") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                simple = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw malformed("expected a digit in the exponent") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if simple {
                let value = Double(integer)
                return negative ? -value : value
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else { throw malformed("number out of range") }
            return value
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

        mutating func parseString() throws(ParleyError) -> String {
            index += 1
            let start = index
            // Fast path: plain ASCII without escapes.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
                index += 1
            }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: scratch, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    try parseEscape()
                case 0..<0x20:
                    throw malformed("unescaped control character in a string")
                case 0x80...:
                    try copyUTF8Sequence()
                default:
                    scratch.append(byte)
                    index += 1
                }
            }
            throw malformed("unterminated string")
        }

        mutating func parseEscape() throws(ParleyError) {
            index += 1
            guard index < bytes.count else { throw malformed("unterminated escape") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw malformed("lone high surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low <= 0xDFFF else { throw malformed("lone high surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw malformed("lone low surrogate")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw malformed("invalid escape") }
                scratch.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw malformed("invalid escape")
            }
        }

        mutating func hex4() throws(ParleyError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw malformed("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw malformed("invalid hex digit in \\u escape")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        /// Validates one UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF) and copies it.
        mutating func copyUTF8Sequence() throws(ParleyError) {
            let lead = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: throw malformed("invalid UTF-8")
            }
            guard index + length <= bytes.count else { throw malformed("truncated UTF-8 sequence") }
            let second = bytes[index + 1]
            guard second >= lower && second <= upper else { throw malformed("invalid UTF-8") }
            for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
                throw malformed("invalid UTF-8")
            }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
            index += length
        }
    }
}
