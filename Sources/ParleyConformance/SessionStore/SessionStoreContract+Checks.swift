import Parley

private typealias Driver = SessionDriver

/// The contract's first instant; each check's events happen at fixed offsets from it.
private let t0 = SessionDriver.start

private func at(_ seconds: Int64) -> Instant { t0.adding(seconds: seconds) }

extension SessionStoreContract {
    /// Every check, in run order.
    static let checks: [SessionContractCheck] = [
        roundTrip, continuesOnAnotherAgent, insertOnce, compareAndSet, raceSave, raceInsert, timersDue, purge, corrupt,
    ]

    static let roundTrip = SessionContractCheck(
        name: "round-trip", title: "every value the agent saves loads back as saved, also through encoded() and init(decoding:)"
    ) { c in
        let driver = c.driver
        let agent = driver.agent()
        var session = Driver.customer("round-trip")
        let id = session.session
        try c.expect(try await c.load(id) == nil, "load(\(id)) of a session never saved is not nil")
        var versions: [Int64] = []
        let check = { @Sendable (step: String) async throws -> Int64 in
            let saved = try await c.lastSaved(id)
            try await c.expectStored(saved, "after \(step)")
            let bytes = saved.encoded()
            let decoded: SavedSession
            do {
                decoded = try SavedSession(decoding: bytes)
            } catch {
                throw ContractFailure(reason: "after \(step): init(decoding: encoded()) threw \(error)")
            }
            try c.expect(
                decoded.id == saved.id && decoded.version == saved.version && decoded.endedAt == saved.endedAt
                    && decoded.nextTimer == saved.nextTimer && decoded.encoded() == bytes,
                "after \(step): init(decoding: encoded()) is not the session encoded")
            return saved.version
        }
        try await driver.greet(&session, on: agent, at: at(0))
        versions.append(try await check("hello"))
        try await driver.request(&session, on: agent, at: at(60))
        versions.append(try await check("request"))
        let (_, request) = try await driver.accept(&session, on: agent, at: at(120))
        versions.append(try await check("accept"))
        let grant = try await driver.grant(request, &session, on: agent, at: at(180))
        versions.append(try await check("consent-grant"))
        _ = try await driver.disclose(grant, &session, on: agent, at: at(240))
        versions.append(try await check("disclose"))
        try c.expect(versions == [1, 2, 3, 4, 5], "the agent's saves have versions \(versions), not 1 to 5")
        let fresh = driver.agent()
        let phase = await fresh.phase(of: id)
        try c.expect(phase == .booked, "another agent reads phase \(String(describing: phase)), not booked")
        try c.expect(
            await fresh.transcript(of: id) == (await agent.transcript(of: id)), "another agent reads a different transcript from the store")
    }

    static let continuesOnAnotherAgent = SessionContractCheck(
        name: "restart", title: "a new agent on the store completes a session another began, answering its duplicates identically"
    ) { c in
        let driver = c.driver
        let first = driver.agent()
        var session = Driver.customer("restart")
        try await driver.greet(&session, on: first, at: at(0))
        try await driver.request(&session, on: first, at: at(60))
        let (accepted, request) = try await driver.accept(&session, on: first, at: at(120))
        let second = driver.agent()  // the first instance is gone; a new one takes over
        let grant = try await driver.grant(request, &session, on: second, at: at(180))
        let confirm = try await driver.disclose(grant, &session, on: second, at: at(240))
        var scratch = session
        let again = try await driver.deliver(accepted.sent, &scratch, to: second, at: at(300))
        let codec = WireCodec()
        try c.expect(
            again.replies.map(codec.encodeLine) == accepted.replies.map(codec.encodeLine),
            "a duplicate of the accept got \(again.replies.map(\.kind.rawValue)) from the new agent, not the first agent's replies byte for byte"
        )
        let bookings = await driver.bookings.activeBookings()
        try c.expect(
            bookings.map(\.id) == [confirm.booking], "the calendar holds \(bookings.map(\.id.rawValue)), not the one booking confirmed")
    }

