import Parley
import ParleyConformance
import Testing

@Suite("Booking store contract")
struct BookingStoreContractTests {
    @Test("InMemoryBookingStore passes every check of the contract")
    func inMemoryStorePasses() async {
        let contract = BookingStoreContract(racers: 24) { fixture in
            InMemoryBookingStore(hours: fixture.hours, resources: fixture.resources, bookings: fixture.bookings)
        }
        let report = await contract.run()
        #expect(report.results.map(\.name) == BookingStoreContract.checkNames)
        #expect(report.results.count >= 15)
        #expect(report.failed == 0, "\(report.text)")
    }

    @Test("a store that forgets holds fails the hold and race checks, each with its reason")
    func brokenStoreFails() async {
        let contract = BookingStoreContract(racers: 8) { fixture in
            ForgetfulStore(base: InMemoryBookingStore(hours: fixture.hours, resources: fixture.resources, bookings: fixture.bookings))
        }
        let report = await contract.run()
        let failed = Set(report.failures.map(\.name))
        #expect(failed.isSuperset(of: ["hold-atomic", "race-hold", "hold-expiry", "race-resources"]), "\(report.text)")
        #expect(failed.isDisjoint(with: ["weekly-hours", "existing-bookings", "cancel"]), "\(report.text)")
        #expect(report.failures.first { $0.name == "hold-atomic" }?.reason == "10:30 reported free while 10:00–10:45 is held")
        #expect(report.text.hasSuffix("\(report.passed) passed, \(report.failed) failed"))
    }

    @Test("a store whose commit is not idempotent fails commit-idempotent")
    func nonIdempotentStoreFails() async {
        let contract = BookingStoreContract { fixture in
            OneShotCommitStore(base: InMemoryBookingStore(hours: fixture.hours, resources: fixture.resources, bookings: fixture.bookings))
        }
        let report = await contract.run(only: ["commit-idempotent", "commit"])
        #expect(report.results.map(\.name) == ["commit", "commit-idempotent"])
        #expect(report.failures.map(\.name) == ["commit-idempotent"], "\(report.text)")
    }

    @Test("a factory that throws fails the check with the error")
    func throwingFactory() async {
        struct NoDatabase: Error, CustomStringConvertible { var description: String { "no database" } }
        let report = await BookingStoreContract { _ in throw NoDatabase() }.run(only: ["release"])
        #expect(report.failures.map(\.name) == ["release"])
        #expect(report.failures.first?.reason.contains("no database") == true)
    }
}

/// A broken store: holds always succeed and are never remembered (check-then-act without the act).
private struct ForgetfulStore: BookingStore {
    let base: InMemoryBookingStore
    func isFree(_ slot: Slot, ignoring session: SessionID?, now: Instant) async -> Bool {
        await base.isFree(slot, ignoring: session, now: now)
    }
    func isFree(_ slot: Slot, service: String, ignoring session: SessionID?, now: Instant) async -> Bool {
        await base.isFree(slot, service: service, ignoring: session, now: now)
    }
    func hold(_ slot: Slot, for session: SessionID, until: Instant, now: Instant) async -> Bool {
        await base.isFree(slot, ignoring: session, now: now)
    }
    func hold(_ slot: Slot, service: String, for session: SessionID, until: Instant, now: Instant) async -> Bool {
        await base.isFree(slot, service: service, ignoring: session, now: now)
    }
    func commit(_ booking: BookingRecord, now: Instant) async -> Bool { await base.commit(booking, now: now) }
    func release(session: SessionID) async { await base.release(session: session) }
    func booking(_ reference: BookingReference) async -> BookingRecord? { await base.booking(reference) }
    func update(_ booking: BookingRecord, now: Instant) async -> Bool { await base.update(booking, now: now) }
    func activeBookings() async -> [BookingRecord] { await base.activeBookings() }
}

/// A broken store: a booking reference can be committed once only, so a retried commit fails.
private struct OneShotCommitStore: BookingStore {
    let base: InMemoryBookingStore
    func isFree(_ slot: Slot, ignoring session: SessionID?, now: Instant) async -> Bool {
        await base.isFree(slot, ignoring: session, now: now)
    }
    func isFree(_ slot: Slot, service: String, ignoring session: SessionID?, now: Instant) async -> Bool {
        await base.isFree(slot, service: service, ignoring: session, now: now)
    }
    func hold(_ slot: Slot, for session: SessionID, until: Instant, now: Instant) async -> Bool {
        await base.hold(slot, for: session, until: until, now: now)
    }
    func hold(_ slot: Slot, service: String, for session: SessionID, until: Instant, now: Instant) async -> Bool {
        await base.hold(slot, service: service, for: session, until: until, now: now)
    }
    func commit(_ booking: BookingRecord, now: Instant) async -> Bool {
        guard await base.booking(booking.id) == nil else { return false }
        return await base.commit(booking, now: now)
    }
    func release(session: SessionID) async { await base.release(session: session) }
    func booking(_ reference: BookingReference) async -> BookingRecord? { await base.booking(reference) }
    func update(_ booking: BookingRecord, now: Instant) async -> Bool { await base.update(booking, now: now) }
    func activeBookings() async -> [BookingRecord] { await base.activeBookings() }
}
