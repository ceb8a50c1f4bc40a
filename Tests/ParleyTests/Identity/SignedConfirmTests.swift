import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// `Spec/PROTOCOL.md` §5.7: a company signs its confirms; a customer that trusts its key refuses
/// an unsigned confirm, one signed with another key, and one whose signature does not cover
/// exactly what it states; the booking keeps a receipt anyone can verify offline.
@Suite("Signed confirms and booking receipts")
struct SignedConfirmTests {
    static let salonKey = World.salonSigningKey
    static let strangerKey = SigningKey(seed: Array("parley conformance: stranger key".utf8))!
    static let session: SessionID = "s-signed"

    /// The S1 confirmation, unsigned.
    static let confirm = Message.Confirm(
        booking: "B-1", status: .booked, proposal: "p3", service: "haircut-women",
        slot: Slot(start: Instant(rfc3339: "2026-05-03T08:00:00Z")!, end: Instant(rfc3339: "2026-05-03T08:45:00Z")!),
        timeZone: "Europe/Berlin", price: Money(amount: 4500, currency: "EUR"),
        cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: nil), addOns: [], location: "Hauptstraße 1, 10827 Berlin",
        heldFor: "Lisa", revision: 0, agreementDigest: String(repeating: "ab", count: 32))

    /// The envelope a salon would send carrying `confirm`.
    static func envelope(_ confirm: Message.Confirm, session: SessionID = session, to customer: AgentID = World.lisa) -> Envelope {
        Envelope(
            id: "k6", session: session, from: "salon.example/bot", to: customer, sequence: 6, acknowledged: 7,
            sentAt: Instant(secondsSinceEpoch: 1_777_539_600), message: .confirm(confirm))
    }

    static func signed(_ confirm: Message.Confirm, key: SigningKey = salonKey, session: SessionID = session) -> Message.Confirm {
        confirm.signed(with: key, session: session, company: "salon.example/bot", customer: World.lisa)
    }

    /// Every term a confirm states, each changed after signing.
    static let tamperings: [(String, @Sendable (inout Message.Confirm) -> Void)] = [
        ("booking", { $0.booking = "B-2" }), ("status", { $0.status = .rescheduled }), ("proposal", { $0.proposal = "p4" }),
        ("service", { $0.service = "haircut-men" }),
        ("slot", { $0.slot = Slot(start: $0.slot.start.adding(minutes: 60), end: $0.slot.end.adding(minutes: 60)) }),
        ("timeZone", { $0.timeZone = "UTC" }), ("price", { $0.price = Money(amount: 450, currency: "EUR") }),
        ("cancellation", { $0.cancellation = CancellationPolicy(freeUntilMinutesBefore: 0, fee: Money(amount: 4500, currency: "EUR")) }),
        ("addOns", { $0.addOns = ["newsletter-10"] }), ("location", { $0.location = nil }), ("heldFor", { $0.heldFor = "Mallory" }),
        ("revision", { $0.revision = 1 }), ("fee", { $0.fee = Money(amount: 1, currency: "EUR") }),
        ("agreementDigest", { $0.agreementDigest = String(repeating: "0", count: 64) }),
    ]

    @Test("a confirm signed by the trusted key gives a receipt that verifies with the salon's key, and only with it")
    func goodSignature() throws {
        let receipt = try #require(
            try SignedReceipt.booking(from: Self.envelope(Self.signed(Self.confirm)), trusting: [Self.salonKey.publicKey]))
        #expect(receipt.kind == .booking)
        #expect(receipt.confirmation == Self.confirm)
        #expect(receipt.publicKey == Self.salonKey.publicKey)
        #expect(try receipt.verify(with: Self.salonKey.publicKey) == Self.salonKey.publicKey)
        #expect(throws: ParleyError.self) { try receipt.verify(with: Self.strangerKey.publicKey) }
        // Its document round-trips.
        let again = try SignedReceipt(json: Array(receipt.jsonText.utf8))
        #expect(again == receipt)
        try again.verify(with: Self.salonKey.publicKey)
    }

    @Test("each term changed after signing is confirm-bad-signature", arguments: 0..<14)
    func tamperedTerm(index: Int) throws {
        let (name, change) = Self.tamperings[index]
        var confirm = Self.signed(Self.confirm)
        change(&confirm)
        #expect(confirm != Self.signed(Self.confirm), "\(name) did not change")
        #expect(Self.code(Self.envelope(confirm)) == .confirmBadSignature, "\(name)")
    }

    /// The code a customer trusting the salon's key refuses `envelope` with; `nil` when it accepts it.
    static func code(_ envelope: Envelope) -> ParleyError.Code? {
        do {
            _ = try SignedReceipt.booking(from: envelope, trusting: [salonKey.publicKey])
            return nil
        } catch {
            return error.code
        }
    }

    @Test("unsigned, unknown kid, forged under the trusted kid, truncated, other session or customer: each refused with its code")
    func refusals() throws {
        #expect(Self.code(Self.envelope(Self.confirm)) == .confirmUnsigned)
        #expect(Self.code(Self.envelope(Self.signed(Self.confirm, key: Self.strangerKey))) == .confirmUnknownKey)
        var forged = Self.signed(Self.confirm, key: Self.strangerKey)
        forged.signature?.keyID = Self.salonKey.publicKey.keyID
        #expect(Self.code(Self.envelope(forged)) == .confirmBadSignature)
        var truncated = Self.signed(Self.confirm)
        truncated.signature?.value.removeLast(6)
        #expect(Self.code(Self.envelope(truncated)) == .confirmBadSignature)
        var empty = Self.signed(Self.confirm)
        empty.signature?.value = "AA"
        #expect(Self.code(Self.envelope(empty)) == .confirmBadSignature)
        #expect(Self.code(Self.envelope(Self.signed(Self.confirm), session: "s-other")) == .confirmBadSignature)
        #expect(Self.code(Self.envelope(Self.signed(Self.confirm), to: "mallory.example/bot")) == .confirmBadSignature)
        #expect(Self.code(Self.envelope(Self.signed(Self.confirm))) == nil)
        for refused in [ParleyError.Code.confirmUnsigned, .confirmUnknownKey, .confirmBadSignature] { #expect(refused.isFatal) }
    }

    @Test("with no trusted key, unsigned confirms are accepted without a receipt, signed ones give an unverified receipt")
    func noTrustedKey() throws {
        #expect(try SignedReceipt.booking(from: Self.envelope(Self.confirm), trusting: []) == nil)
        let receipt = try #require(try SignedReceipt.booking(from: Self.envelope(Self.signed(Self.confirm)), trusting: []))
        #expect(receipt.publicKey == nil)
        #expect(throws: ParleyError.self) { try receipt.verify() }
        try receipt.verify(with: Self.salonKey.publicKey)
    }

    @Test("the signature covers members the receiver does not know: one added in flight fails it")
    func unknownMembersAreCovered() throws {
        let signed = Self.signed(Self.confirm)
        var json = Self.envelope(signed).json
        guard case .object(var members) = json, case .object(var body) = members["body"] else { Issue.record("not an object"); return }
        body["x-loyalty"] = .number(45)
        members["body"] = .object(body)
        json = .object(members)
        let envelope = try Envelope(json: json)
        #expect(Self.code(envelope) == .confirmBadSignature)
    }

    @Test("S1 with signing: the booking receipt verifies with the salon's key; the salon holds Lisa's signed consent")
    func s1() async throws {
        let run = await Scenarios.haircut(stage: Stage())
        let booking = try #require(run.outcome.booking)
        let receipt = try #require(booking.receipt)
        try receipt.verify(with: World.salonSigningKey.publicKey)
        var unsigned = booking.confirmation
        unsigned.signature = nil
        #expect(receipt.confirmation == unsigned)
        #expect(receipt.session == booking.session && receipt.company == booking.company && receipt.customer == World.lisa)

        // The booking, receipt included, survives being stored as JSON.
        let stored = try JSONDecoder().decode(Booking.self, from: JSONEncoder().encode(booking))
        #expect(stored == booking)
        try #require(stored.receipt).verify(with: World.salonSigningKey.publicKey)

        let salon = try #require(run.companies[booking.company])
        let proofs = await salon.signedConsentReceipts
        #expect(proofs.count == 1)
        let proof = try #require(proofs.first)
        try proof.verify(with: World.lisasSigningKey.publicKey)
        let consent = try #require(proof.consent)
        #expect(consent.fields == [.givenName] && consent.purpose == .booking && consent.retentionDays == 30)
        #expect(booking.grants.map(\.tokenID) == [consent.tokenID])
        // Both sides hold the same signed statement.
        let lisa = await run.customer.signedConsentReceipts
        #expect(lisa == proofs)
    }

    @Test("grants riding on the accept are signed over the digest before the accept; the salon verifies and keeps them")
    func signedGrantsOnTheAccept() async throws {
        let stage = Stage()
        let lisa = stage.lisa(wishes: Scenarios.haircutWishes(on: stage.day), discloseWithAcceptance: true)
        let run = await Scenarios.book(at: Salons.salon(on: stage.day), customer: lisa, stage: stage)
        let booking = try #require(run.outcome.booking)
        try #require(booking.receipt).verify(with: World.salonSigningKey.publicKey)
        let transcript = try #require(run.transcripts.first)
        let accept = try #require(transcript.first { $0.kind == .accept })
        guard case .accept(let body) = accept.message else { return }
        #expect(body.grants.count == 1 && body.grants.allSatisfy { $0.signature != nil })
        let proofs = await run.companies[booking.company]?.signedConsentReceipts ?? []
        #expect(proofs.count == 1)
        for proof in proofs {
            try proof.verify(with: World.lisasSigningKey.publicKey)
            #expect(proof.consent?.grantedAt == accept.sentAt)
        }
        #expect(await lisa.signedConsentReceipts == proofs)
    }

    @Test("a customer that trusts the salon's key fails the session when the salon signs nothing or with another key")
    func agentRefusesWrongKeys() async throws {
        for (key, expected) in [(nil, ParleyError.Code.confirmUnsigned), (Self.strangerKey, .confirmUnknownKey)]
            as [(SigningKey?, ParleyError.Code)]
        {
            let stage = Stage()
            let lisa = stage.lisa(wishes: Scenarios.haircutWishes(on: stage.day))
            let run = await Scenarios.book(
                at: Salons.salon(
                    bookings: Salons.s1Bookings(on: stage.day), openingHours: [stage.day.window(from: (9, 0), to: (18, 0))], signingKey: key
                ),
                customer: lisa, stage: stage)
            guard case .failed(let error) = run.outcome else {
                Issue.record("expected a failure with \(expected), got \(run.outcome.summary)")
                continue
            }
            #expect(error.code == expected)
            #expect(await lisa.bookings.isEmpty)
        }
    }

    @Test("without keys on either side, S1 books as before and the booking has no receipt")
    func noKeys() async throws {
        let stage = Stage()
        let lisa = CustomerAgent(
            id: World.lisa, wishes: Scenarios.haircutWishes(on: stage.day), policy: World.bookingOnlyPolicy,
            personalData: World.lisasData, consentKey: World.lisasKey, clock: stage.clock, seed: 1)
        let run = await Scenarios.book(
            at: Salons.salon(
                bookings: Salons.s1Bookings(on: stage.day), openingHours: [stage.day.window(from: (9, 0), to: (18, 0))], signingKey: nil),
            customer: lisa, stage: stage)
        let booking = try #require(run.outcome.booking)
        #expect(booking.receipt == nil && booking.confirmation.signature == nil)
        #expect(booking.grants.allSatisfy { $0.signature == nil })
        #expect(await run.companies[booking.company]?.signedConsentReceipts.isEmpty == true)
    }
}
