import Testing

@testable import ParleyCrypto

@Suite("HMAC-SHA256 (RFC 4231)")
struct HMACSHA256Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var key: String
        var data: String
        var mac: String
        var testDescription: String { name }
    }

    /// Every HMAC-SHA256 case of RFC 4231 §4.2–4.8, keys and data in hex.
    static let rfc4231: [Case] = [
        Case(
            name: "4.2", key: String(repeating: "0b", count: 20), data: "4869205468657265",
            mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Case(
            name: "4.3", key: "4a656665", data: "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
            mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Case(
            name: "4.4", key: String(repeating: "aa", count: 20), data: String(repeating: "dd", count: 50),
            mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Case(
            name: "4.5", key: "0102030405060708090a0b0c0d0e0f10111213141516171819", data: String(repeating: "cd", count: 50),
            mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        // 4.6 specifies the output truncated to 128 bits.
        Case(
            name: "4.6 (truncated)", key: String(repeating: "0c", count: 20), data: "546573742057697468205472756e636174696f6e",
            mac: "a3b6167473100ee06e0c796c2955552b"),
        Case(
            name: "4.7", key: String(repeating: "aa", count: 131),
            data: "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
            mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Case(
            name: "4.8", key: String(repeating: "aa", count: 131),
            data: "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c"
                + "6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265"
                + "666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
            mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("RFC 4231", arguments: rfc4231)
    func rfc4231Case(_ vector: Case) throws {
        let key = try #require(Hex.decode(vector.key))
        let data = try #require(Hex.decode(vector.data))
        let mac = Hex.encode(HMACSHA256.authenticationCode(for: data, key: key))
        #expect(mac.hasPrefix(vector.mac))
        #expect(mac.count == 64)
        // Incremental, byte by byte.
        var hmac = HMACSHA256(key: key)
        for byte in data { hmac.update([byte]) }
        #expect(Hex.encode(hmac.finalize()) == mac)
    }

    @Test("constant-time equality")
    func constantTime() {
        #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(constantTimeEquals([], []))
    }
}