    static let insertOnce = SessionContractCheck(
        name: "insert-once", title: "version 1 is stored only when the session is absent"
    ) { c in
        let driver = c.driver
        let agent = driver.agent()
        let session = try await driver.requested("insert-once", on: agent)
        let saves = await driver.store.saved(session.session)
        guard let first = saves.first, let current = saves.last, first.version == 1, current.version == 2 else {
            throw ContractFailure(reason: "the agent's saves have versions \(saves.map(\.version)), not [1, 2]")
        }
        try await expectConflict(c, saving: first, keeping: current, "version 1 over version 2")
    }

    static let compareAndSet = SessionContractCheck(
        name: "compare-and-set", title: "a save over any but the version before it is refused with conflict and changes nothing"
    ) { c in
        let driver = c.driver
        let agent = driver.agent()
        var session = try await driver.requested("cas", on: agent)
        let id = session.session
        let (_, request) = try await driver.accept(&session, on: agent, at: at(120))
        let saves = await driver.store.saved(id)
        guard saves.map(\.version) == [1, 2, 3] else {
            throw ContractFailure(reason: "the agent's saves have versions \(saves.map(\.version)), not [1, 2, 3]")
        }
        let current = saves[2]
        let wrong: [(SavedSession, String)] = [
            (current, "the stored version 3 again"), (saves[1], "the stale version 2"), (current.at(version: 5), "version 5 over 3"),
            (current.at(version: 0), "version 0"),
        ]
        for (value, what) in wrong { try await expectConflict(c, saving: value, keeping: current, what) }
        let next = current.advanced()
        let refusal = await c.trySave(next)
        try c.expect(refusal == nil, "saving version 4 over version 3 was refused: \(describe(refusal))")
        try await c.expectStored(next, "after saving version 4")
        // The agent reloads: its next save goes over the version another writer stored.
        _ = try await driver.grant(request, &session, on: agent, at: at(180))
        let last = try await c.lastSaved(id)
        try c.expect(last.version == 5, "the agent saved version \(last.version) after another writer stored version 4, not 5")
        try await c.expectStored(last, "after the agent's save over another writer's")
    }

    static let raceSave = SessionContractCheck(
        name: "race-save", title: "of N concurrent saves of the same next version exactly one wins; the others get conflict"
    ) { c in
        let driver = c.driver
        let agent = driver.agent()
        let session = try await driver.requested("race-save", on: agent)
        let next = try await c.lastSaved(session.session).advanced()
        try await expectOneWinner(c, saving: next, "saves of version \(next.version)")
    }

    static let raceInsert = SessionContractCheck(
        name: "race-insert", title: "of N concurrent inserts of version 1 of one new session exactly one wins; the others get conflict"
    ) { c in
        // The value comes from an agent on a scratch in-memory store: the store under test has never seen it.
        let donor = InMemorySessionStore()
        let agent = SessionDriver(store: donor).agent()
        var session = Driver.customer("race-insert")
        try await SessionDriver(store: donor).greet(&session, on: agent, at: at(0))
        guard let first = await donor.load(session.session), first.version == 1 else {
            throw ContractFailure(reason: "the scratch agent did not save version 1")
        }
        try await expectOneWinner(c, saving: first, "inserts of version 1")
    }

