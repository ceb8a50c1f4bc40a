import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// A company agent keeps its sessions in a ``SessionStore`` (`Spec/PROTOCOL.md` §9.1): timers
/// outlive the instance that set them, store failures change nothing, saved sessions round-trip.
@Suite("Company sessions in a session store: timers on any instance, store failures, saved state")
struct SessionStoreTests {
    /// An in-memory store that can be told to fail, as a database that is down.
    actor FlakyStore: SessionStore {
        let inner = InMemorySessionStore()
        var failing = false
        var saves = 0

        func fail(_ failing: Bool) { self.failing = failing }

        func load(_ id: SessionID) async throws(SessionStoreError) -> SavedSession? {
            guard !failing else { throw SessionStoreError(.unavailable, "the database is down") }
            return await inner.load(id)
        }

        func save(_ session: SavedSession) async throws(SessionStoreError) {
            guard !failing else { throw SessionStoreError(.unavailable, "the database is down") }
            saves += 1
            try await inner.save(session)
        }

        func sessions(withTimersDueBy instant: Instant, limit: Int) async throws(SessionStoreError) -> [SessionID] {
            guard !failing else { throw SessionStoreError(.unavailable, "the database is down") }
            return await inner.sessions(withTimersDueBy: instant, limit: limit)
        }

        func purge(endedBefore instant: Instant) async throws(SessionStoreError) -> Int {
            guard !failing else { throw SessionStoreError(.unavailable, "the database is down") }
            return await inner.purge(endedBefore: instant)
        }
    }

    static func salon(sessions: any SessionStore, bookings: any BookingStore) -> CompanyAgent {
        CompanyAgent(
            profile: CompanyProfile(id: "salon.example/bot", name: "Salon Krause", timeZone: World.timeZone),
            catalogue: Salons.catalogue(), store: bookings, sessionStore: sessions)
    }

    static func envelope(_ message: Message, session: SessionID = "s-store-1", id: MessageID, sequence: Int, ack: Int = 0) -> Envelope {
        Envelope(
            id: id, session: session, from: World.lisa, to: "salon.example/bot", sequence: sequence, acknowledged: ack, sentAt: World.now,
            message: message)
    }

    @Test("A timer set on one instance is fired by another that shares the store, once")
    func timersFireOnAnyInstance() async throws {
        let sessions = InMemorySessionStore()
        let bookings = InMemoryBookingStore(openingHours: Salons.openingHours)
        let first = Self.salon(sessions: sessions, bookings: bookings)
        let second = Self.salon(sessions: sessions, bookings: bookings)
        let opened = await first.handle(.envelope(Self.envelope(.hello(.init(role: .customer)), id: "c1", sequence: 1)), now: World.now)
        let hello = try #require(opened.envelopes.first)
        let retransmit = try #require(opened.timers.first { $0.timer == .retransmit }?.at)

        // The first instance is gone; the second finds the due timer in the store and retransmits the same envelope.
        #expect(await second.fireDueTimers(now: retransmit.adding(seconds: -1)).envelopes.isEmpty, "nothing is due yet")
        let fired = await second.fireDueTimers(now: retransmit)
        #expect(fired.envelopes == [hello])
        #expect(fired.timers.contains { $0.timer == .retransmit && ($0.at ?? retransmit) > retransmit }, "the next retransmission is set")
        // The first instance's own timer for that instant now finds nothing due: it was fired already.
        #expect(await first.timerFired(.retransmit, session: "s-store-1", now: retransmit).envelopes.isEmpty)
        let saved = try #require(await sessions.load("s-store-1"))
        #expect((saved.nextTimer ?? retransmit) > retransmit)
    }

