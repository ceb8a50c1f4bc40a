import ParleyScenarios
import Testing

@testable import Parley

/// `InMemoryBookingStore` with weekly hours, closed dates and several resources.
@Suite("Booking store: weekly hours, holidays, several resources")
struct BookingStoreTests {
    static let berlin = LocalTime(timeZone: "Europe/Berlin")!

    /// A slot of `minutes` starting at a Berlin wall-clock time.
    static func slot(_ date: LocalDate, _ hour: Int, _ minute: Int = 0, minutes: Int = 45) -> Slot {
        let start = berlin.instant(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute)
        return Slot(start: start, end: start.adding(minutes: minutes))
    }

    @Test("Dates know their weekday; clock times and dates parse strictly")
    func calendarValues() {
        #expect(LocalDate(rawValue: "2026-05-01")?.weekday == .friday)
        #expect(LocalDate(rawValue: "2026-05-03")?.weekday == .sunday)
        #expect(LocalDate(rawValue: "2024-02-29")?.weekday == .thursday)
        #expect(LocalDate(rawValue: "2026-02-29") == nil && LocalDate(rawValue: "2026-5-1") == nil)
        #expect(ClockTime(rawValue: "09:30")?.minutes == 570 && ClockTime(rawValue: "24:00")?.minutes == 1440)
        #expect(ClockTime(rawValue: "24:30") == nil && ClockTime(rawValue: "9:30") == nil)
        #expect(LocalDate(rawValue: "2026-12-31")?.next == LocalDate(rawValue: "2027-01-01"))
    }

