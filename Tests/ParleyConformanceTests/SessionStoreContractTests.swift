import Parley
import ParleyConformance
import Testing

@Suite("Session store contract")
struct SessionStoreContractTests {
    @Test("InMemorySessionStore passes every check of the contract")
    func inMemoryStorePasses() async {
        let report = await SessionStoreContract(racers: 24) { _ in InMemorySessionStore() }.run()
        #expect(report.results.map(\.name) == SessionStoreContract.checkNames)
        #expect(report.results.count >= 9)
        #expect(report.failed == 0, "\(report.text)")
    }

    @Test("a store that saves without comparing versions fails the compare-and-set, insert and race checks")
    func lastWriterWinsFails() async {
        let report = await SessionStoreContract(racers: 8) { _ in LastWriterWins() }.run()
        let failed = Set(report.failures.map(\.name))
        #expect(failed == ["insert-once", "compare-and-set", "race-save", "race-insert"], "\(report.text)")
        #expect(
            report.failures.first { $0.name == "insert-once" }?.reason
                == "saving version 1 over version 2 was not refused with conflict (no error)")
    }

    @Test("a store that ignores the limit and the order, and purges one second too far, fails those checks only")
    func sloppyQueriesFail() async {
        let report = await SessionStoreContract { _ in SloppyQueries() }.run()
        #expect(Set(report.failures.map(\.name)) == ["timers-due", "purge"], "\(report.text)")
    }

    @Test("a store whose damaged state loads as missing fails the corrupt check")
    func swallowedCorruptionFails() async {
        let contract = SessionStoreContract(
            makeStore: { _ in BytesStore() },
            overwriteState: { store, id, bytes in
                await (store as? BytesStore)?.overwrite(id, bytes)
            })
        let report = await contract.run(only: ["corrupt", "round-trip"])
        #expect(report.results.map(\.name) == ["round-trip", "corrupt"])
        #expect(report.failures.map(\.name) == ["corrupt"], "\(report.text)")
        #expect(report.failures.first?.reason == "load() of a session with damaged state did not throw")
    }

    @Test("a factory that throws fails the check with the error")
    func throwingFactory() async {
        struct NoDatabase: Error, CustomStringConvertible { var description: String { "no database" } }
        let report = await SessionStoreContract { _ in throw NoDatabase() }.run(only: ["purge"])
        #expect(report.failures.map(\.name) == ["purge"])
        #expect(report.failures.first?.reason.contains("no database") == true)
    }
}

/// A broken store: every save overwrites, whatever the version (no compare-and-set).
private actor LastWriterWins: SessionStore {
    private var sessions: [SessionID: SavedSession] = [:]
    func load(_ id: SessionID) -> SavedSession? { sessions[id] }
    func save(_ session: SavedSession) { sessions[session.id] = session }
    func sessions(withTimersDueBy instant: Instant, limit: Int) -> [SessionID] {
        let due = sessions.values.compactMap { session in session.nextTimer.flatMap { $0 <= instant ? (session.id, $0) : nil } }
        return due.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }
    func purge(endedBefore instant: Instant) -> Int {
        let before = sessions.count
        sessions = sessions.filter { $0.value.endedAt.map { $0 >= instant } ?? true }
        return before - sessions.count
    }
}

/// A broken store: due timers come back unlimited and latest first; purge also deletes sessions that ended at the instant.
private struct SloppyQueries: SessionStore {
    let base = InMemorySessionStore()
    func load(_ id: SessionID) async throws(SessionStoreError) -> SavedSession? { await base.load(id) }
    func save(_ session: SavedSession) async throws(SessionStoreError) { try await base.save(session) }
    func sessions(withTimersDueBy instant: Instant, limit: Int) async throws(SessionStoreError) -> [SessionID] {
        Array(await base.sessions(withTimersDueBy: instant, limit: .max).reversed())
    }
    func purge(endedBefore instant: Instant) async throws(SessionStoreError) -> Int {
        await base.purge(endedBefore: instant.adding(seconds: 1))
    }
}

/// A store keeping encoded bytes, whose load treats unreadable bytes as no session (the bug).
private actor BytesStore: SessionStore {
    private var rows: [SessionID: (version: Int64, bytes: [UInt8])] = [:]
    func overwrite(_ id: SessionID, _ bytes: [UInt8]) { rows[id]?.bytes = bytes }
    func load(_ id: SessionID) -> SavedSession? { rows[id].flatMap { try? SavedSession(decoding: $0.bytes) } }
    func save(_ session: SavedSession) throws(SessionStoreError) {
        guard (rows[session.id]?.version ?? 0) == session.version - 1 else { throw SessionStoreError(.conflict, "stale") }
        rows[session.id] = (session.version, session.encoded())
    }
    func sessions(withTimersDueBy instant: Instant, limit: Int) -> [SessionID] { [] }
    func purge(endedBefore instant: Instant) -> Int { 0 }
}