    static let timersDue = SessionContractCheck(
        name: "timers-due", title: "sessions with timers due are found earliest first, within the limit, and leave once fired"
    ) { c in
        let driver = c.driver
        let agent = driver.agent()
        var ids: [SessionID] = []
        for index in 0..<4 {
            var session = Driver.customer("timer-\(index)", now: at(Int64(index) * 10))
            try await driver.greet(&session, on: agent, at: at(Int64(index) * 10))
            ids.append(session.session)
        }
        var closed = Driver.customer("timer-closed", now: at(5))
        try await driver.greet(&closed, on: agent, at: at(5))
        try await driver.close(&closed, on: agent, at: at(6))
        var all: [(SessionID, Instant)] = []
        for id in ids + [closed.session] {
            if let timer = try await c.lastSaved(id).nextTimer { all.append((id, timer)) }
        }
        let timers = ids.map { id in all.first { $0.0 == id }?.1 }
        guard let due = timers as? [Instant], due == due.sorted(), Set(due).count == due.count else {
            throw ContractFailure(reason: "the open sessions' timers are \(timers), not four distinct instants in opening order")
        }
        func expected(_ instant: Instant, _ limit: Int) -> [SessionID] {
            all.filter { $0.1 <= instant }.sorted { ($0.1, $0.0.rawValue) < ($1.1, $1.0.rawValue) }.prefix(limit).map(\.0)
        }
        let queries: [(Instant, Int)] = [
            (due[2], 10), (due[2], 2), (due[3], 1), (due[0].adding(seconds: -1), 10), (due[3], 0), (due[3].adding(seconds: 86_400), 10),
        ]
        for (instant, limit) in queries {
            let found: [SessionID]
            do {
                found = try await c.store.sessions(withTimersDueBy: instant, limit: limit)
            } catch {
                throw ContractFailure(reason: "sessions(withTimersDueBy:limit:) threw \(error)")
            }
            let want = expected(instant, limit)
            try c.expect(
                found == want,
                "sessions(withTimersDueBy: \(instant.rfc3339), limit: \(limit)) is \(found.map(\.rawValue)), not \(want.map(\.rawValue))")
        }
        // Firing the first two sessions' timers saves them with their timers moved on or gone.
        let output = await agent.fireDueTimers(now: due[1])
        try c.expect(output.storeFailure == nil, "firing due timers failed: \(describe(output.storeFailure))")
        let after = try await c.store.sessions(withTimersDueBy: due[1], limit: 10)
        try c.expect(
            !after.contains(ids[0]) && !after.contains(ids[1]),
            "after their timers fired, \(after.map(\.rawValue)) are still due by \(due[1].rfc3339)")
        for id in ids.prefix(2) { try await c.expectStored(try await c.lastSaved(id), "after \(id)'s timer fired") }
    }

    static let purge = SessionContractCheck(
        name: "purge", title: "purge(endedBefore:) deletes exactly the sessions that ended before the instant, and counts them"
    ) { c in
        let driver = c.driver
        let agent = driver.agent()
        var early = Driver.customer("purge-early")
        var late = Driver.customer("purge-late")
        var open = Driver.customer("purge-open")
        try await driver.greet(&early, on: agent, at: at(0))
        try await driver.greet(&late, on: agent, at: at(0))
        try await driver.greet(&open, on: agent, at: at(0))
        try await driver.close(&early, on: agent, at: at(100))
        try await driver.close(&late, on: agent, at: at(200))
        let endedEarly = try await c.lastSaved(early.session).endedAt
        let endedLate = try await c.lastSaved(late.session).endedAt
        try c.expect(
            endedEarly == at(100) && endedLate == at(200),
            "closed sessions saved with endedAt \(String(describing: endedEarly)), \(String(describing: endedLate))")
        let steps: [(Instant, Int, [SessionID], [SessionID])] = [
            (at(200), 1, [early.session], [late.session, open.session]),
            (at(200), 0, [early.session], [late.session, open.session]),
            (at(201), 1, [early.session, late.session], [open.session]),
            (at(10 * 86_400), 0, [early.session, late.session], [open.session]),
        ]
        for (instant, count, gone, kept) in steps {
            let purged: Int
            do {
                purged = try await c.store.purge(endedBefore: instant)
            } catch {
                throw ContractFailure(reason: "purge(endedBefore:) threw \(error)")
            }
            try c.expect(purged == count, "purge(endedBefore: \(instant.rfc3339)) returned \(purged), not \(count)")
            for id in gone {
                try c.expect(try await c.load(id) == nil, "\(id) is still stored after purge(endedBefore: \(instant.rfc3339))")
            }
            for id in kept { try c.expect(try await c.load(id) != nil, "purge(endedBefore: \(instant.rfc3339)) deleted \(id)") }
        }
    }

