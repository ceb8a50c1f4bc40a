import ParleyScenarios
import Testing

@testable import Parley

/// The barber of the fleet check: exactly 40 appointments, and nothing once they are taken.
@Suite("Fleet scenario: one chair, 40 slots on one day")
struct FleetScenarioTests {
    static let day = ScenarioDay(year: 2026, month: 5, day: 3)
    static let now = Instant(rfc3339: "2026-05-02T09:00:00Z")!

    @Test("The whole day offers exactly 40 starts; 40 customers each hold one and a 41st finds nothing, not even a counter-offer")
    func exactlyFortySlots() async throws {
        let (company, store) = Fleet.live(on: Self.day)
        let planner = OfferPlanner(store: store, policy: company.policy)
        let window = Fleet.wholeDay(Self.day)
        let starts = await planner.freeStarts(for: Fleet.trim, in: [window], session: "s-look", now: Self.now)
        #expect(starts.count == Fleet.slotCount)
        #expect(starts.first == Self.day.at(8) && starts.last == Self.day.at(17, 45))
        // A start at closing time, or one before opening, is not bookable.
        #expect(await !store.isFree(Slot(start: Self.day.at(18), end: Self.day.at(18, 15)), service: "trim", ignoring: nil, now: Self.now))
        #expect(await !store.isFree(Slot(start: Self.day.at(7, 45), end: Self.day.at(8)), service: "trim", ignoring: nil, now: Self.now))
        // Customers take the first offered start in turn: every hold succeeds until the day is full.
        var held = 0
        for index in 0..<(Fleet.slotCount + 1) {
            let session = try #require(SessionID(rawValue: "s-\(index)"))
            let plan = await planner.plan(candidates: [Fleet.trim], windows: [window], preferred: nil, session: session, now: Self.now)
            guard case .offer(let found) = plan, let (service, start) = found.first else {
                #expect(index == Fleet.slotCount, "customer \(index) found nothing")
                if case .nothing = plan {} else { Issue.record("after 40 holds: \(plan), not nothing") }
                continue
            }
            let slot = Slot(start: start, end: start.adding(minutes: service.durationMinutes))
            if await store.hold(slot, service: service.id, for: session, until: Self.now.adding(minutes: 10), now: Self.now) { held += 1 }
        }
        #expect(held == Fleet.slotCount)
    }
}
