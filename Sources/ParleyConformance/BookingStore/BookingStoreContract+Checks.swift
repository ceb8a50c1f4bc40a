import Parley

private typealias Day = ContractCalendar

/// Holds are live for 15 minutes after the contract's `now` unless a check says otherwise.
private let live = Day.now.adding(minutes: 15)

extension BookingStoreContract {
    /// Every check, in run order.
    static let checks: [ContractCheck] = holdChecks + bookingChecks + raceChecks + calendarChecks

    static let holdChecks: [ContractCheck] = [
        ContractCheck(name: "hold-atomic", title: "a held slot is free to its holder only; an overlapping hold is refused") { c in
            let store = c.store
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "a", until: live, now: Day.now), "hold of a free slot refused")
            try c.expect(
                !(await store.isFree(Day.slot(10, 30), service: "haircut", ignoring: nil, now: Day.now)),
                "10:30 reported free while 10:00–10:45 is held")
            try c.expect(!(await store.isFree(Day.slot(10, 30), ignoring: "b", now: Day.now)), "a held slot is free to another session")
            try c.expect(
                await store.isFree(Day.slot(10), service: "haircut", ignoring: "a", now: Day.now),
                "a held slot is not free to its own holder")
            try c.expect(
                !(await store.hold(Day.slot(10, 30), service: "haircut", for: "b", until: live, now: Day.now)),
                "a second, overlapping hold succeeded")
            try c.expect(
                !(await store.hold(Day.slot(9, 30), for: "c", until: live, now: Day.now)),
                "a hold overlapping the start of a held slot succeeded")
            try c.expect(
                await store.hold(Day.slot(10, 45), service: "haircut", for: "b", until: live, now: Day.now),
                "the adjacent slot 10:45–11:30 was refused (slots are half-open)")
        },
        ContractCheck(name: "hold-replaces-own", title: "a session's new hold replaces its earlier one") { c in
            let store = c.store
            try c.expect(await store.hold(Day.slot(10), service: "haircut", for: "a", until: live, now: Day.now), "first hold refused")
            try c.expect(await store.hold(Day.slot(14), service: "haircut", for: "a", until: live, now: Day.now), "second hold refused")
            try c.expect(
                await store.isFree(Day.slot(10), service: "haircut", ignoring: nil, now: Day.now),
                "the session's earlier hold (10:00) was kept")
            try c.expect(
                await store.hold(Day.slot(14, 15), service: "haircut", for: "a", until: live, now: Day.now),
                "a hold overlapping the session's own hold was refused")
            try c.expect(
                await store.hold(Day.slot(14), service: "haircut", for: "b", until: live, now: Day.now) == false,
                "14:00 was free to another session although the session holds 14:15")
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "b", until: live, now: Day.now),
                "10:00 refused after it was released")
        },
        ContractCheck(name: "hold-refused-changes-nothing", title: "a refused hold keeps the session's earlier hold") { c in
            let store = c.store
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "a", until: live, now: Day.now), "hold of a free slot refused")
            try c.expect(
                await store.hold(Day.slot(11), service: "haircut", for: "b", until: live, now: Day.now), "hold of a free slot refused")
            try c.expect(
                !(await store.hold(Day.slot(10), service: "haircut", for: "b", until: live, now: Day.now)),
                "a hold of a held slot succeeded")
            try c.expect(
                !(await store.isFree(Day.slot(11), service: "haircut", ignoring: nil, now: Day.now)),
                "a refused hold dropped the session's earlier hold (11:00)")
        },
        ContractCheck(name: "hold-expiry", title: "a hold blocks the slot until its expiry, not after") { c in
            let store = c.store
            let until = Day.now.adding(minutes: 10)
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "a", until: until, now: Day.now), "hold of a free slot refused")
            let before = until.adding(seconds: -1)
            try c.expect(
                !(await store.isFree(Day.slot(10), service: "haircut", ignoring: nil, now: before)),
                "the hold lapsed a second before its expiry")
            try c.expect(
                !(await store.hold(Day.slot(10), service: "haircut", for: "b", until: until.adding(minutes: 10), now: before)),
                "another session held the slot before the hold expired")
            try c.expect(
                await store.isFree(Day.slot(10), service: "haircut", ignoring: nil, now: until),
                "the slot is not free once the hold expired")
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "b", until: until.adding(minutes: 10), now: until),
                "another session could not hold the slot once the hold expired")
        },
        ContractCheck(name: "release", title: "releasing a session's hold frees its slot and nothing else") { c in
            let store = c.store
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "a", until: live, now: Day.now), "hold of a free slot refused")
            try c.expect(
                await store.hold(Day.slot(11), service: "haircut", for: "b", until: live, now: Day.now), "hold of a free slot refused")
            await store.release(session: "a")
            await store.release(session: "nobody")
            try c.expect(await store.isFree(Day.slot(10), service: "haircut", ignoring: nil, now: Day.now), "the released slot is not free")
            try c.expect(
                !(await store.isFree(Day.slot(11), service: "haircut", ignoring: nil, now: Day.now)),
                "releasing one session dropped another session's hold")
        },
    ]

    static let bookingChecks: [ContractCheck] = [
        ContractCheck(name: "commit", title: "a committed hold becomes a booking that blocks its slot for good") { c in
            let store = c.store
            let record = c.record("B-1", session: "a", slot: Day.slot(10))
            try await c.book(record, heldUntil: live)
            guard let stored = await store.booking("B-1") else { throw ContractFailure(reason: "booking(B-1) is nil after the commit") }
            try c.expect(
                stored.slot == record.slot && stored.session == record.session && stored.customer == record.customer
                    && stored.service == record.service && stored.price == record.price && stored.heldFor == record.heldFor
                    && stored.revision == 0 && !stored.isCancelled,
                "booking(B-1) differs from the committed record: \(stored)")
            try c.expect(stored.resource == "chair-1", "booking(B-1) names resource \(stored.resource ?? "nil"), not chair-1")
            try c.expect((await store.activeBookings()).map(\.id) == ["B-1"], "activeBookings() is not exactly [B-1]")
            let later = Day.at(9)
            try c.expect(
                !(await store.isFree(record.slot, service: "haircut", ignoring: nil, now: later)),
                "a booked slot is free once the hold's time passed")
            try c.expect(
                !(await store.hold(Day.slot(10, 15), service: "haircut", for: "b", until: later.adding(minutes: 15), now: later)),
                "a slot overlapping a booking could be held")
        },
        ContractCheck(name: "commit-after-expiry", title: "a commit after the hold expired succeeds only while the slot is still free") {
            c in
            let store = c.store
            let until = Day.now.adding(minutes: 5)
            let first = c.record("B-1", session: "a", slot: Day.slot(10))
            try c.expect(
                await store.hold(first.slot, service: "haircut", for: "a", until: until, now: Day.now), "hold of a free slot refused")
            try c.expect(
                await store.commit(first, now: until.adding(minutes: 25)), "commit after expiry refused although nobody took the slot")
            let second = c.record("B-2", session: "b", slot: Day.slot(14))
            try c.expect(
                await store.hold(second.slot, service: "haircut", for: "b", until: until, now: Day.now), "hold of a free slot refused")
            try c.expect(
                await store.hold(
                    Day.slot(14, 15), service: "haircut", for: "c", until: until.adding(minutes: 15), now: until.adding(minutes: 1)),
                "the slot of an expired hold could not be held by another session")
            try c.expect(
                !(await store.commit(second, now: until.adding(minutes: 2))), "a commit succeeded after the expired hold's slot was taken")
            try c.expect(await store.booking("B-2") == nil, "a refused commit left booking B-2")
        },
        ContractCheck(name: "commit-without-hold", title: "a commit without a hold books a free slot and respects others' holds") { c in
            let store = c.store
            try c.expect(
                await store.commit(c.record("B-1", session: "a", slot: Day.slot(10)), now: Day.now), "commit of a free slot refused")
            try c.expect(
                await store.hold(Day.slot(14), service: "haircut", for: "b", until: live, now: Day.now), "hold of a free slot refused")
            try c.expect(
                !(await store.commit(c.record("B-2", session: "c", slot: Day.slot(14, 30)), now: Day.now)),
                "a commit overlapping another session's live hold succeeded")
            try c.expect(
                !(await store.commit(c.record("B-3", session: "d", slot: Day.slot(10, 30)), now: Day.now)),
                "a commit overlapping a booking succeeded")
            try c.expect((await store.activeBookings()).map(\.id) == ["B-1"], "activeBookings() is not exactly [B-1]")
        },
        ContractCheck(name: "commit-idempotent", title: "committing the same booking again is a success that books once") { c in
            let store = c.store
            let record = c.record("B-1", session: "a", slot: Day.slot(10))
            try await c.book(record, heldUntil: live)
            try c.expect(await store.commit(record, now: Day.now.adding(minutes: 1)), "the repeated commit of the same booking was refused")
            try c.expect(
                (await store.activeBookings()).map(\.id) == ["B-1"], "after a repeated commit activeBookings() is not exactly [B-1]")
            var other = c.record("B-1", session: "z", slot: Day.slot(15))
            other.customer = "someone-else.example/bot"
            try c.expect(!(await store.commit(other, now: Day.now)), "a different booking under an existing reference was accepted")
            try c.expect(await store.booking("B-1")?.slot == record.slot, "a refused commit changed booking B-1")
            try c.expect(
                await store.isFree(Day.slot(15), service: "haircut", ignoring: nil, now: Day.now), "a refused commit occupied its slot")
        },
        ContractCheck(name: "free-slots", title: "freeSlots answers for many slots at once what isFree answers for each") { c in
            let store = c.store
            let record = c.record("B-1", session: "b", slot: Day.slot(14))
            try await c.book(record, heldUntil: live)
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "a", until: live, now: Day.now), "hold of a free slot refused")
            // Around the hold and the booking, at the edges of the day, on the closed Wednesday and on Saturday afternoon.
            let slots = [
                Day.slot(9), Day.slot(9, 30), Day.slot(10), Day.slot(10, 30), Day.slot(11), Day.slot(13, 30), Day.slot(14, 45),
                Day.slot(17, 15), Day.slot(17, 30), Day.slot(10, day: 5), Day.slot(10, day: 8), Day.slot(14, day: 8),
            ]
            for session: SessionID? in [nil, "a", "b"] {
                for now in [Day.now, live] {
                    let batch = await store.freeSlots(slots, service: "haircut", ignoring: session, now: now)
                    var each: [Bool] = []
                    for slot in slots { each.append(await store.isFree(slot, service: "haircut", ignoring: session, now: now)) }
                    try c.expect(
                        batch == each,
                        "freeSlots \(batch) differs from isFree \(each) ignoring \(session?.rawValue ?? "nothing") at \(now)")
                }
            }
            try c.expect((await store.freeSlots([], service: "haircut", ignoring: nil, now: Day.now)).isEmpty, "no slots, yet answers")
        },
        ContractCheck(name: "consents-kept", title: "the consents a booking is committed with are read back, and their revocation is kept")
        {
            c in
            let store = c.store
            var record = c.record("B-1", session: "a", slot: Day.slot(10))
            record.consents = [try c.consent(token: "t-contract-1")]
            try await c.book(record, heldUntil: live)
            let stored = await store.booking("B-1")?.consents ?? []
            try c.expect(stored == record.consents, "booking(B-1) holds \(stored.count) consents, not the committed one unchanged")
            try c.expect(stored.first?.disclosedFields == [.givenName], "the disclosed fields were not kept")
            var revoked = record
            revoked.consents[0].receipt.revokedAt = Day.at(9)
            try c.expect(await store.update(revoked, now: Day.at(9)), "update recording a revocation refused")
            try c.expect(
                await store.booking("B-1")?.consents.first?.receipt.revokedAt == Day.at(9), "the revocation was not kept with the booking")
        },
        ContractCheck(name: "cancel", title: "a cancelled booking stays readable, leaves the active list and frees its slot") { c in
            let store = c.store
            try c.expect(
                await store.commit(c.record("B-1", session: "a", slot: Day.slot(10)), now: Day.now), "commit of a free slot refused")
            guard var booking = await store.booking("B-1") else { throw ContractFailure(reason: "booking(B-1) is nil after the commit") }
            booking.isCancelled = true
            booking.revision += 1
            booking.session = "a-cancel"
            try c.expect(await store.update(booking, now: Day.now), "cancelling refused")
            let stored = await store.booking("B-1")
            try c.expect(
                stored?.isCancelled == true && stored?.revision == 1,
                "booking(B-1) is not cancelled at revision 1: \(String(describing: stored))")
            try c.expect((await store.activeBookings()).isEmpty, "a cancelled booking is still in activeBookings()")
            try c.expect(
                await store.hold(Day.slot(10), service: "haircut", for: "b", until: live, now: Day.now),
                "the slot of a cancelled booking cannot be held")
        },
        ContractCheck(name: "reschedule", title: "a booking moves to a free slot only, keeping one row and its reference") { c in
            let store = c.store
            try c.expect(
                await store.commit(c.record("B-1", session: "a", slot: Day.slot(10)), now: Day.now), "commit of a free slot refused")
            try c.expect(
                await store.commit(c.record("B-2", session: "b", slot: Day.slot(15)), now: Day.now), "commit of a free slot refused")
            guard var moving = await store.booking("B-1") else { throw ContractFailure(reason: "booking(B-1) is nil after the commit") }
            moving.slot = Day.slot(12)
            moving.revision = 1
            try c.expect(await store.update(moving, now: Day.now), "moving to a free slot refused")
            try c.expect(await store.booking("B-1")?.slot == Day.slot(12), "the booking did not move to 12:00")
            try c.expect(await store.isFree(Day.slot(10), service: "haircut", ignoring: nil, now: Day.now), "the old slot is still taken")
            try c.expect(!(await store.isFree(Day.slot(12), service: "haircut", ignoring: nil, now: Day.now)), "the new slot is free")
            moving.slot = Day.slot(15, 15)
            moving.revision = 2
            try c.expect(!(await store.update(moving, now: Day.now)), "moving onto another booking succeeded")
            let unchanged = await store.booking("B-1")
            try c.expect(unchanged?.slot == Day.slot(12) && unchanged?.revision == 1, "a refused move changed the booking")
            moving.slot = Day.slot(12, 30)
            try c.expect(await store.update(moving, now: Day.now), "moving onto a slot overlapping only its own old slot was refused")
            // The agent's way: the session holds the new slot, then moves the booking onto it.
            moving.session = "r"
            moving.slot = Day.slot(16)
            moving.revision = 3
            try c.expect(
                await store.hold(moving.slot, service: "haircut", for: "r", until: live, now: Day.now), "hold of a free slot refused")
            try c.expect(await store.update(moving, now: Day.now), "moving onto the session's own hold was refused")
            moving.slot = Day.slot(17)
            moving.revision = 4
            try c.expect(await store.update(moving, now: Day.now), "moving to a free slot refused")
            try c.expect(
                await store.isFree(Day.slot(16), service: "haircut", ignoring: nil, now: Day.now),
                "the session's hold outlived the move it was taken for")
            try c.expect((await store.activeBookings()).map(\.id).sorted() == ["B-1", "B-2"], "activeBookings() is not [B-1, B-2]")
            var unknown = c.record("B-404", session: "x", slot: Day.slot(11))
            unknown.revision = 1
            try c.expect(!(await store.update(unknown, now: Day.now)), "updating an unknown booking succeeded")
            try c.expect(await store.booking("B-404") == nil, "updating an unknown booking created it")
        },
    ]
}
