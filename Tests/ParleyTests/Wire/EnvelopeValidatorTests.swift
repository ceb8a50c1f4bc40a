import Testing

@testable import Parley

/// `parley validate`'s line-by-line check of a JSON Lines stream (`Spec/PROTOCOL.md` §4.6).
@Suite("Wire: envelope validator")
struct WireEnvelopeValidatorTests {
    static let codec = WireCodec()
    static func line(_ kind: Message.Kind, _ sequence: Int) -> [UInt8] {
        codec.encode(SampleMessages.envelope(SampleMessages.message(kind, role: .customer), from: .customer, sequence: sequence))
    }
    static let broken: [UInt8] = Array(#"{"parley":1,"type":"hello""#.utf8)
    static let badVersion: [UInt8] = Array(
        #"{"parley":2,"id":"x","session":"s","from":"a","to":"b","seq":1,"sentAt":"2026-05-03T10:00:00Z","type":"close","body":{"outcome":"done"}}"#
            .utf8)

    @Test("3 valid and 2 broken lines: exactly the 2 broken line numbers and codes")
    func threeValidTwoBroken() {
        let stream =
            Self.line(.hello, 1) + [0x0A] + Self.broken + [0x0A] + Self.line(.request, 2) + [0x0A] + Self.badVersion + [0x0A]
            + Self.line(.close, 3) + [0x0A]
        let report = EnvelopeValidator().validate(stream)
        #expect(report.valid == 3)
        #expect(report.failures.map(\.line) == [2, 4])
        #expect(report.failures.map(\.error.code) == [.malformedJSON, .unsupportedVersion])
    }

    @Test("CRLF line ends, empty lines and a final line without LF")
    func crlfAndEmptyLines() {
        let crlf: [UInt8] = [0x0D, 0x0A]
        let stream =
            crlf + Self.line(.hello, 1) + crlf + [0x0A] + Self.broken + crlf + crlf + Self.line(.request, 2) + [0x0A]
            + Self.badVersion + crlf + Self.line(.close, 3)
        let report = EnvelopeValidator().validate(stream)
        #expect(report.valid == 3)
        // Lines: 1 empty, 2 hello, 3 empty, 4 broken, 5 empty, 6 request, 7 bad version, 8 close (no LF).
        #expect(report.failures.map(\.line) == [4, 7])
        #expect(report.failures.map(\.error.code) == [.malformedJSON, .unsupportedVersion])
    }

    @Test("Empty streams and streams of empty lines are valid and empty")
    func emptyStreams() {
        for stream: [UInt8] in [[], [0x0A], [0x0D, 0x0A], [0x0A, 0x0A, 0x0D, 0x0A]] {
            let report = EnvelopeValidator().validate(stream)
            #expect(report.valid == 0 && report.failures.isEmpty, "\(stream)")
        }
    }

    @Test("A CR is removed only before an LF: a final line of just CR is a malformed line, as the transport frames it")
    func finalCarriageReturn() {
        let report = EnvelopeValidator().validate(Self.line(.hello, 1) + [0x0A, 0x0D])
        #expect(report.valid == 1)
        #expect(report.failures.map(\.line) == [2])
        #expect(report.failures.map(\.error.code) == [.malformedJSON])
        // Trailing CR after a final envelope is whitespace.
        #expect(EnvelopeValidator().validate(Self.line(.hello, 1) + [0x0D]).valid == 1)
    }

    @Test("A line over the size limit is too-large; one exactly at the limit (plus CR) is checked normally")
    func sizeLimit() {
        let limits = WireLimits(maximumBytes: Self.line(.hello, 1).count, maximumDepth: 16)
        let validator = EnvelopeValidator(codec: WireCodec(limits: limits))
        let report = validator.validate(Self.line(.hello, 1) + [0x0D, 0x0A] + Self.line(.hello, 1) + [0x20, 0x0A])
        #expect(report.valid == 1)
        #expect(report.failures.map(\.line) == [2])
        #expect(report.failures.map(\.error.code) == [.tooLarge])
    }
}
