import ParleyScenarios
import Testing

@testable import Parley

/// `Spec/PROTOCOL.md` §8: undecodable input is attributed by its top-level `session` and `from`
/// wherever they stand in the line, whatever its length or depth.
@Suite("Undecodable lines name their session wherever the member stands")
struct UndecodableLineTests {
    static let head = #"{"parley":1,"id":"c9","to":"salon.example/bot","seq":9,"sentAt":"2026-04-30T09:00:00Z","type":"request","#

    /// A line whose `session` and `from` come last, after `padding` and a member nested `depth` deep.
    static func line(padding: Int, depth: Int, session: String = "late-session") -> [UInt8] {
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let text =
            head + #""x-pad":""# + String(repeating: "a", count: padding) + #"","x-deep":"# + nested
            + #","body":{"session":"nested-not-top-level"},"session":""# + session + #"","from":"assistant.example/lisa"}"#
        return Array(text.utf8)
    }

    static func read(_ bytes: [UInt8]) async -> [TransportEvent] {
        let (near, far) = MemoryByteStream.pair()
        let transport = JSONLinesTransport(stream: far)
        try? await near.write(bytes + [0x0A])
        await near.close()
        var events: [TransportEvent] = []
        for await event in transport.inbound { events.append(event) }
        return events
    }

    @Test(
        "A 70 KB line and a 5,000-deep line with session last are too-large and too-deep in that session",
        arguments: [(70_000, 1, ParleyError.Code.tooLarge), (4_000, 5_000, .tooDeep), (60_000, 17, .tooDeep)])
    func lateSessionIsFound(padding: Int, depth: Int, code: ParleyError.Code) async {
        let events = await Self.read(Self.line(padding: padding, depth: depth))
        guard events.count == 1, case .undecodable(let error, let session, let from, _) = events[0] else {
            Issue.record("expected one undecodable event, got \(events)")
            return
        }
        #expect(error.code == code)
        #expect(session == "late-session", "the top-level member, not the one nested in body")
        #expect(from == "assistant.example/lisa")
    }

    @Test("The members are read across chunk boundaries of an over-long line and escaped values are not trusted")
    func scannerEdges() {
        var members = TopLevelMembers()
        for byte in Self.line(padding: 70_000, depth: 3) { members.feed([byte]) }
        #expect(members.session == "late-session" && members.from == "assistant.example/lisa")
        let escaped = TopLevelMembers(of: Array(#"{"session":"a\"b","from":"x"}"#.utf8))
        #expect(escaped.session == nil && escaped.from == "x")
        let keyEscaped = TopLevelMembers(of: Array(#"{"sess\u0069on":"s"}"#.utf8))
        #expect(keyEscaped.session == nil)
    }

    @Test("A company answers the late-session faults in the session it holds; an unknown session is reported locally")
    func companyAnswersInTheSession() async {
        let (salon, _) = Salons.salon(bookings: [])
        let hello = Envelope(
            id: "c1", session: "late-session", from: World.lisa, to: "salon.example/bot", sequence: 1, sentAt: World.now,
            message: .hello(.init(role: .customer)))
        _ = await salon.handle(.envelope(hello), now: World.now)
        for (padding, depth) in [(70_000, 1), (4_000, 5_000)] {
            let events = await Self.read(Self.line(padding: padding, depth: depth))
            let replies = await salon.handle(events[0], now: World.now).envelopes
            #expect(replies.count == 1 && replies.first?.session == "late-session", "\(replies)")
            #expect(replies.errorCodes == [padding > 65_536 ? "too-large" : "too-deep"])
        }
        var events = salon.events.makeAsyncIterator()
        let orphan = await Self.read(Self.line(padding: 70_000, depth: 1, session: "nobody-holds-this"))
        #expect(await salon.handle(orphan[0], now: World.now).envelopes.isEmpty)
        var reported = false
        while let event = await events.next() {
            if case .inputRejected(let error, let session) = event {
                #expect(error.code == .tooLarge && session == "nobody-holds-this")
                reported = true
                break
            }
        }
        #expect(reported)
    }
}