    @Test("Weekly hours: open on workdays and Saturday morning, closed on Sunday and on holidays, in local time across DST")
    func weeklyHours() async {
        let store = salonStore()
        let now = World.now
        #expect(await store.isFree(Self.slot("2026-05-04", 10), service: "haircut-women", ignoring: nil, now: now), "a Monday")
        #expect(await store.isFree(Self.slot("2026-05-02", 13), service: "haircut-women", ignoring: nil, now: now), "Saturday 13:00")
        #expect(await !store.isFree(Self.slot("2026-05-02", 13, 30), service: "haircut-women", ignoring: nil, now: now), "ends after 14:00")
        #expect(await !store.isFree(Self.slot("2026-05-03", 10), service: "haircut-women", ignoring: nil, now: now), "a Sunday")
        #expect(await !store.isFree(Self.slot("2026-05-01", 10), service: "haircut-women", ignoring: nil, now: now), "a holiday")
        #expect(await !store.isFree(Self.slot("2026-05-04", 8, 30), service: "haircut-women", ignoring: nil, now: now), "before opening")
        // 09:00 is 09:00 local in winter (UTC+1) and in summer (UTC+2).
        #expect(await store.isFree(Self.slot("2026-12-07", 9), service: "haircut-women", ignoring: nil, now: now))
        #expect(await store.isFree(Self.slot("2026-03-30", 9), service: "haircut-women", ignoring: nil, now: now))
        var hours = OpeningHours(timeZone: "Europe/Berlin")
        hours.open([.monday], from: "09:00", to: "10:00")
        #expect(
            hours.windows(from: "2026-03-23", through: "2026-03-30").map(\.start.rfc3339) == [
                "2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z",
            ])
    }

    @Test("Two chairs: two customers hold 10:00 at once, a third cannot; colour only at the colour station")
    func severalResources() async {
        let store = salonStore()
        let ten = Self.slot("2026-05-04", 10)
        let later = World.now.adding(minutes: 10)
        #expect(await store.hold(ten, service: "haircut-women", for: "a", until: later, now: World.now))
        #expect(await store.hold(ten, service: "haircut-women", for: "b", until: later, now: World.now))
        #expect(await !store.hold(ten, service: "haircut-women", for: "c", until: later, now: World.now), "both chairs are held")
        #expect(await !store.isFree(ten, service: "haircut-women", ignoring: nil, now: World.now))
        #expect(await store.isFree(ten, service: "colour", ignoring: nil, now: World.now), "the colour station is another resource")
        #expect(await store.freeResources(for: ten, service: "colour", now: World.now).map(\.id) == ["colour-station"])
        #expect(await !store.isFree(ten, service: "unknown-service", ignoring: nil, now: World.now), "no resource provides it")
        let price = Money(amount: 4500, currency: "EUR")
        for (session, reference) in [("a", "B-1"), ("b", "B-2")] {
            let record = BookingRecord(
                id: BookingReference(stringLiteral: reference), customer: World.lisa, session: SessionID(stringLiteral: session),
                service: "haircut-women", slot: ten, price: price, heldFor: nil)
            #expect(await store.commit(record, now: World.now))
        }
        let booked = await store.activeBookings()
        #expect(Set(booked.compactMap(\.resource)) == ["chair-1", "chair-2"], "no chair is double-booked")
        // Cancelling one frees its chair for the next customer.
        var cancelled = booked[0]
        cancelled.isCancelled = true
        #expect(await store.update(cancelled, now: World.now))
        #expect(await store.hold(ten, service: "haircut-women", for: "c", until: later, now: World.now))
    }

    @Test("A reschedule stays on its chair when free, else moves to another suitable one; never double-books")
    func rescheduleKeepsResourcesApart() async {
        let store = salonStore()
        let ten = Self.slot("2026-05-04", 10)
        let eleven = Self.slot("2026-05-04", 11)
        let price = Money(amount: 4500, currency: "EUR")
        let first = BookingRecord(
            id: "B-1", customer: World.lisa, session: "s1", service: "haircut-women", slot: ten, price: price, heldFor: nil,
            resource: "chair-1")
        let blocker = BookingRecord(
            id: "B-2", customer: World.lisa, session: "s2", service: "haircut-women", slot: eleven, price: price, heldFor: nil,
            resource: "chair-1")
        #expect(await store.commit(first, now: World.now))
        #expect(await store.commit(blocker, now: World.now))
        var moved = first
        moved.slot = eleven
        moved.revision += 1
        #expect(await store.update(moved, now: World.now))
        #expect(await store.booking("B-1")?.resource == "chair-2", "chair-1 is taken at 11:00")
        let third = BookingRecord(
            id: "B-3", customer: World.lisa, session: "s3", service: "haircut-women", slot: eleven, price: price, heldFor: nil)
        #expect(await !store.commit(third, now: World.now), "both chairs are booked at 11:00")
    }

    @Test("A company agent with two chairs books two customers for the same time")
    func agentUsesEveryChair() async {
        let store = salonStore()
        let salon = CompanyAgent(
            profile: CompanyProfile(id: "salon.example/bot", name: "Salon", timeZone: "Europe/Berlin"),
            catalogue: Salons.catalogue(), store: store)
        let ten = World.window(may: 4, from: (10, 0), to: (10, 0))
        for name in ["anna", "ben", "cleo"] {
            var customer = RawCustomer(
                id: AgentID(stringLiteral: "assistant.example/\(name)"), session: SessionID(stringLiteral: name), company: salon)
            _ = await customer.say(.hello(.init(role: .customer)), at: World.now)
            let reply = await customer.say(
                .request(.init(service: "haircut-women", windows: [ten], preferredStart: ten.start)), at: World.now)
            guard case .offer(let offer) = reply.first?.message, let proposal = offer.proposals.first else {
                #expect(name == "cleo", "\(name) got \(reply.map(\.kind))")
                continue
            }
            let asked = await customer.say(.accept(.init(proposal: proposal.id)), at: World.now)
            #expect(asked.map(\.kind) == [.consentRequest], "\(name)")
        }
        #expect(await !store.isFree(Self.slot("2026-05-04", 10), service: "haircut-women", ignoring: nil, now: World.now))
    }
}
