import Testing

@testable import Parley

/// The RFC 8941 subset HTTP message signatures need: parsing is strict, serialising canonical.
@Suite struct StructuredFieldTests {
    static func reserialized(_ text: String) throws -> String {
        StructuredField.serialize(dictionary: try StructuredField.parseDictionary(text))
    }

    @Test func dictionariesRoundTripToTheirCanonicalForm() throws {
        let input = #"sig1=("@method" "@target-uri";req "content-digest");created=1618884473;keyid="k";alg="ed25519""#
        #expect(try Self.reserialized(input) == input)
        // Optional white space and ?1 booleans take their canonical form; a repeated key keeps its last value.
        #expect(try Self.reserialized("a=1 ,  b=?1;x=?1, c=:AQID:, a=-2") == "b;x, c=:AQID:, a=-2")
        #expect(try Self.reserialized(#"t=token/x:y, d=12.345, s="q\"b\\""#) == #"t=token/x:y, d=12.345, s="q\"b\\""#)
        guard case .item(let item)? = try StructuredField.parseDictionary("c=:AQID:").first?.member, case .bytes(let bytes) = item.value
        else {
            Issue.record("not a byte sequence")
            return
        }
        #expect(bytes == [1, 2, 3])
    }

    @Test(arguments: [
        "A=1",  // keys are lower case
        "a=1,",  // trailing comma
        "a=(1 2",  // unclosed inner list
        "a=(1,2)",  // items separated by commas
        "a=\"x",  // unclosed string
        "a=\"\\n\"",  // bad escape
        "a=:AQ-D:",  // base64url, not base64
        "a=:AQID",  // unclosed byte sequence
        "a=?2",  // not a boolean
        "a=1234567890123456",  // integer too long
        "a=1.2345",  // too many fractional digits
        "a=1.",  // decimal without fraction
        "a=-",  // sign without digits
        "a=@x",  // no item starts with @
        "a=1 b=2",  // missing comma
    ])
    func malformedFieldsAreRefused(_ text: String) {
        #expect(throws: StructuredField.ParseError.self) { _ = try StructuredField.parseDictionary(text) }
    }

    @Test func targetURIsSplitAsRFC9421Says() throws {
        let uri = try #require(TargetURI("HTTPS://Example.COM:443/foo?param=Value&Pet=dog"))
        #expect(uri.scheme == "https")
        #expect(uri.authority == "example.com")
        #expect(uri.path == "/foo")
        #expect(uri.query == "param=Value&Pet=dog")
        let bare = try #require(TargetURI("http://127.0.0.1:8080"))
        #expect(bare.path == "/")
        #expect(bare.authority == "127.0.0.1:8080")
        #expect(TargetURI("/relative") == nil)
        #expect(TargetURI("https:///nohost") == nil)
    }

    @Test func contentDigestAcceptsSHA256AndSHA512AndRefusesTheRest() throws {
        let body = Array(#"{"hello": "world"}"#.utf8)
        try ContentDigest.verify("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body: body)
        #expect(ContentDigest.sha256(body) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
        try ContentDigest.verify("md5=:AAAA:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body: body)
        func problem(_ value: String?) -> String? {
            do {
                try ContentDigest.verify(value, body: body)
                return nil
            } catch { return error.problem }
        }
        #expect(problem(nil) == "digest-missing")
        #expect(problem("md5=:AAAA:") == "digest-missing")
        #expect(problem("sha-256=:AAAA:") == "digest-mismatch")
        #expect(problem("sha-256=\"text\"") == "signature-malformed")
        #expect(problem("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:AAAA:") == "digest-mismatch")
    }
}
