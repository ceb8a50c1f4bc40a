import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// An assistant killed by its platform and started again continues its negotiation from its
/// session store (`Spec/PROTOCOL.md` §9, "Resuming an assistant").
@Suite("Customer resume: a killed assistant continues from its session store")
struct CustomerResumeTests {
    /// Where the first assistant dies: right after it sent a message of `kind`, which reaches the
    /// company or (when `delivered` is false) was saved but never left.
    struct KillPoint: Sendable, CustomStringConvertible {
        var kind: Message.Kind
        var delivered: Bool
        var description: String { "after \(kind.rawValue)\(delivered ? "" : " (saved, not sent)")" }
    }

    static let killPoints = [
        KillPoint(kind: .request, delivered: true), KillPoint(kind: .request, delivered: false),
        KillPoint(kind: .accept, delivered: true), KillPoint(kind: .accept, delivered: false),
        KillPoint(kind: .consentGrant, delivered: true), KillPoint(kind: .consentGrant, delivered: false),
    ]

    @Test("S1 killed and resumed: the booking completes, nothing is minted twice, receipts and bookings survive", arguments: killPoints)
    func killAndResume(_ point: KillPoint) async throws {
        let stage = Stage()
        let (salon, bookingStore) = Salons.salon(on: stage.day)
        let wishes = Scenarios.haircutWishes(on: stage.day)
        let store = EncodingSessionStore()
        let received = ReceivedLog()

        // The first assistant, until it dies.
        let fenced = FencedSessionStore(store)
        let first = assistant(stage, wishes, store: fenced, seed: 1)
        let (firstEnd, salonEnd) = InProcessTransport.pair(codec: WireCodec())
        let doomed = KillSwitch(firstEnd, at: point) { await fenced.fence() }
        Task { await salon.serve(Recording(salonEnd, log: received), clock: stage.clock) }
        await first.connect(to: salon.profile.id, over: doomed)
        let booking = Task { await first.book(at: salon.profile.id) }
        try await waitUntil("the kill point \(point)") { doomed.isKilled }
        let session = try #require(await first.sessionIDs.first)

        // The second assistant: same id, wishes, policy, key and store, a fresh process.
        let second = assistant(stage, wishes, store: store, seed: 2)
        let (secondEnd, salonEnd2) = InProcessTransport.pair(codec: WireCodec())
        Task { await salon.serve(Recording(salonEnd2, log: received), clock: stage.clock) }
        await second.connect(to: salon.profile.id, over: secondEnd)
        #expect(try await second.restoreSessions() == [session])
        let resumed = Task { await second.resume(session) }
        let alsoWaiting = Task { await second.resume(session) }  // a second caller waits for the same outcome
        try await waitUntil("the resumed session ends", advancing: stage.clock) { await second.isFinished(session) }
        let outcome = await resumed.value
        #expect(await alsoWaiting.value == outcome)

        // The booking completes, once.
        let made = try #require(outcome.booking, "outcome: \(outcome)")
        #expect(await bookingStore.booking(made.reference)?.heldFor == "Lisa")
        #expect(await second.bookings == [made.reference: made])

        // The company received every customer message once, or again as an identical retransmission.
        let envelopes = await received.envelopes
        let byID = Dictionary(grouping: envelopes, by: \.id)
        for (id, copies) in byID { #expect(Set(copies).count == 1, "message \(id) arrived in different versions") }
        let distinct = byID.values.compactMap(\.first).sorted { $0.sequence < $1.sequence }
        #expect(
            distinct.map(\.kind) == [.hello, .request, .counterRequest, .answer, .accept, .consentGrant, .disclose, .close],
            "received: \(distinct.map(\.kind.rawValue))")
        let tokens = Set(envelopes.compactMap { if case .consentGrant(let grant) = $0.message { grant.tokenID } else { nil } })
        #expect(tokens.count == 1)

        // The resumed agent's records: one receipt, bound to the agreement; the company holds the same grant.
        let receipts = await second.receipts
        #expect(receipts.map(\.tokenID) == Array(tokens))
        #expect(receipts.first?.transcriptDigest == made.confirmation.agreementDigest)
        #expect(await salon.receipts.map(\.tokenID) == Array(tokens))
        #expect(await second.signedConsentReceipts.map { $0.consent?.tokenID } == Array(tokens))

        // A third start finds the session ended and the same records.
        let third = assistant(stage, wishes, store: store, seed: 3)
        #expect(try await third.restoreSessions() == [])
        #expect(await third.resume(session) == outcome)
        #expect(await third.receipts == receipts)
        #expect(await third.bookings == second.bookings)
        #expect(await third.signedConsentReceipts == second.signedConsentReceipts)
        #expect(await third.transcript(of: session) == second.transcript(of: session))

        await first.disconnect()
        let abandoned = await booking.value
        #expect(abandoned == .noAgreement(.disconnected), "\(abandoned)")
    }

