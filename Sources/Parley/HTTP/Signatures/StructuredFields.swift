internal import ParleyCrypto

/// Structured Field Values for HTTP (RFC 8941): the part HTTP message signatures (RFC 9421) and
/// `Content-Digest` (RFC 9530) use — dictionaries, inner lists, items with parameters, and the
/// bare item types integer, decimal, string, token, byte sequence and boolean. Parsing follows
/// RFC 8941 §4.2 strictly (any deviation is an error, never a guess); serialisation follows §4.1,
/// so parsing and serialising again gives the canonical text a signature base needs.
enum StructuredField {
    /// A bare item (RFC 8941 §3.3).
    enum BareItem: Sendable, Hashable {
        case integer(Int64)
        /// A decimal, kept as its serialised text (at most 12 integer and 3 fractional digits).
        case decimal(String)
        case string(String)
        case token(String)
        case bytes([UInt8])
        case boolean(Bool)
    }

    /// Parameters in order (RFC 8941 §3.1.2); keys are unique.
    typealias Parameters = [(key: String, value: BareItem)]

    /// An item with its parameters.
    struct Item: Sendable {
        var value: BareItem
        var parameters: Parameters = []

        func parameter(_ key: String) -> BareItem? { parameters.first { $0.key == key }?.value }
    }

    /// A dictionary or list member: an item or an inner list.
    enum Member: Sendable {
        case item(Item)
        case innerList([Item], parameters: Parameters)
    }

    /// Why a field value is not a valid structured field.
    struct ParseError: Error, Sendable, Hashable {
        var detail: String
    }

    // MARK: - Parsing (RFC 8941 §4.2)

    /// Parses a dictionary; members keep their order, a repeated key keeps its last value (§4.2.2).
    static func parseDictionary(_ text: String) throws(ParseError) -> [(key: String, member: Member)] {
        var parser = Parser(Array(text.utf8))
        parser.skipSpaces()
        var result: [(key: String, member: Member)] = []
        while !parser.atEnd {
            let key = try parser.key()
            let member: Member
            if parser.peek == UInt8(ascii: "=") {
                parser.index += 1
                member = try parser.itemOrInnerList()
            } else {
                member = .item(Item(value: .boolean(true), parameters: try parser.parameters()))
            }
            if let existing = result.firstIndex(where: { $0.key == key }) { result.remove(at: existing) }
            result.append((key, member))
            parser.skipOWS()
            if parser.atEnd { return result }
            guard parser.peek == UInt8(ascii: ",") else { throw ParseError(detail: "expected ',' after the member '\(key)'") }
            parser.index += 1
            parser.skipOWS()
            if parser.atEnd { throw ParseError(detail: "a trailing ','") }
        }
        return result
    }

