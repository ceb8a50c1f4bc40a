import Testing

@testable import Parley

/// Parses `bytes` and returns the error code, or `nil` if it parsed.
func parseErrorCode(_ bytes: [UInt8], limits: WireLimits = .standard) -> ParleyError.Code? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error.code
    }
}

/// Bytes from text written with `\u{…}` escapes, for tables of inputs.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

struct RejectCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var code: ParleyError.Code
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ code: ParleyError.Code = .malformedJSON) {
        self.init(name, utf8(text), code)
    }

    init(_ name: String, _ bytes: [UInt8], _ code: ParleyError.Code = .malformedJSON) {
        self.name = name
        self.bytes = bytes
        self.code = code
    }
}

@Suite("JSON parser")
struct JSONParserTests {
    static let accepted: [(String, JSONValue)] = [
        ("0", .number(0)), ("-0", .number(-0.0)), ("1", .number(1)), ("-12", .number(-12)),
        ("9007199254740991", .number(9_007_199_254_740_991)), ("-9007199254740993", .number(-9_007_199_254_740_992)),
        ("1.5", .number(1.5)), ("-0.25e2", .number(-25)), ("1E3", .number(1000)), ("1e+3", .number(1000)),
        ("2e-3", .number(0.002)), ("0.1", .number(0.1)), ("1e-400", .number(0)),
        ("1.7976931348623157e308", .number(.greatestFiniteMagnitude)),
        ("4.9e-324", .number(.leastNonzeroMagnitude)), ("123456789012345678901234567890", .number(1.2345678901234568e29)),
        ("0.000000000000000000000000001", .number(1e-27)), ("333333333.33333329", .number(333_333_333.3333333)),
        ("true", .bool(true)), ("false", .bool(false)), ("null", .null),
        ("\"\"", .string("")), (#""a\"\\\/\b\f\n\r\t""#, .string("a\"\\/\u{8}\u{C}\n\r\t")),
        (#""\u0000\u001F\u00e9\u20AC\ud83d\ude00""#, .string("\u{0}\u{1F}é€😀")), ("\"é€😀\u{7F}\"", .string("é€😀\u{7F}")),
        ("\"\u{2028}\u{2029}\"", .string("\u{2028}\u{2029}")),
        (" \t\r\n[ 1 , { \"a\" : [ ] } ]\n", .array([.number(1), .object(["a": .array([])])])),
        ("{\"a\":1,\"b\":{\"a\":2}}", .object(["a": .number(1), "b": .object(["a": .number(2)])])),
        (
            "{\"A\":1,\"a\":2,\"a \":3,\"\\u00e9\":4,\"e\":5}",
            .object(["A": .number(1), "a": .number(2), "a ": .number(3), "é": .number(4), "e": .number(5)])
        ),
    ]

    @Test("accepts", arguments: accepted)
    func accepts(text: String, expected: JSONValue) throws {
        let value = try JSONParser.parse(utf8(text))
        #expect(value == expected)
        if case .number(let number) = value, case .number(let want) = expected {
            #expect(number.sign == want.sign, "sign of \(text)")
        }
    }

    static let rejected: [RejectCase] = [
        RejectCase("empty", ""), RejectCase("only whitespace", " \n"), RejectCase("BOM", "\u{FEFF}{}"),
        RejectCase("form feed whitespace", "\u{C}1"), RejectCase("NBSP whitespace", "\u{A0}1"), RejectCase("vertical tab", "\u{B}1"),
        RejectCase("leading zero", "01"), RejectCase("negative leading zero", "-01"), RejectCase("plus sign", "+1"),
        RejectCase("bare minus", "-"), RejectCase("minus space", "- 1"), RejectCase("no fraction digits", "1."),
        RejectCase("no integer digits", ".5"), RejectCase("no exponent digits", "1e"), RejectCase("exponent sign only", "1e+"),
        RejectCase("hex number", "0x10"), RejectCase("NaN", "NaN"), RejectCase("Infinity", "Infinity"),
        RejectCase("-Infinity", "-Infinity"), RejectCase("overflow", "1e309"), RejectCase("negative overflow", "-1.8e308"),
        RejectCase("overflow long", "1" + String(repeating: "0", count: 400)),
        RejectCase("trailing comma array", "[1,]"), RejectCase("trailing comma object", "{\"a\":1,}"),
        RejectCase("leading comma", "[,1]"), RejectCase("double comma", "[1,,2]"), RejectCase("missing comma", "[1 2]"),
        RejectCase("missing colon", "{\"a\" 1}"), RejectCase("missing value", "{\"a\":}"), RejectCase("unquoted key", "{a:1}"),
        RejectCase("single quotes", "['a']"), RejectCase("number key", "{1:1}"), RejectCase("unclosed array", "[1"),
        RejectCase("unclosed object", "{\"a\":1"), RejectCase("unclosed string", "\"abc"), RejectCase("mismatched", "[}"),
        RejectCase("line comment", "[1]// c"), RejectCase("block comment", "[1/* c */]"), RejectCase("trailing data", "{} {}"),
        RejectCase("trailing garbage", "1x"), RejectCase("True", "True"), RejectCase("nul", "nul"), RejectCase("nulll", "nulll"),
        RejectCase("raw tab in string", "\"a\tb\""), RejectCase("raw LF in string", "\"a\nb\""),
        RejectCase("raw NUL in string", "\"\u{0}\""),
        RejectCase("raw 0x1F in string", "\"\u{1F}\""), RejectCase("bad escape", #""\x""#), RejectCase("escaped quote only", #""\""#),
        RejectCase("short unicode escape", #""\u12""#), RejectCase("non-hex unicode escape", #""\u12G4""#),
        RejectCase("uppercase U escape", #""\U0041""#), RejectCase("lone high surrogate", #""\ud800""#),
        RejectCase("lone low surrogate", #""\udc00""#), RejectCase("high then char", #""\ud800x""#),
        RejectCase("high then high", #""\ud800\ud800""#), RejectCase("low then high", #""\udc00\ud800""#),
        RejectCase("high then non-surrogate escape", #""\ud800\u0041""#), RejectCase("high at end", #""\ud83d"#),
        RejectCase("escaped raw control allowed but NUL outside", "[\"a\"]\u{0}"),
        RejectCase("duplicate key", "{\"a\":1,\"a\":2}", .duplicateKey),
        RejectCase("duplicate key same value", "{\"a\":1,\"b\":0,\"a\":1}", .duplicateKey),
        RejectCase("duplicate after unescaping", #"{"a":1,"\u0061":2}"#, .duplicateKey),
        RejectCase("duplicate escaped both", #"{"\u00e9":1,"é":2}"#, .duplicateKey),
        RejectCase("duplicate surrogate pair", #"{"😀":1,"\ud83d\ude00":2}"#, .duplicateKey),
        RejectCase("duplicate nested", "[{\"x\":{\"k\":1,\"k\":1}}]", .duplicateKey),
        // Swift's String compares by canonical equivalence, so NFC and NFD spellings of a name are one key.
        RejectCase("duplicate after canonical equivalence", #"{"\u00e9":1,"e\u0301":2}"#, .duplicateKey),
    ]

    @Test("rejects", arguments: rejected)
    func rejects(_ testCase: RejectCase) {
        #expect(parseErrorCode(testCase.bytes) == testCase.code)
    }

    static let invalidUTF8: [RejectCase] = [
        RejectCase("lone continuation", [0x22, 0x80, 0x22]), RejectCase("continuation 0xBF", [0x22, 0xBF, 0x22]),
        RejectCase("overlong 2-byte C0", [0x22, 0xC0, 0xAF, 0x22]), RejectCase("overlong 2-byte C1", [0x22, 0xC1, 0xBF, 0x22]),
        RejectCase("overlong 3-byte", [0x22, 0xE0, 0x80, 0xAF, 0x22]), RejectCase("overlong 3-byte max", [0x22, 0xE0, 0x9F, 0xBF, 0x22]),
        RejectCase("overlong 4-byte", [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22]),
        RejectCase("overlong 4-byte max", [0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22]),
        RejectCase("surrogate D800 in UTF-8", [0x22, 0xED, 0xA0, 0x80, 0x22]),
        RejectCase("surrogate DFFF in UTF-8", [0x22, 0xED, 0xBF, 0xBF, 0x22]),
        RejectCase("CESU-8 pair", [0x22, 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80, 0x22]),
        RejectCase("above U+10FFFF (F4 90)", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]),
        RejectCase("lead F5", [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22]),
        RejectCase("lead FF", [0x22, 0xFF, 0x22]), RejectCase("lead FE", [0x22, 0xFE, 0x22]),
        RejectCase("truncated 2-byte", [0x22, 0xC3, 0x22]), RejectCase("truncated 3-byte", [0x22, 0xE2, 0x82, 0x22]),
        RejectCase("truncated 4-byte", [0x22, 0xF0, 0x9F, 0x98, 0x22]), RejectCase("truncated at end", [0x22, 0xE2, 0x82]),
        RejectCase("bad third byte", [0x22, 0xE2, 0x82, 0x41, 0x22]), RejectCase("bad fourth byte", [0x22, 0xF0, 0x9F, 0x98, 0xC0, 0x22]),
        RejectCase("invalid UTF-8 in key", [0x7B, 0x22, 0xC0, 0x80, 0x22, 0x3A, 0x31, 0x7D]),
        RejectCase("invalid UTF-8 in string with escape", [0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22]),
        RejectCase("invalid byte outside strings", [0x5B, 0xC3, 0xA9, 0x5D]),
    ]

    @Test("rejects invalid UTF-8", arguments: invalidUTF8)
    func rejectsInvalidUTF8(_ testCase: RejectCase) {
        #expect(parseErrorCode(testCase.bytes) == testCase.code)
    }

    @Test("valid UTF-8 boundaries are accepted")
    func utf8Boundaries() throws {
        // Boundaries of each UTF-8 length, plus noncharacters (accepted, see JSONParser).
        let scalars: [UInt32] = [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFDD0, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF]
        for scalar in scalars {
            let text = String(Unicode.Scalar(scalar)!)
            #expect(try JSONParser.parse(utf8("\"\(text)\"")) == .string(text), "U+\(String(scalar, radix: 16))")
        }
    }

    static func nested(_ depth: Int, open: String = "[", close: String = "]") -> [UInt8] {
        utf8(String(repeating: open, count: depth) + String(repeating: close, count: depth))
    }

    @Test("depth limit: 16 levels parse, 17 do not")
    func depthLimit() throws {
        #expect(parseErrorCode(Self.nested(16)) == nil)
        #expect(parseErrorCode(Self.nested(17)) == .tooDeep)
        let objects16 = utf8(String(repeating: "{\"a\":", count: 15) + "{}" + String(repeating: "}", count: 15))
        let objects17 = utf8(String(repeating: "{\"a\":", count: 16) + "{}" + String(repeating: "}", count: 16))
        #expect(parseErrorCode(objects16) == nil)
        #expect(parseErrorCode(objects17) == .tooDeep)
        #expect(parseErrorCode(utf8("[" + String(repeating: "{\"a\":[", count: 8) + "]")) == .tooDeep)
        #expect(parseErrorCode(Self.nested(3), limits: WireLimits(maximumDepth: 2)) == .tooDeep)
        #expect(parseErrorCode(Self.nested(2), limits: WireLimits(maximumDepth: 2)) == nil)
        #expect(parseErrorCode(utf8("1"), limits: WireLimits(maximumDepth: 0)) == nil)
    }

    @Test("unterminated deep nesting never overflows the stack")
    func hostileNesting() {
        let open = [UInt8](repeating: UInt8(ascii: "["), count: 60_000)
        #expect(parseErrorCode(open) == .tooDeep)
        let mixed = [UInt8](repeating: UInt8(ascii: "["), count: 15) + [UInt8](repeating: UInt8(ascii: "{"), count: 50_000)
        #expect(parseErrorCode(mixed) == .malformedJSON)
    }

    @Test("size limit: exactly maximumBytes parses, one more byte does not")
    func sizeLimit() {
        let limits = WireLimits.standard
        let atLimit = utf8("\"" + String(repeating: "x", count: limits.maximumBytes - 2) + "\"")
        #expect(atLimit.count == 65_536)
        #expect(parseErrorCode(atLimit) == nil)
        let overLimit = utf8("\"" + String(repeating: "x", count: limits.maximumBytes - 1) + "\"")
        #expect(parseErrorCode(overLimit) == .tooLarge)
        // Checked before parsing: an oversized input is too large even when it is also malformed.
        #expect(parseErrorCode([UInt8](repeating: 0xFF, count: limits.maximumBytes + 1)) == .tooLarge)
        #expect(parseErrorCode(utf8("[1,2]"), limits: WireLimits(maximumBytes: 4)) == .tooLarge)
        #expect(parseErrorCode(utf8("[1,2]"), limits: WireLimits(maximumBytes: 5)) == nil)
    }

    @Test(
        "numbers convert exactly like the standard library",
        arguments: [
            "0.1", "0.3", "1.7976931348623157e308", "2.2250738585072014e-308", "5e-324", "9007199254740993",
            "18446744073709551616", "1.00000000000000011102230246251565404236316680908203125", "123.456e-5", "4.35", "1e22",
            "1e23", "8.41e21", "-2.5e-7", "0.000001", "99999999999999999999", "12345678901234567890e-10",
        ])
    func numberConversion(_ text: String) throws {
        #expect(try JSONParser.parse(utf8(text)) == .number(Double(text)!))
    }
}
