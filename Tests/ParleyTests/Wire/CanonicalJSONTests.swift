import Testing

@testable import Parley

@Suite("RFC 8785 canonical JSON")
struct CanonicalJSONTests {
    /// Canonical bytes; tests compare bytes because `String ==` treats canonically equivalent text as equal.
    func bytes(_ value: JSONValue) -> [UInt8] { CanonicalJSON.canonicalBytes(value) }

    /// RFC 8785 Appendix B: IEEE 754 bits and their canonical text.
    static let appendixB: [(UInt64, String)] = [
        (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"), (0x0000_0000_0000_0001, "5e-324"),
        (0x8000_0000_0000_0001, "-5e-324"), (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
        (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"), (0x4340_0000_0000_0000, "9007199254740992"),
        (0xC340_0000_0000_0000, "-9007199254740992"), (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
        (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"), (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
        (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"), (0x444B_1AE4_D6E2_EF50, "1e+21"),
        (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
        (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
        (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
        (0x41B3_DE43_5555_5557, "333333333.33333343"), (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
        (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
        // From the reference implementation's number tests.
        (0x4340_0000_0000_0001, "9007199254740994"), (0x4340_0000_0000_0002, "9007199254740996"),
    ]

    @Test("numbers: RFC 8785 Appendix B", arguments: appendixB)
    func appendixBNumbers(bits: UInt64, expected: String) {
        #expect(bytes(.number(Double(bitPattern: bits))) == utf8(expected))
    }

    @Test(
        "numbers: ECMAScript layout rules",
        arguments: [
            (1.0, "1"), (-1.0, "-1"), (0.5, "0.5"), (100.0, "100"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
            (1.5e21, "1.5e+21"), (1e-6, "0.000001"), (1.5e-6, "0.0000015"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"),
            (123.456, "123.456"), (-0.001, "-0.001"), (4.5, "4.5"), (0.002, "0.002"), (1e-27, "1e-27"), (1e30, "1e+30"),
            (9_007_199_254_740_991, "9007199254740991"), (-9_007_199_254_740_991, "-9007199254740991"),
            (18_446_744_073_709_551_616, "18446744073709552000"), (1.0e16, "10000000000000000"), (12.0e-1, "1.2"),
        ])
    func ecmaScriptLayout(number: Double, expected: String) {
        #expect(bytes(.number(number)) == utf8(expected))
    }

    @Test("numbers: 400 seeded samples agree with Python's rfc8785")
    func es6Samples() {
        var mismatches: [String] = []
        for (bits, text) in ES6NumberSamples.all {
            let got = CanonicalJSON.canonicalText(.number(Double(bitPattern: bits)))
            if Array(got.utf8) != utf8(text) { mismatches.append("0x\(String(bits, radix: 16)): \(got) != \(text)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(ES6NumberSamples.all.count >= 400)
    }

    @Test("non-finite numbers are written as null, as JSON.stringify does")
    func nonFinite() {
        #expect(bytes(.array([.number(.nan), .number(.infinity), .number(-.infinity)])) == utf8("[null,null,null]"))
    }

    @Test("strings: escapes exactly as JSON.stringify")
    func stringEscapes() {
        var controls = ""
        for scalar in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        let expected =
            #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#
        #expect(bytes(.string(controls)) == utf8(expected))
        #expect(bytes(.string("\"\\/\u{7F}é€\u{2028}\u{2029}😀</script>")) == utf8("\"\\\"\\\\/\u{7F}é€\u{2028}\u{2029}😀</script>\""))
    }

    @Test("object members sort by UTF-16 code units")
    func memberOrder() {
        // U+1F600 (surrogates D83D DE00) sorts before U+E000 and U+FB33 in UTF-16, after them in UTF-8.
        let value = JSONValue.object([
            "\u{E000}": .number(1), "😀": .number(2), "\u{FB33}": .number(3), "z": .number(4), "é": .number(5),
            "": .number(6), "a": .number(7), "aa": .number(8), "B": .number(9), "\u{10000}": .number(10),
        ])
        #expect(bytes(value) == utf8("{\"\":6,\"B\":9,\"a\":7,\"aa\":8,\"z\":4,\"é\":5,\"𐀀\":10,\"😀\":2,\"\u{E000}\":1,\"\u{FB33}\":3}"))
        #expect(CanonicalJSON.utf16Precedes("😀", "\u{E000}"))
        #expect(!CanonicalJSON.utf16Precedes("\u{E000}", "😀"))
        #expect(CanonicalJSON.utf16Precedes("\u{D7FF}", "😀"))
        #expect(CanonicalJSON.utf16Precedes("a", "a\u{0}"))
        #expect(!CanonicalJSON.utf16Precedes("a", "a"))
    }

    @Test("member order agrees with a reference UTF-16 comparison on seeded keys")
    func memberOrderRandomised() {
        var random = SplitMix64(seed: 8785)
        let pool: [UInt32] = [0x41, 0x61, 0x7F, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFB33, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF]
        for _ in 0..<2_000 {
            func key() -> String {
                var text = ""
                for _ in 0..<random.below(4) { text.unicodeScalars.append(Unicode.Scalar(pool[random.below(pool.count)])!) }
                return text
            }
            let (a, b) = (key(), key())
            #expect(
                CanonicalJSON.utf16Precedes(a, b) == a.utf16.lexicographicallyPrecedes(b.utf16),
                "\(a.unicodeScalars.map(\.value)) vs \(b.unicodeScalars.map(\.value))")
        }
    }

    /// The reference implementation's test data (cyberphone/json-canonicalization, `testdata/input` → `output`),
    /// which is also the sample of RFC 8785 §3.2.3 (`values.json`) and its sorting example (`weird.json`).
    static let referenceData: [(name: String, input: String, output: String)] = [
        ("arrays", "[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]\n", #"[56,{"1":[],"10":null,"d":true}]"#),
        (
            "french",
            #"{"peach": "This sorting order", "péché": "is wrong according to French", "pêche": "but canonicalization MUST", "sin": "ignore locale"}"#,
            #"{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}"#
        ),
        (
            "structures",
            #"{"1": {"f": {"f": "hi","F": 5} ,"\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ {"e": "yes","E": "no" } ], "A": { }}"#,
            #"{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}"#
        ),
        ("unicode", #"{"Unnormalized Unicode":"A\u030a"}"#, "{\"Unnormalized Unicode\":\"A\u{30A}\"}"),
        (
            "values",
            #"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#,
            #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        ),
        (
            "weird",
            #"{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\u000a": "Newline", "1": "One", "\u0080": "Control\u007f", "\ud83d\ude02": "Smiley", "\u00f6": "Latin Small Letter O With Diaeresis", "\ufb33": "Hebrew Letter Dalet With Dagesh", "</script>": "Browser Challenge"}"#,
            "{\"\\n\":\"Newline\",\"\\r\":\"Carriage Return\",\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u{80}\":\"Control\u{7F}\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😂\":\"Smiley\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        ),
    ]

    @Test("reference test data", arguments: referenceData)
    func reference(name: String, input: String, output: String) throws {
        let value = try JSONParser.parse(utf8(input))
        #expect(Array(CanonicalJSON.canonicalText(value).utf8) == utf8(output), "\(name)")
        #expect(CanonicalJSON.canonicalBytes(value) == utf8(output))
    }

    @Test("parse → canonical → parse is the identity, and canonical output is a fixed point", arguments: WireSamples.all)
    func roundTrip(_ text: String) throws {
        let value = try JSONParser.parse(utf8(text))
        let canonical = CanonicalJSON.canonicalBytes(value)
        let reparsed = try JSONParser.parse(canonical)
        #expect(reparsed == value)
        #expect(CanonicalJSON.canonicalBytes(reparsed) == canonical)
        #expect(!canonical.contains(0x0A))
        var appended: [UInt8] = [0x78]
        CanonicalJSON.append(value, to: &appended)
        #expect(appended == [0x78] + canonical)
    }

    @Test("round trip of seeded random values")
    func randomRoundTrip() throws {
        var random = SplitMix64(seed: 42)
        func value(_ depth: Int) -> JSONValue {
            switch random.below(depth > 4 ? 5 : 7) {
            case 0: return .null
            case 1: return .bool(random.oneIn(2))
            case 2: return .number(Double(Int64.random(in: -9_007_199_254_740_991...9_007_199_254_740_991, using: &random)))
            case 3:
                let bits = random.next()
                let number = Double(bitPattern: bits)
                return .number(number.isFinite ? number : 0.5)
            case 4:
                var text = ""
                for _ in 0..<random.below(8) {
                    let scalars: [UInt32] = [0x0, 0xA, 0x1F, 0x22, 0x5C, 0x41, 0xE9, 0x2028, 0xFFFF, 0x1F600]
                    text.unicodeScalars.append(Unicode.Scalar(scalars[random.below(scalars.count)])!)
                }
                return .string(text)
            case 5: return .array((0..<random.below(4)).map { _ in value(depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for _ in 0..<random.below(4) { members["k\(random.below(10))\u{E9}"] = value(depth + 1) }
                return .object(members)
            }
        }
        for _ in 0..<2_000 {
            let original = value(0)
            let canonical = CanonicalJSON.canonicalBytes(original)
            let reparsed = try JSONParser.parse(canonical)
            #expect(CanonicalJSON.canonicalBytes(reparsed) == canonical)
            #expect(reparsed == original)
        }
    }
}