    @Test("a revocation survives a restart, with its time, in the receipts of the grant it revoked")
    func revocationSurvives() async throws {
        let (stage, salon, store, lisa, outcome) = await bookedS1()
        let token = try #require(outcome.booking?.grants.first?.tokenID)
        stage.clock.advance(bySeconds: 3600)
        #expect(await lisa.revoke(token, at: salon.profile.id))

        let again = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: store, seed: 2)
        #expect(try await again.restoreSessions() == [])
        let before = await lisa.receipts
        #expect(before.first?.revokedAt == World.now.adding(seconds: 3600))
        #expect(await again.receipts == before)
        #expect(await again.sessionIDs == lisa.sessionIDs)
        await #expect(throws: ParleyError.self) {
            try await again.verify(token: outcome.booking?.grants.first?.token ?? "", use: use(of: token))
        }
    }

    @Test("a revocation made while not connected is saved: a restart keeps it, and once connected the company is told")
    func offlineRevocationIsKept() async throws {
        let (stage, salon, store, _, outcome) = await bookedS1()
        let token = try #require(outcome.booking?.grants.first?.tokenID)
        let serialized = try #require(outcome.booking?.grants.first?.token)

        // The app starts again without a connection, and the person revokes the consent.
        stage.clock.advance(bySeconds: 3600)
        let fenced = FencedSessionStore(store)
        let offline = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: fenced, seed: 2)
        #expect(try await offline.restoreSessions() == [])
        #expect(await offline.revoke(token, at: salon.profile.id) == false, "not connected: the company was not told yet")
        #expect(await !salon.ledger.isRevoked(token))
        await fenced.fence()  // the app is killed: this instance writes nothing more

        // Killed before it ever connected: the next instance still knows the revocation.
        let again = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: store, seed: 3)
        let waiting = try await again.restoreSessions()
        #expect(waiting.count == 1, "the session that tells the company waits, saved")
        #expect(await again.receipts.first { $0.tokenID == token }?.revokedAt == World.now.adding(seconds: 3600))
        await #expect(throws: ParleyError.self) { try await again.verify(token: serialized, use: use(of: token)) }

        // Connected again, it tells the company.
        let (next, salonNext) = InProcessTransport.pair(codec: WireCodec())
        Task { await salon.serve(salonNext, clock: stage.clock) }
        await again.connect(to: salon.profile.id, over: next)
        let session = try #require(waiting.first)
        let resumed = Task { await again.resume(session) }
        try await waitUntil("the company learns of the revocation", advancing: stage.clock) { await salon.ledger.isRevoked(token) }
        guard case .revocationDelivered = await resumed.value else {
            Issue.record("the waiting revocation was not delivered: \(await resumed.value)")
            return
        }
    }

    @Test("events are reported after the save: a message whose session could not be saved is neither sent nor reported as sent")
    func eventsFollowTheSave() async throws {
        let stage = Stage()
        let (salon, _) = Salons.salon(on: stage.day)
        let fenced = FencedSessionStore(InMemorySessionStore())
        let lisa = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: fenced, seed: 1)
        let reported = EventLog()
        let listener = Task { for await event in lisa.events { await reported.append(event) } }
        let received = ReceivedLog()
        let (end, salonEnd) = InProcessTransport.pair(codec: WireCodec())
        Task { await salon.serve(Recording(salonEnd, log: received), clock: stage.clock) }
        // The store fails from the moment the hello is out: the salon's hello arrives, the request
        // it calls for cannot be saved.
        await lisa.connect(to: salon.profile.id, over: AfterSending(end, kind: .hello) { await fenced.fence() })
        let booking = Task { await lisa.book(at: salon.profile.id) }
        try await waitUntil("the salon's hello is reported") {
            await reported.events.contains { if case .messageReceived(let envelope) = $0 { envelope.kind == .hello } else { false } }
        }
        let sent = await reported.events.compactMap { if case .messageSent(let envelope) = $0 { envelope.kind } else { nil } }
        #expect(sent == [.hello], "reported as sent: \(sent)")
        #expect(await received.envelopes.map(\.kind) == [.hello], "the request left without being saved")
        await lisa.disconnect()
        _ = await booking.value
        listener.cancel()
    }

    @Test("a saved customer session reads back from its bytes; a company session's bytes name only the company")
    func savedSessionBytes() async throws {
        let stage = Stage()
        let (salon, _) = Salons.salon(on: stage.day)
        let customerStore = InMemorySessionStore()
        let companyStore = InMemorySessionStore()
        let company = CompanyAgent(
            profile: salon.profile, catalogue: salon.catalogue, store: salon.store, policy: salon.policy, sessionStore: companyStore)
        let lisa = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: customerStore, seed: 1)
        let (end, companyEnd) = InProcessTransport.pair(codec: WireCodec())
        Task { await company.serve(companyEnd, clock: stage.clock) }
        await lisa.connect(to: salon.profile.id, over: end)
        _ = await lisa.book(at: salon.profile.id)
        let session = try #require(await lisa.sessionIDs.first)

        let saved = try #require(await customerStore.load(session))
        #expect(saved.role == .customer && saved.agent == World.lisa && saved.endedAt != nil)
        let read = try SavedSession(decoding: saved.encoded())
        #expect(read == saved && read.role == .customer && read.customer?.outcome == saved.customer?.outcome)
        #expect(read.customer?.transcript == saved.customer?.transcript)
        #expect(try await customerStore.sessions(of: World.lisa) == [session])

        let companySaved = try #require(await companyStore.load(session))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(companySaved.encoded())) as? [String: Any])
        #expect(Set(json.keys) == ["format", "id", "version", "company"] && json["format"] as? Int == 1)
        #expect(try SavedSession(decoding: companySaved.encoded()).role == .company)
        #expect(try await companyStore.sessions(of: salon.profile.id) == [session])

        // A company agent never takes a customer session for its own.
        let confused = CompanyAgent(
            profile: salon.profile, catalogue: salon.catalogue, store: salon.store, policy: salon.policy, sessionStore: customerStore)
        let hello = try #require(saved.customer?.transcript.first)
        let output = await confused.handle(.envelope(hello), now: stage.clock.now)
        #expect(output.storeFailure?.kind == .corrupt && output.envelopes.isEmpty)
    }

    @Test("resume answers precisely when it cannot continue: unknown session, not connected")
    func resumeFailures() async throws {
        let stage = Stage()
        let store = InMemorySessionStore()
        let lisa = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: store, seed: 1)
        guard case .failed(let unknown) = await lisa.resume("s-unknown") else {
            Issue.record("an unknown session resumed")
            return
        }
        #expect(unknown.code == .unknownReference)

        let (salon, _) = Salons.salon(on: stage.day)
        let (end, _) = InProcessTransport.pair(codec: WireCodec())
        await lisa.connect(to: salon.profile.id, over: end)  // nobody answers: the hello stays unacknowledged
        let pending = Task { await lisa.book(at: salon.profile.id) }
        try await waitUntil("the hello is saved") { await store.count == 1 }
        let session = try #require(await lisa.sessionIDs.first)
        let again = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: store, seed: 2)
        guard case .failed(let unconnected) = await again.resume(session) else {
            Issue.record("resumed without a connection")
            return
        }
        #expect(unconnected.code == .misaddressed)
        #expect(await again.sessionIDs == [session])
        await lisa.disconnect()
        _ = await pending.value
    }

    @Test("an instance whose save loses to another instance of the assistant sends nothing more and gives the session up")
    func losingInstanceStops() async throws {
        let stage = Stage()
        let store = InMemorySessionStore()
        let lisa = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: store, seed: 1)
        let (end, companyEnd) = InProcessTransport.pair(codec: WireCodec())
        let received = ReceivedLog()
        let reader = Task {
            for await event in companyEnd.inbound { if case .envelope(let envelope) = event { await received.append(envelope) } }
        }
        await lisa.connect(to: "salon.example/bot", over: end)
        let done = DoneFlag()
        let pending = Task {
            let outcome = await lisa.book(at: "salon.example/bot")
            await done.raise()
            return outcome
        }
        try await waitUntil("the hello arrives") { await received.envelopes.count == 1 }
        let session = try #require(await lisa.sessionIDs.first)

        // Another instance continues the session: it saves the next version first.
        var taken = try #require(await store.load(session))
        taken.version += 1
        try await store.save(taken)

        try await waitUntil("the first instance gives up", advancing: stage.clock) { await done.isRaised }
        guard case .failed(let error) = await pending.value else {
            Issue.record("the losing instance went on")
            return
        }
        #expect(error.code == .internalError && error.message.contains("another instance"))
        stage.clock.advance(bySeconds: 120)
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(await received.envelopes.count == 1, "the losing instance retransmitted")
        reader.cancel()
    }

    // MARK: - Helpers

    /// S1 booked by an assistant that saves its sessions in an in-memory store.
    private func bookedS1() async -> (Stage, CompanyAgent, InMemorySessionStore, CustomerAgent, NegotiationOutcome) {
        let stage = Stage()
        let (salon, _) = Salons.salon(on: stage.day)
        let store = InMemorySessionStore()
        let lisa = assistant(stage, Scenarios.haircutWishes(on: stage.day), store: store, seed: 1)
        let (end, salonEnd) = InProcessTransport.pair(codec: WireCodec())
        Task { await salon.serve(salonEnd, clock: stage.clock) }
        await lisa.connect(to: salon.profile.id, over: end)
        return (stage, salon, store, lisa, await lisa.book(at: salon.profile.id))
    }

    private func assistant(_ stage: Stage, _ wishes: Wishes, store: any SessionStore, seed: UInt64) -> CustomerAgent {
        CustomerAgent(
            id: World.lisa, wishes: wishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData, consentKey: World.lisasKey,
            clock: stage.clock, seed: seed, signingKey: World.lisasSigningKey, trustedCompanyKeys: World.trustedCompanyKeys,
            sessionStore: store)
    }

    private func use(of token: TokenID) -> ConsentUse {
        ConsentUse(audience: "salon.example/bot", purpose: .booking, fields: [.givenName], at: World.now.adding(seconds: 7200))
    }
}