    static let corrupt = SessionContractCheck(
        name: "corrupt", title: "unreadable state is reported as corrupt, and the agent refuses the event instead of crashing"
    ) { c in
        let driver = c.driver
        let agent = driver.agent()
        var session = Driver.customer("corrupt")
        var healthy = Driver.customer("corrupt-neighbour")
        try await driver.greet(&session, on: agent, at: at(0))
        try await driver.greet(&healthy, on: agent, at: at(0))
        let real = try await c.lastSaved(session.session).encoded()
        let text = String(decoding: real, as: UTF8.self)
        let damaged: [(String, [UInt8])] = [
            ("no bytes", []), ("bytes that are not JSON", Array("not a session".utf8)),
            ("JSON that is not a session", Array("{\"format\":1}".utf8)),
            ("a format this version does not read", Array(text.replacingOccurrences(of: "\"format\":1,", with: "\"format\":99,").utf8)),
            ("a truncated session", Array(real.prefix(real.count / 2))),
        ]
        for (what, bytes) in damaged {
            do {
                _ = try SavedSession(decoding: bytes)
                throw ContractFailure(reason: "init(decoding:) read \(what)")
            } catch let error as SessionStoreError {
                try c.expect(error.kind == .corrupt, "init(decoding:) of \(what) threw \(error), not corrupt")
            }
        }
        guard let overwrite = c.overwriteState else { return }
        do {
            try await overwrite(c.store, session.session, Array("not a session".utf8))
        } catch {
            throw ContractFailure(reason: "overwriting the stored state failed: \(error)")
        }
        var refusal: SessionStoreError?
        do {
            _ = try await c.store.load(session.session)
        } catch {
            refusal = storeError(error)
        }
        try c.expect(refusal != nil, "load() of a session with damaged state did not throw")
        try c.expect(refusal?.kind == .corrupt, "load() of a session with damaged state threw \(describe(refusal)), not corrupt")
        try c.expect(try await c.load(healthy.session) != nil, "a damaged session made its neighbour unreadable")
        let output = await agent.handle(
            .envelope(session.envelope(.request(.init(service: "haircut-women", windows: [Driver.window])))), now: at(60))
        try c.expect(
            output.storeFailure?.kind == .corrupt && output.envelopes.isEmpty,
            "the agent handled an event of a damaged session: \(output.envelopes.map(\.kind.rawValue)), failure \(describe(output.storeFailure))"
        )
    }
}

/// Saves `value` and expects the save to be refused with `conflict` and `current` to stay stored;
/// `what` names the value.
private func expectConflict(_ c: SessionContractContext, saving value: SavedSession, keeping current: SavedSession, _ what: String)
    async throws
{
    let refusal = await c.trySave(value)
    try c.expect(refusal?.kind == .conflict, "saving \(what) was not refused with conflict (\(describe(refusal)))")
    try await c.expectStored(current, "after a refused save of \(what)")
}

/// Saves `value` from `c.racers` tasks at once and expects exactly one save to win, every other
/// to be refused with `conflict`, and `value` to be stored afterwards; `what` names the saves.
private func expectOneWinner(_ c: SessionContractContext, saving value: SavedSession, _ what: String) async throws {
    let refusals = await race(c.racers) { _ in await c.trySave(value) }
    let winners = refusals.filter { $0 == nil }.count
    try c.expect(winners == 1, "\(winners) of \(c.racers) concurrent \(what) won")
    let odd = refusals.compactMap { $0 }.filter { $0.kind != .conflict }
    try c.expect(odd.isEmpty, "a losing save was refused with \(odd.first.map { "\($0)" } ?? ""), not conflict")
    try await c.expectStored(value, "after the race")
}

/// Runs `racers` tasks at once, each calling `attempt` with its index; returns their results.
private func race<Result: Sendable>(_ racers: Int, _ attempt: @escaping @Sendable (Int) async -> Result) async -> [Result] {
    await withTaskGroup(of: Result.self) { group in
        for index in 0..<racers { group.addTask { await attempt(index) } }
        var results: [Result] = []
        for await result in group { results.append(result) }
        return results
    }
}

/// `error` as the store's error (a store's methods throw nothing else).
func storeError(_ error: any Error) -> SessionStoreError {
    error as? SessionStoreError ?? SessionStoreError(.unavailable, "\(error)")
}

private func describe(_ error: SessionStoreError?) -> String { error.map { "\($0)" } ?? "no error" }