    /// Parses one item (RFC 8941 §4.2.3), as a component identifier is written.
    static func parseItem(_ text: String) throws(ParseError) -> Item {
        var parser = Parser(Array(text.utf8))
        parser.skipSpaces()
        let item = try parser.item()
        parser.skipSpaces()
        guard parser.atEnd else { throw ParseError(detail: "characters after the item") }
        return item
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpaces() { while peek == 0x20 { index += 1 } }
        mutating func skipOWS() { while peek == 0x20 || peek == 0x09 { index += 1 } }

        mutating func itemOrInnerList() throws(ParseError) -> Member {
            if peek == UInt8(ascii: "(") { return try innerList() }
            return .item(try item())
        }

        mutating func innerList() throws(ParseError) -> Member {
            index += 1
            var items: [Item] = []
            while !atEnd {
                skipSpaces()
                if peek == UInt8(ascii: ")") {
                    index += 1
                    return .innerList(items, parameters: try parameters())
                }
                items.append(try item())
                guard peek == 0x20 || peek == UInt8(ascii: ")") else {
                    throw ParseError(detail: "an inner list's items are separated by spaces")
                }
            }
            throw ParseError(detail: "an inner list is not closed")
        }

        mutating func item() throws(ParseError) -> Item {
            Item(value: try bareItem(), parameters: try parameters())
        }

        mutating func parameters() throws(ParseError) -> Parameters {
            var result: Parameters = []
            while peek == UInt8(ascii: ";") {
                index += 1
                skipSpaces()
                let key = try key()
                var value = BareItem.boolean(true)
                if peek == UInt8(ascii: "=") {
                    index += 1
                    value = try bareItem()
                }
                if let existing = result.firstIndex(where: { $0.key == key }) { result.remove(at: existing) }
                result.append((key, value))
            }
            return result
        }

        mutating func key() throws(ParseError) -> String {
            guard let first = peek, isLowercase(first) || first == UInt8(ascii: "*") else {
                throw ParseError(detail: "a key starts with a lowercase letter or '*'")
            }
            let start = index
            while let byte = peek, isLowercase(byte) || isDigit(byte) || "_-.*".utf8.contains(byte) { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func bareItem() throws(ParseError) -> BareItem {
            guard let first = peek else { throw ParseError(detail: "an item is missing") }
            switch first {
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            case UInt8(ascii: "\""): return try string()
            case UInt8(ascii: ":"): return try byteSequence()
            case UInt8(ascii: "?"): return try boolean()
            case UInt8(ascii: "*"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): return token()
            default: throw ParseError(detail: "'\(Character(Unicode.Scalar(first)))' starts no item")
            }
        }

        mutating func number() throws(ParseError) -> BareItem {
            var negative = false
            if peek == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            let start = index
            var dot: Int?
            while let byte = peek {
                if isDigit(byte) {
                    index += 1
                } else if byte == UInt8(ascii: "."), dot == nil {
                    guard index - start <= 12 else { throw ParseError(detail: "a decimal has more than 12 integer digits") }
                    dot = index
                    index += 1
                } else {
                    break
                }
                if dot == nil, index - start > 15 { throw ParseError(detail: "an integer has more than 15 digits") }
                if let dot, index - start > 16 || index - dot > 4 { throw ParseError(detail: "a decimal is too long") }
            }
            let digits = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let firstDigit = digits.utf8.first, isDigit(firstDigit) else { throw ParseError(detail: "a number has no digits") }
            if let dot {
                guard dot + 1 < index else { throw ParseError(detail: "a decimal ends with '.'") }
                return .decimal((negative ? "-" : "") + digits)
            }
            guard let value = Int64(digits) else { throw ParseError(detail: "an integer is out of range") }
            return .integer(negative ? -value : value)
        }

        mutating func string() throws(ParseError) -> BareItem {
            index += 1
            var output: [UInt8] = []
            while let byte = peek {
                index += 1
                switch byte {
                case UInt8(ascii: "\\"):
                    guard let next = peek, next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") else {
                        throw ParseError(detail: "a string escapes something other than '\"' or '\\'")
                    }
                    output.append(next)
                    index += 1
                case UInt8(ascii: "\""): return .string(String(decoding: output, as: UTF8.self))
                case 0x20...0x7E: output.append(byte)
                default: throw ParseError(detail: "a string holds a byte outside printable ASCII")
                }
            }
            throw ParseError(detail: "a string is not closed")
        }

        mutating func token() -> BareItem {
            let start = index
            while let byte = peek, isTokenCharacter(byte) { index += 1 }
            return .token(String(decoding: bytes[start..<index], as: UTF8.self))
        }

        mutating func byteSequence() throws(ParseError) -> BareItem {
            index += 1
            let start = index
            while let byte = peek, byte != UInt8(ascii: ":") { index += 1 }
            guard peek == UInt8(ascii: ":") else { throw ParseError(detail: "a byte sequence is not closed") }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            guard let decoded = Base64.decode(text) else { throw ParseError(detail: "a byte sequence is not base64") }
            return .bytes(decoded)
        }

        mutating func boolean() throws(ParseError) -> BareItem {
            index += 1
            switch peek {
            case UInt8(ascii: "1"):
                index += 1
                return .boolean(true)
            case UInt8(ascii: "0"):
                index += 1
                return .boolean(false)
            default: throw ParseError(detail: "a boolean is ?0 or ?1")
            }
        }

        private func isLowercase(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        private func isTokenCharacter(_ byte: UInt8) -> Bool {
            // tchar (RFC 9110 §5.6.2), ':' and '/'.
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default: return "!#$%&'*+-.^_`|~:/".utf8.contains(byte)
            }
        }
    }

    // MARK: - Serialising (RFC 8941 §4.1)

    static func serialize(_ bare: BareItem) -> String {
        switch bare {
        case .integer(let value): return String(value)
        case .decimal(let text): return text
        case .string(let text):
            var output = "\""
            for character in text.unicodeScalars {
                if character == "\"" || character == "\\" { output.append("\\") }
                output.unicodeScalars.append(character)
            }
            return output + "\""
        case .token(let text): return text
        case .bytes(let bytes): return ":" + Base64.encode(bytes) + ":"
        case .boolean(let value): return value ? "?1" : "?0"
        }
    }

    static func serialize(_ parameters: Parameters) -> String {
        var output = ""
        for (key, value) in parameters {
            output += ";" + key
            if value != .boolean(true) { output += "=" + serialize(value) }
        }
        return output
    }

    static func serialize(_ item: Item) -> String { serialize(item.value) + serialize(item.parameters) }

    static func serialize(_ member: Member) -> String {
        switch member {
        case .item(let item): return serialize(item)
        case .innerList(let items, let parameters): return "(" + items.map(serialize).joined(separator: " ") + ")" + serialize(parameters)
        }
    }

    static func serialize(dictionary: [(key: String, member: Member)]) -> String {
        dictionary.map { key, member in
            if case .item(let item) = member, item.value == .boolean(true) { return key + serialize(item.parameters) }
            return key + "=" + serialize(member)
        }.joined(separator: ", ")
    }
}

/// Base64 with the standard alphabet and padding (RFC 4648 §4), as structured-field byte
/// sequences write it.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Array(Base64URL.encode(bytes).utf8).map { byte -> UInt8 in
            byte == UInt8(ascii: "-") ? UInt8(ascii: "+") : byte == UInt8(ascii: "_") ? UInt8(ascii: "/") : byte
        }
        while text.count % 4 != 0 { text.append(UInt8(ascii: "=")) }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes standard base64, padding optional; `nil` for the URL alphabet or anything else.
    static func decode(_ text: String) -> [UInt8]? {
        var translated: [UInt8] = []
        translated.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "_"): return nil
            case UInt8(ascii: "+"): translated.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): translated.append(UInt8(ascii: "_"))
            default: translated.append(byte)
            }
        }
        return Base64URL.decode(String(decoding: translated, as: UTF8.self))
    }
}