/// Waits (in real time, at most a few seconds) until `condition` holds; advances `clock` by a
/// second between looks when one is given, so that timers come due.
private func waitUntil(
    _ what: String, advancing clock: ManualClock? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: @Sendable () async -> Bool
) async throws {
    for _ in 0..<400 {
        if await condition() { return }
        try await Task.sleep(nanoseconds: 10_000_000)
        clock?.advance(bySeconds: 1)
    }
    Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
    throw CancellationError()
}

/// Every event an agent reported, in order.
private actor EventLog {
    private(set) var events: [AgentEvent] = []
    func append(_ event: AgentEvent) { events.append(event) }
}

/// A transport end that runs `then` right after it sent the first envelope of `kind`.
private struct AfterSending: Transport {
    let base: any Transport
    let kind: Message.Kind
    let then: @Sendable () async -> Void
    var inbound: AsyncStream<TransportEvent> { base.inbound }

    init(_ base: any Transport, kind: Message.Kind, then: @escaping @Sendable () async -> Void) {
        self.base = base
        self.kind = kind
        self.then = then
    }

    func send(_ envelope: Envelope) async throws(ParleyError) {
        try await base.send(envelope)
        if envelope.kind == kind { await then() }
    }

    func close() async { await base.close() }
}

/// Raised once something happened.
private actor DoneFlag {
    private(set) var isRaised = false
    func raise() { isRaised = true }
}