    @Test("A session continues on another instance: duplicates get the same replies, the digest is the same")
    func sessionContinuesOnAnotherInstance() async throws {
        let sessions = InMemorySessionStore()
        let bookings = InMemoryBookingStore(openingHours: Salons.openingHours)
        let first = Self.salon(sessions: sessions, bookings: bookings)
        let second = Self.salon(sessions: sessions, bookings: bookings)
        let hello = Self.envelope(.hello(.init(role: .customer)), id: "c1", sequence: 1)
        let request = Self.envelope(
            .request(.init(service: "haircut-women", windows: [World.window(may: 3, from: (10, 0), to: (12, 0))])), id: "c2",
            sequence: 2, ack: 1)
        _ = await first.handle(.envelope(hello), now: World.now)
        let offered = await first.handle(.envelope(request), now: World.now).envelopes
        #expect(offered.map(\.kind) == [.offer])
        // The same request again, now at the other instance: answered from the saved duplicate record.
        #expect(await second.handle(.envelope(request), now: World.now).envelopes == offered)
        #expect(await second.transcript(of: "s-store-1") == (await first.transcript(of: "s-store-1")))
        #expect(await second.phase(of: "s-store-1") == .offered)
    }

    @Test("While the store fails nothing is sent or changed; the retransmitted envelope is then handled normally")
    func storeFailureChangesNothing() async throws {
        let sessions = FlakyStore()
        let salon = Self.salon(sessions: sessions, bookings: InMemoryBookingStore(openingHours: Salons.openingHours))
        let hello = Self.envelope(.hello(.init(role: .customer)), id: "c1", sequence: 1)
        await sessions.fail(true)
        let refused = await salon.handle(.envelope(hello), now: World.now)
        #expect(refused.storeFailure?.kind == .unavailable)
        #expect(refused.envelopes.isEmpty && refused.timers.isEmpty)
        #expect(await salon.openSessionCount == 0)

        let binding = CompanyHTTPBinding(agent: salon, clock: ManualClock(now: World.now))
        let response = await binding.respond(
            to: ParleyHTTPRequest(
                method: "POST", target: "/parley", headers: [("content-type", ParleyHTTP.envelopeMediaType)],
                body: WireCodec().encodeLine(hello), client: "c1"))
        #expect(response.status == 503)
        #expect(response.headers["Retry-After"] == "1")
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"unavailable\""))

        await sessions.fail(false)
        #expect(await salon.handle(.envelope(hello), now: World.now).envelopes.map(\.kind) == [.hello])
        #expect(await salon.openSessionCount == 1)
    }

    @Test("A saved session round-trips through its encoding; other bytes are a typed corrupt error")
    func savedSessionEncoding() async throws {
        let sessions = InMemorySessionStore()
        let salon = Self.salon(sessions: sessions, bookings: InMemoryBookingStore(openingHours: Salons.openingHours))
        _ = await salon.handle(.envelope(Self.envelope(.hello(.init(role: .customer)), id: "c1", sequence: 1)), now: World.now)
        let saved = try #require(await sessions.load("s-store-1"))
        let decoded = try SavedSession(decoding: saved.encoded())
        #expect(decoded == saved)
        #expect(String(decoding: decoded.encoded(), as: UTF8.self) == String(decoding: saved.encoded(), as: UTF8.self))
        #expect(decoded.nextTimer == saved.nextTimer && decoded.endedAt == nil)
        for bytes in [Array("{}".utf8), Array("not json".utf8), Array(saved.encoded().dropLast(5))] {
            #expect(throws: SessionStoreError.self) { try SavedSession(decoding: bytes) }
            do {
                _ = try SavedSession(decoding: bytes)
            } catch {
                #expect(error.kind == .corrupt)
            }
        }
        var future = String(decoding: saved.encoded(), as: UTF8.self)
        future = future.replacingOccurrences(of: "\"format\":1", with: "\"format\":99")
        do {
            _ = try SavedSession(decoding: Array(future.utf8))
            Issue.record("a future format was read")
        } catch {
            #expect(error.kind == .corrupt && error.message.contains("format 99"))
        }
    }

    @Test("The booking reference is derived from the company and the session: the same on every instance")
    func bookingReferenceIsDerived() async {
        let bookings = InMemoryBookingStore(openingHours: Salons.openingHours)
        let first = Self.salon(sessions: InMemorySessionStore(), bookings: bookings)
        let second = Self.salon(sessions: InMemorySessionStore(), bookings: bookings)
        let reference = await first.bookingReference(for: "s-1")
        #expect(await second.bookingReference(for: "s-1") == reference)
        #expect(await first.bookingReference(for: "s-2") != reference)
        #expect(isBookingReference(reference, prefix: "B"))
    }
}
