import ParleyScenarios
import Testing

@testable import Parley

@Suite("S6 revocation and S8 reschedule and cancel, after S1")
struct AfterBookingTests {
    @Test("S6: after revocation the salon's next use of the token is refused; the ledger shows it; nothing else breaks")
    func s6Revocation() async throws {
        let stage = Stage()
        let run = await Scenarios.haircut(stage: stage)
        let booking = try #require(run.outcome.booking)
        let salon = try #require(run.companies["salon.example/bot"])
        let grant = try #require(booking.grants.first)
        let now = stage.clock.now
        // Before: the salon reads the name for the booking; its token does not allow reminders.
        #expect(try await salon.personalData(.givenName, of: booking.reference, for: .booking, at: now) == "Lisa")
        await #expect(throws: ParleyError.self) { try await salon.personalData(.givenName, of: booking.reference, for: .reminder, at: now) }
        // The person revokes. The call returns once the revocation is sent; wait (without a clock)
        // until the salon has processed it.
        #expect(await run.customer.revoke(grant.tokenID, at: salon.profile.id))
        for _ in 0..<10_000 where await !salon.ledger.isRevoked(grant.tokenID) { await Task.yield() }
        do {
            _ = try await salon.personalData(.givenName, of: booking.reference, for: .booking, at: now)
            Issue.record("the revoked token was still usable")
        } catch {
            #expect(error.code == .tokenRevoked)
        }
        #expect(await salon.ledger.isRevoked(grant.tokenID))
        #expect(await salon.ledger.status(of: grant.tokenID, at: now) == .revoked)
        #expect(await run.customer.receipts.first?.status(at: now) == .revoked)
        // The issuer refuses it too, and so every token narrowed from it.
        let use = ConsentUse(audience: salon.profile.id, purpose: .booking, fields: [.givenName], at: now)
        await #expect(throws: ParleyError.self) { try await run.customer.verify(token: grant.token, use: use) }
        let narrowed = try ConsentToken(serialized: grant.token).attenuated(by: .fields([.givenName])).serialized
        do {
            try await run.customer.verify(token: narrowed, use: use)
            Issue.record("a token narrowed from a revoked one verified")
        } catch {
            #expect(error.code == .tokenRevoked)
        }
        // Nothing else breaks: the booking stands and the next session works.
        #expect(await run.stores["salon.example/bot"]?.booking(booking.reference)?.isCancelled == false)
        guard case .cancelled(let cancelled) = await run.customer.cancel(booking) else {
            Issue.record("the cancellation is not the cancelled outcome")
            return
        }
        #expect(cancelled.confirmation.status == .cancelled)
    }

    @Test("The consent is kept with the booking: another instance on the same store reads it, and sees its revocation")
    func consentTravelsWithTheBooking() async throws {
        let stage = Stage()
        let run = await Scenarios.haircut(stage: stage)
        let booking = try #require(run.outcome.booking)
        let salon = try #require(run.companies["salon.example/bot"])
        let store = try #require(run.stores["salon.example/bot"])
        let grant = try #require(booking.grants.first)
        let now = stage.clock.now
        // A second instance: the same booking store, its own memory (no ledger, no sessions).
        let other = Salons.salon(store: store)
        let stored = try #require(await store.booking(booking.reference)?.consents.first)
        #expect(stored.receipt.tokenID == grant.tokenID && stored.disclosedFields == [.givenName])
        #expect(stored.receipt.transcriptDigest == booking.confirmation.agreementDigest, "the receipt is bound to the agreement")
        #expect(!"\(stored)".contains("Lisa") && !String(reflecting: stored).contains("Lisa"), "descriptions never show the values")
        #expect(try await other.personalData(.givenName, of: booking.reference, for: .booking, at: now) == "Lisa")
        await #expect(throws: ParleyError.self) { try await other.personalData(.givenName, of: booking.reference, for: .reminder, at: now) }
        // Revoked at the first instance; the second learns it from the booking store.
        #expect(await run.customer.revoke(grant.tokenID, at: salon.profile.id))
        for _ in 0..<10_000 where await store.booking(booking.reference)?.consents.first?.receipt.revokedAt == nil { await Task.yield() }
        do {
            _ = try await other.personalData(.givenName, of: booking.reference, for: .booking, at: now)
            Issue.record("the revoked token was still usable on the other instance")
        } catch {
            #expect(error.code == .tokenRevoked)
        }
        #expect(await !other.ledger.isRevoked(grant.tokenID), "the other instance's own ledger never saw the revoke")
    }

