import ParleyScenarios
import Testing

@testable import Parley

@Suite("Reference scenarios S1–S4 and S7 (scenarios.md)")
struct ScenarioTests {
    @Test("S1 hair salon: the 2018 call plays out step by step; the salon receives givenName and nothing else")
    func s1HairSalon() async throws {
        let run = await Scenarios.haircut()
        let booking = try #require(run.outcome.booking, "outcome: \(run.outcome)")
        #expect(booking.confirmation.service == "haircut-women")
        #expect(booking.confirmation.slot.start == World.may(3, 10))
        #expect(booking.confirmation.timeZone == "Europe/Berlin")
        #expect(booking.confirmation.heldFor == "Lisa")
        let transcript = try #require(run.transcripts.first)
        #expect(
            transcript.map(\.kind) == [
                .hello, .hello, .request, .counterOffer, .counterRequest, .question, .answer, .offer, .accept, .consentRequest,
                .consentGrant, .disclose, .confirm, .close,
            ])
        // Step 2: 12:00 is taken, the nearest free time is 13:15.
        if case .counterOffer(let offer) = transcript[3].message {
            #expect(offer.proposals.allSatisfy { $0.slot.start == World.may(3, 13, 15) })
        }
        // Step 3: the assistant asks for its second window, 10:00–12:00.
        if case .counterRequest(let request) = transcript[4].message {
            #expect(request.windows == [World.window(may: 3, from: (10, 0), to: (12, 0))])
        }
        // Step 4–6: which service? women's haircut; then 10:00.
        if case .question(let question) = transcript[5].message { #expect(question.topic == "service") }
        if case .answer(let answer) = transcript[6].message { #expect(answer.value == "haircut-women") }
        if case .offer(let offer) = transcript[7].message { #expect(offer.proposals.map(\.slot.start) == [World.may(3, 10)]) }
        // Step 8: the salon asks for givenName for booking.
        if case .consentRequest(let request) = transcript[9].message {
            #expect(request.fields == [.givenName] && request.purpose == .booking)
        }
        // Privacy facts: only givenName disclosed, under a grant for exactly that.
        let facts = PrivacyFacts(transcript: transcript)
        #expect(facts.disclosedFields == [.givenName])
        #expect(facts.everyDisclosureIsGranted)
        let grant = try #require(facts.grants.first)
        #expect(facts.grants.count == 1)
        #expect(grant.fields == [.givenName] && grant.purpose == .booking)
        #expect(grant.expiresAt > World.may(3, 10))
        let caveats = try ConsentToken(serialized: grant.token).caveats()
        #expect(caveats.contains(.audience("salon.example/bot")))
        #expect(caveats.contains(.purposes([.booking])))
        #expect(caveats.contains(.fields([.givenName])))
        #expect(caveats.contains(.expiry(grant.expiresAt)))
        // Receipts on both sides.
        let customerReceipts = await run.customer.receipts
        #expect(customerReceipts.map(\.tokenID) == [grant.tokenID])
        let salon = try #require(run.companies["salon.example/bot"])
        let salonReceipts = await salon.receipts
        #expect(salonReceipts.map(\.tokenID) == [grant.tokenID])
        #expect(customerReceipts.first?.transcriptDigest == booking.confirmation.agreementDigest)
        // The store holds the booking, under Lisa's name.
        let stored = await run.stores["salon.example/bot"]?.booking(booking.reference)
        #expect(stored?.slot == booking.confirmation.slot && stored?.heldFor == "Lisa")
    }

    @Test("S2 restaurant: no reservation needed, with the wait information; no personal data at all")
    func s2Restaurant() async throws {
        let run = await Scenarios.restaurant()
        guard case .noReservationNeeded(let text, let answers) = run.outcome else {
            Issue.record("outcome: \(run.outcome)")
            return
        }
        #expect(text.contains("just come in"))
        #expect(answers["wait-time"]?.contains("not busy") == true || answers["wait-time"]?.contains("quiet") == true)
        let transcript = try #require(run.transcripts.first)
        #expect(transcript.map(\.kind) == [.hello, .hello, .request, .decline, .question, .answer, .close])
        #expect(PrivacyFacts(transcript: transcript).disclosedFields.isEmpty)
        #expect(PrivacyFacts(transcript: transcript).grants.isEmpty)
    }

    @Test("S3 three salons: the offer nearest 12:00 wins; only the winner receives personal data")
    func s3ThreeSalons() async throws {
        let run = await Scenarios.threeSalons()
        let booking = try #require(run.outcome.booking, "outcome: \(run.outcome)")
        #expect(booking.company == "centre.example/bot")
        #expect(booking.confirmation.slot.start == World.may(3, 12))
        #expect(run.transcripts.count == 3)
        for transcript in run.transcripts {
            let company = try #require(transcript.first?.to)
            let facts = PrivacyFacts(transcript: transcript)
            if company == booking.company {
                #expect(facts.disclosedFields == [.givenName])
            } else {
                #expect(facts.disclosedFields.isEmpty && facts.grants.isEmpty, "\(company) received data")
                #expect(transcript.contains { $0.kind == .reject } && transcript.last?.kind == .close)
            }
        }
        for (id, store) in run.stores where id != booking.company {
            #expect(await store.activeBookings().allSatisfy { $0.customer != World.lisa })
        }
    }

    @Test(
        "S4 give and take: policy A and B book at full price sharing nothing for marketing; C follows the person",
        arguments: [
            (Scenarios.MarketingPolicy.never, false), (.forAtLeast15Percent, false), (.askMe, true), (.askMe, false),
        ])
    func s4GiveAndTake(policy: Scenarios.MarketingPolicy, personSays: Bool) async throws {
        let (run, asked) = await Scenarios.giveAndTake(policy: policy, personSays: personSays)
        let booking = try #require(run.outcome.booking, "outcome: \(run.outcome)")
        let transcript = try #require(run.transcripts.first)
        let facts = PrivacyFacts(transcript: transcript)
        let tookDiscount = policy == .askMe && personSays
        #expect(asked == (policy == .askMe ? 1 : 0))
        #expect(booking.confirmation.price.amount == (tookDiscount ? 4050 : 4500))
        #expect(booking.confirmation.addOns == (tookDiscount ? ["newsletter-10"] : []))
        #expect(facts.disclosedFields == (tookDiscount ? [.givenName, .email] : [.givenName]))
        #expect(facts.grants.contains { $0.purpose == .marketing } == tookDiscount)
    }

    @Test("S7 hand-off: a colour treatment goes to a person with the context; the outcome is handed off, not an error")
    func s7Handoff() async throws {
        let run = await Scenarios.handoff()
        guard case .handedOff(let handoff) = run.outcome else {
            Issue.record("outcome: \(run.outcome)")
            return
        }
        #expect(handoff.reason == "needs-consultation")
        #expect(handoff.summary.contains("Colour treatment"))
        let transcript = try #require(run.transcripts.first)
        #expect(transcript.map(\.kind) == [.hello, .hello, .request, .handoff, .close])
        #expect(PrivacyFacts(transcript: transcript).disclosedFields.isEmpty)
    }
}
