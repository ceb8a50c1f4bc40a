import Parley

private typealias Day = ContractCalendar

private let live = Day.now.adding(minutes: 15)

/// Runs `racers` tasks at once, each calling `attempt` with its index; returns the indices that won.
private func race(_ racers: Int, _ attempt: @escaping @Sendable (Int) async -> Bool) async -> [Int] {
    await withTaskGroup(of: (Int, Bool).self) { group in
        for index in 0..<racers { group.addTask { (index, await attempt(index)) } }
        var winners: [Int] = []
        for await (index, won) in group where won { winners.append(index) }
        return winners.sorted()
    }
}

extension BookingStoreContract {
    static let raceChecks: [ContractCheck] = [
        ContractCheck(name: "race-hold", title: "of N concurrent holds of one slot exactly one wins") { c in
            let store = c.store
            let winners = await race(c.racers) { index in
                await store.hold(
                    Day.slot(10), service: "haircut", for: SessionID(stringLiteral: "racer-\(index)"), until: live, now: Day.now)
            }
            try c.expect(winners.count == 1, "\(winners.count) of \(c.racers) concurrent holds of one slot won")
            // Overlapping but different slots: 11:00, 11:02 … all 45 minutes long, so each pair overlaps.
            let overlapping = await race(c.racers) { index in
                await store.hold(
                    Day.slot(11, (index * 2) % 40), service: "haircut", for: SessionID(stringLiteral: "late-\(index)"), until: live,
                    now: Day.now)
            }
            try c.expect(overlapping.count == 1, "\(overlapping.count) of \(c.racers) concurrent holds of overlapping slots won")
        },
        ContractCheck(name: "race-commit", title: "of N concurrent commits of one slot without holds exactly one books") { c in
            let store = c.store
            let winners = await race(c.racers) { index in
                await store.commit(c.record("R-\(index)", session: "racer-\(index)", slot: Day.slot(10)), now: Day.now)
            }
            try c.expect(winners.count == 1, "\(winners.count) of \(c.racers) concurrent commits of one slot won")
            let active = await store.activeBookings()
            try c.expect(
                active.map(\.id) == winners.map { BookingReference(stringLiteral: "R-\($0)") },
                "activeBookings() is \(active.map(\.id.rawValue)), not the one winner")
        },
        ContractCheck(
            name: "race-expired-hold", title: "of N concurrent holds of a slot whose hold has just expired exactly one wins"
        ) { c in
            let store = c.store
            let until = Day.now.adding(minutes: 5)
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "a", until: until, now: Day.now), "hold of a free slot refused")
            let later = until.adding(minutes: 1)
            let winners = await race(c.racers) { index in
                await store.hold(
                    Day.slot(10), service: "haircut", for: SessionID(stringLiteral: "racer-\(index)"), until: later.adding(minutes: 15),
                    now: later)
            }
            try c.expect(winners.count == 1, "\(winners.count) of \(c.racers) concurrent holds of an expired hold's slot won")
        },
        ContractCheck(
            name: "race-resources", title: "with three chairs, exactly three of N concurrent holds win, on three different chairs",
            resources: [Resource(id: "chair-1"), Resource(id: "chair-2"), Resource(id: "chair-3")]
        ) { c in
            let store = c.store
            let winners = await race(c.racers) { index in
                await store.hold(
                    Day.slot(10), service: "haircut", for: SessionID(stringLiteral: "racer-\(index)"), until: live, now: Day.now)
            }
            try c.expect(winners.count == 3, "\(winners.count) of \(c.racers) concurrent holds won with three chairs")
            var chairs: Set<String> = []
            for index in winners {
                let record = c.record("R-\(index)", session: "racer-\(index)", slot: Day.slot(10))
                try c.expect(await store.commit(record, now: Day.now), "committing winner \(index)'s hold refused")
                chairs.insert(await store.booking(record.id)?.resource ?? "none")
            }
            try c.expect(
                chairs == ["chair-1", "chair-2", "chair-3"], "the winners' bookings are on \(chairs.sorted()), not on three chairs")
        },
    ]

    static let calendarChecks: [ContractCheck] = [
        ContractCheck(name: "weekly-hours", title: "only slots wholly inside the weekly hours, on open days, are free") { c in
            let store = c.store
            func free(_ slot: Slot) async -> Bool { await store.isFree(slot, service: "haircut", ignoring: nil, now: Day.now) }
            try c.expect(await free(Day.slot(10)), "Monday 10:00 is not free")
            try c.expect(!(await free(Day.slot(8, 30))), "Monday 08:30, before opening, is free")
            try c.expect(await free(Day.slot(17, 15)), "Monday 17:15–18:00, ending at closing time, is not free")
            try c.expect(!(await free(Day.slot(17, 30))), "Monday 17:30–18:15, past closing time, is free")
            try c.expect(!(await free(Day.slot(10, day: 5))), "Wednesday 5 June, a closed date, is free")
            try c.expect(await free(Day.slot(10, day: 6)), "Thursday 10:00 is not free")
            try c.expect(await free(Day.slot(12, day: 8)), "Saturday 12:00–12:45 is not free")
            try c.expect(!(await free(Day.slot(12, 30, day: 8))), "Saturday 12:30–13:15, past Saturday's closing, is free")
            try c.expect(!(await free(Day.slot(10, day: 9))), "Sunday 10:00 is free")
            try c.expect(
                !(await store.hold(Day.slot(10, day: 9), service: "haircut", for: "a", until: live, now: Day.now)),
                "a hold on Sunday succeeded")
            try c.expect(
                !(await store.commit(c.record("B-1", session: "b", slot: Day.slot(19)), now: Day.now)),
                "a commit after closing time succeeded")
        },
        ContractCheck(
            name: "existing-bookings", title: "bookings the store starts with block their slots",
            bookings: [
                BookingRecord(
                    id: "X-1", customer: "walk-in.example/bot", session: "x", service: "haircut", slot: Day.slot(12, minutes: 60),
                    price: Money(amount: 4500, currency: "EUR"), heldFor: nil)
            ]
        ) { c in
            let store = c.store
            try c.expect((await store.activeBookings()).map(\.id) == ["X-1"], "activeBookings() is not exactly [X-1]")
            try c.expect(
                !(await store.isFree(Day.slot(12, 30), service: "haircut", ignoring: nil, now: Day.now)), "a slot overlapping X-1 is free")
            try c.expect(
                !(await store.hold(Day.slot(11, 30), service: "haircut", for: "a", until: live, now: Day.now)),
                "a hold overlapping X-1 succeeded")
            try c.expect(
                await store.hold(Day.slot(13), service: "haircut", for: "a", until: live, now: Day.now),
                "13:00, right after X-1, was refused")
        },
        ContractCheck(
            name: "several-resources", title: "each service goes to a free resource that provides it",
            resources: [Resource(id: "chair-1"), Resource(id: "chair-2"), Resource(id: "colour-station", services: ["colour"])]
        ) { c in
            let store = c.store
            try c.expect(await store.hold(Day.slot(10), service: "haircut", for: "a", until: live, now: Day.now), "first haircut refused")
            try c.expect(await store.hold(Day.slot(10), service: "haircut", for: "b", until: live, now: Day.now), "second haircut refused")
            try c.expect(
                !(await store.hold(Day.slot(10), service: "haircut", for: "c", until: live, now: Day.now)),
                "a third haircut at 10:00 succeeded with two chairs (the colour station does no haircuts)")
            try c.expect(
                !(await store.isFree(Day.slot(10), service: "haircut", ignoring: nil, now: Day.now)), "haircut reported free at 10:00")
            try c.expect(await store.isFree(Day.slot(10), service: "colour", ignoring: nil, now: Day.now), "colour not free at 10:00")
            try c.expect(await store.isFree(Day.slot(10), ignoring: nil, now: Day.now), "no resource reported free at 10:00")
            try c.expect(await store.hold(Day.slot(10), service: "colour", for: "d", until: live, now: Day.now), "colour at 10:00 refused")
            try c.expect(!(await store.isFree(Day.slot(10), ignoring: nil, now: Day.now)), "a resource reported free with all three held")
            var resources: [String] = []
            for (reference, session, service) in [("B-1", "a", "haircut"), ("B-2", "b", "haircut"), ("B-3", "d", "colour")] {
                let record = c.record(reference, session: session, slot: Day.slot(10), service: service)
                try c.expect(await store.commit(record, now: Day.now), "commit of \(reference) refused")
                resources.append(await store.booking(record.id)?.resource ?? "none")
            }
            try c.expect(
                Set(resources.prefix(2)) == ["chair-1", "chair-2"] && resources.last == "colour-station",
                "the bookings are on \(resources), not on both chairs and the colour station")
        },
        ContractCheck(
            name: "resource-hours", title: "a resource with its own hours is only booked inside them",
            resources: [Resource(id: "junior", hours: ContractCalendar.mornings), Resource(id: "chair-1")]
        ) { c in
            let store = c.store
            try c.expect(
                await store.hold(Day.slot(15), service: "haircut", for: "a", until: live, now: Day.now), "15:00 on chair-1 refused")
            try c.expect(
                !(await store.hold(Day.slot(15), service: "haircut", for: "b", until: live, now: Day.now)),
                "a second 15:00 succeeded although the junior works mornings only")
            try c.expect(await store.hold(Day.slot(10), service: "haircut", for: "c", until: live, now: Day.now), "first 10:00 refused")
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "d", until: live, now: Day.now),
                "second 10:00 (the junior's) refused")
            let record = c.record("B-1", session: "c", slot: Day.slot(10))
            try c.expect(await store.commit(record, now: Day.now), "commit refused")
            try c.expect(await store.booking("B-1")?.resource == "junior", "the first 10:00 booking is not on the junior, tried first")
        },
    ]
}

extension ContractCalendar {
    /// Monday to Friday 09:00–12:00, in the contract's time zone.
    static var mornings: OpeningHours {
        var hours = OpeningHours(timeZone: timeZone)
        hours.open(Weekday.workdays, from: "09:00", to: "12:00")
        return hours
    }
}