/// Every envelope a company end received, in arrival order.
private actor ReceivedLog {
    private(set) var envelopes: [Envelope] = []
    func append(_ envelope: Envelope) { envelopes.append(envelope) }
}

/// A transport end that logs what arrives.
private struct Recording: Transport {
    let base: any Transport
    let log: ReceivedLog
    let inbound: AsyncStream<TransportEvent>

    init(_ base: any Transport, log: ReceivedLog) {
        self.base = base
        self.log = log
        let source = base.inbound
        inbound = AsyncStream { continuation in
            let task = Task {
                for await event in source {
                    if case .envelope(let envelope) = event { await log.append(envelope) }
                    continuation.yield(event)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func send(_ envelope: Envelope) async throws(ParleyError) { try await base.send(envelope) }
    func close() async { await base.close() }
}

/// The assistant's end of a connection that dies with the assistant: once a message of the
/// kill point's kind is sent, nothing more goes out or comes in, and `killed` runs (fencing the
/// assistant's store, as if its process had ended).
private final class KillSwitch: Transport, @unchecked Sendable {
    private let base: any Transport
    private let point: CustomerResumeTests.KillPoint
    private let killed: @Sendable () async -> Void
    private let life = Life()
    let inbound: AsyncStream<TransportEvent>

    /// Whether the assistant is gone; shared with the task that forwards inbound events.
    private final class Life: @unchecked Sendable {
        private let lock = NSLock()
        private var dead = false
        var isDead: Bool { lock.withLock { dead } }
        func die() { lock.withLock { dead = true } }
    }

    init(_ base: any Transport, at point: CustomerResumeTests.KillPoint, killed: @escaping @Sendable () async -> Void) {
        self.base = base
        self.point = point
        self.killed = killed
        let source = base.inbound
        let (stream, continuation) = AsyncStream<TransportEvent>.makeStream()
        inbound = stream
        Task { [life] in
            // Events after the death are never handled: the process that would read them is gone.
            for await event in source where !life.isDead { continuation.yield(event) }
        }
    }

    var isKilled: Bool { life.isDead }

    func send(_ envelope: Envelope) async throws(ParleyError) {
        if isKilled { throw ParleyError(.sessionClosed, "the assistant is gone") }
        if envelope.kind == point.kind {
            await killed()
            life.die()
            if point.delivered { try await base.send(envelope) }
            throw ParleyError(.sessionClosed, "the assistant is gone")
        }
        try await base.send(envelope)
    }

    func close() async { await base.close() }
}

/// A store that refuses everything once fenced: the store of an assistant whose process ended.
private actor FencedSessionStore: SessionStore {
    private let base: any SessionStore
    private var fenced = false

    init(_ base: any SessionStore) { self.base = base }

    func fence() { fenced = true }

    private func check() throws(SessionStoreError) {
        if fenced { throw SessionStoreError(.unavailable, "the process is gone") }
    }

    func load(_ id: SessionID) async throws(SessionStoreError) -> SavedSession? {
        try check()
        return try await base.load(id)
    }

    func save(_ session: SavedSession) async throws(SessionStoreError) {
        try check()
        try await base.save(session)
    }

    func sessions(withTimersDueBy instant: Instant, limit: Int) async throws(SessionStoreError) -> [SessionID] {
        try check()
        return try await base.sessions(withTimersDueBy: instant, limit: limit)
    }

    func purge(endedBefore instant: Instant) async throws(SessionStoreError) -> Int {
        try check()
        return try await base.purge(endedBefore: instant)
    }

    func sessions(of agent: AgentID) async throws(SessionStoreError) -> [SessionID] {
        try check()
        return try await base.sessions(of: agent)
    }
}

/// A store that keeps sessions only as ``SavedSession/encoded()`` bytes, as a database would:
/// every load decodes, so a resumed session is exactly what the bytes hold.
private actor EncodingSessionStore: SessionStore {
    private var rows: [SessionID: (version: Int64, agent: AgentID, bytes: [UInt8])] = [:]

    func load(_ id: SessionID) throws(SessionStoreError) -> SavedSession? {
        guard let row = rows[id] else { return nil }
        return try SavedSession(decoding: row.bytes)
    }

    func save(_ session: SavedSession) throws(SessionStoreError) {
        let stored = rows[session.id]?.version ?? 0
        guard stored == session.version - 1 else { throw SessionStoreError(.conflict, "stored \(stored), saving \(session.version)") }
        rows[session.id] = (session.version, session.agent, session.encoded())
    }

    func sessions(withTimersDueBy instant: Instant, limit: Int) -> [SessionID] { [] }

    func purge(endedBefore instant: Instant) -> Int { 0 }

    func sessions(of agent: AgentID) -> [SessionID] { rows.filter { $0.value.agent == agent }.map(\.key).sorted() }
}
