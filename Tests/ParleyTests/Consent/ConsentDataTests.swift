import Parley
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Receipts, ledger and consent-checked data (S1, S6)")
struct ConsentDataTests {
    static let digest = ConsentReceipt.transcriptDigest(of: Array("transcript".utf8))

    @Test("S1 then S6: the salon reads the name for the booking; after revocation every read is refused")
    func s1ThenRevocation() throws {
        // Customer side: grant exactly givenName for booking, disclose only that.
        let scope = ConsentScope(
            audience: Fixture.salon, purposes: [.booking], fields: [.givenName], expiry: Fixture.expiry,
            retention: RetentionPeriod(days: 30))
        var issuer = Fixture.issuer
        let token = try issuer.mint(id: "tok-s1", scope: scope)
        let profile: [DataField: String] = [.givenName: "Lisa", .familyName: "Example", .phone: "+33600000000"]
        let disclosure = try scope.disclosure(of: [.givenName], from: profile)
        #expect(disclosure == [.givenName: "Lisa"])
        #expect(errorCode { _ = try scope.disclosure(of: [.givenName, .phone], from: profile) } == .tokenFieldNotCovered)

        // Both sides keep a receipt.
        let receipt = ConsentReceipt(
            tokenID: token.id, issuer: Fixture.customer, scope: scope, grantedAt: Fixture.grantedAt,
            transcriptDigest: Self.digest)
        var customerLedger = ConsentLedger()
        var salonLedger = ConsentLedger()
        customerLedger.record(receipt)
        salonLedger.record(receipt)
        #expect(salonLedger.status(of: token.id, at: Fixture.at) == .active)

        // Company side: reads go through ConsentedData.
        let data = try ConsentedData(values: disclosure, token: try ConsentToken(serialized: token.serialized), holder: Fixture.salon)
        #expect(try data.value(of: .givenName, for: .booking, at: Fixture.at, ledger: salonLedger) == "Lisa")
        #expect(errorCode { _ = try data.value(of: .phone, for: .booking, at: Fixture.at, ledger: salonLedger) } == .tokenFieldNotCovered)
        #expect(
            errorCode { _ = try data.value(of: .givenName, for: .marketing, at: Fixture.at, ledger: salonLedger) }
                == .tokenPurposeNotAllowed)
        #expect(errorCode { _ = try data.value(of: .givenName, for: .booking, at: Fixture.expiry, ledger: salonLedger) } == .tokenExpired)
        #expect(!"\(data)".contains("Lisa"))
        var dumped = ""
        dump(data, to: &dumped)
        #expect(!dumped.contains("Lisa"))

        // S6: the person revokes; both ledgers record it; the next use is refused on both sides.
        issuer.revoke(token.id)
        customerLedger.recordRevocation(of: token.id, at: Fixture.at.adding(minutes: 60))
        salonLedger.recordRevocation(of: token.id, at: Fixture.at.adding(minutes: 61))
        #expect(errorCode { _ = try data.value(of: .givenName, for: .booking, at: Fixture.at, ledger: salonLedger) } == .tokenRevoked)
        #expect(errorCode { try issuer.verify(token, for: Fixture.use(.booking, [.givenName], session: nil)) } == .tokenRevoked)
        #expect(salonLedger.status(of: token.id, at: Fixture.at.adding(minutes: 62)) == .revoked)
        #expect(customerLedger.receipt(for: token.id)?.revokedAt == Fixture.at.adding(minutes: 60))
        #expect(salonLedger.receipts.count == 1)
    }

    @Test("disclosed data outside the token is refused on arrival")
    func overDisclosure() throws {
        let token = try Fixture.token().attenuated(by: .fields([.givenName]))
        #expect(
            errorCode { _ = try ConsentedData(values: [.givenName: "Lisa", .phone: "+1"], token: token, holder: Fixture.salon) }
                == .tokenFieldNotCovered)
        let data = try ConsentedData(values: [.givenName: "Lisa"], token: Fixture.token(), holder: Fixture.salon, session: Fixture.session)
        #expect(errorCode { _ = try data.value(of: .phone, for: .booking, at: Fixture.at, ledger: ConsentLedger()) } == .missingField)
        #expect(data.disclosedFields == [.givenName])
    }

    @Test("receipt status: active, expired, revoked wins")
    func status() {
        var receipt = ConsentReceipt(
            tokenID: "t", issuer: Fixture.customer, scope: Fixture.scope, grantedAt: Fixture.grantedAt,
            transcriptDigest: Self.digest)
        #expect(receipt.status(at: Fixture.at) == .active)
        #expect(receipt.status(at: Fixture.expiry) == .expired)
        receipt.revokedAt = Fixture.at
        #expect(receipt.status(at: Fixture.expiry) == .revoked)
        #expect(Self.digest.count == 64 && Self.digest == Self.digest.lowercased())
        #expect(ConsentReceipt.transcriptDigest(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("a revocation recorded before its receipt still applies")
    func revocationFirst() {
        var ledger = ConsentLedger()
        ledger.recordRevocation(of: "t", at: Fixture.at)
        ledger.record(
            ConsentReceipt(
                tokenID: "t", issuer: Fixture.customer, scope: Fixture.scope, grantedAt: Fixture.grantedAt,
                transcriptDigest: Self.digest))
        #expect(ledger.status(of: "t", at: Fixture.at) == .revoked)
        #expect(ledger.isRevoked("t"))
        #expect(ledger.status(of: "unknown", at: Fixture.at) == nil)
    }

    @Test("receipts and ledgers are Codable with stable member names")
    func codable() throws {
        var ledger = ConsentLedger()
        let receipt = ConsentReceipt(
            tokenID: "t", issuer: Fixture.customer, scope: Fixture.scope, grantedAt: Fixture.grantedAt,
            transcriptDigest: Self.digest)
        ledger.record(receipt)
        ledger.recordRevocation(of: "t", at: Fixture.at)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(receipt), as: UTF8.self)
        #expect(json.contains(#""retention":"P30D""#) && json.contains(#""expiry":"2026-05-03T12:00:00Z""#))
        #expect(json.contains(#""purposes":["booking","reminder"]"#) && json.contains(#""fields":["givenName","phone"]"#))
        let decoded = try JSONDecoder().decode(ConsentLedger.self, from: try encoder.encode(ledger))
        #expect(decoded == ledger)
    }
}