    @Test("A booking with a discount add-on, moved: the confirm states the new proposal's price, and the store keeps it")
    func rescheduleRestatesTheNewTerms() async throws {
        let (run, _) = await Scenarios.giveAndTake(policy: .askMe, personSays: true)
        let booking = try #require(run.outcome.booking)
        #expect(booking.confirmation.addOns == ["newsletter-10"] && booking.confirmation.price == Money(amount: 4050, currency: "EUR"))
        let outcome = await run.customer.reschedule(booking, to: [World.window(may: 3, from: (11, 0), to: (11, 0))])
        let moved = try #require(outcome.booking, "\(outcome.summary)")
        #expect(moved.confirmation.status == .rescheduled && moved.confirmation.addOns.isEmpty)
        #expect(moved.confirmation.price == Money(amount: 4500, currency: "EUR"))
        #expect(await run.stores["salon.example/bot"]?.booking(booking.reference)?.price == moved.confirmation.price)
    }

    @Test("S8: move to 11:00 when free, then cancel; both sides' records agree at every step")
    func s8RescheduleAndCancel() async throws {
        let stage = Stage()
        let run = await Scenarios.haircut(stage: stage)
        let booking = try #require(run.outcome.booking)
        let store = try #require(run.stores["salon.example/bot"])
        let eleven = World.window(may: 3, from: (11, 0), to: (11, 0))

        // 11:00 is taken: the move fails cleanly and the booking stays as it was.
        let refused = await run.customer.reschedule(booking, to: [eleven], preferredStart: World.may(3, 11))
        #expect(refused.booking == nil)
        #expect(await store.booking(booking.reference)?.slot.start == World.may(3, 10))

        // Another customer cancels the 10:45 appointment; now 11:00 is free.
        var other = try #require(await store.booking("X-2"))
        other.isCancelled = true
        #expect(await store.update(other, now: stage.clock.now))
        let moved = try #require(await run.customer.reschedule(booking, to: [eleven], preferredStart: World.may(3, 11)).booking)
        #expect(moved.reference == booking.reference)
        #expect(moved.confirmation.status == .rescheduled && moved.confirmation.revision == 1)
        #expect(moved.confirmation.slot.start == World.may(3, 11))
        let storedMove = try #require(await store.booking(booking.reference))
        #expect(storedMove.slot == moved.confirmation.slot && storedMove.revision == 1 && !storedMove.isCancelled)
        #expect(await run.customer.bookings[booking.reference]?.confirmation == moved.confirmation)

        // Cancel it; the salon's terms make it free three days ahead.
        let outcome = await run.customer.cancel(moved)
        guard case .cancelled(let cancelled) = outcome else {
            Issue.record("the cancellation ended with \(outcome.summary)")
            return
        }
        #expect(outcome.booking == nil, "a cancelled booking is not a booking")
        #expect(cancelled.confirmation.status == .cancelled && cancelled.confirmation.revision == 2)
        #expect(cancelled.confirmation.fee == nil)
        let storedCancel = try #require(await store.booking(booking.reference))
        #expect(storedCancel.isCancelled && storedCancel.revision == 2)
        #expect(await run.customer.bookings[booking.reference]?.confirmation.status == .cancelled)

        // The calendar entries update the same event.
        let first = CalendarEvent(confirm: booking.confirmation, company: booking.company, summary: "Haircut")
        let second = CalendarEvent(confirm: moved.confirmation, company: moved.company, summary: "Haircut")
        let third = CalendarEvent(confirm: cancelled.confirmation, company: cancelled.company, summary: "Haircut")
        #expect(first.uid == second.uid && second.uid == third.uid)
        #expect([first.sequence, second.sequence, third.sequence] == [0, 1, 2])
        #expect(third.iCalendar(stamp: stage.clock.now).contains("METHOD:CANCEL"))
    }
}
