import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// `Spec/CONSENT.md` §10.1: a company refuses a signed grant whose signature does not verify over
/// the consent statement it computes from the envelope, whatever member was changed.
@Suite("Signed consent grants")
struct SignedConsentTests {
    static let lisaKey = World.lisasSigningKey
    static let digest = String(repeating: "cd", count: 32)
    static let sentAt = Instant(secondsSinceEpoch: 1_777_539_600)

    static let grant = Message.ConsentGrant(
        request: "cr1", tokenID: "t-1", token: "AAAA", fields: [.givenName, .email], purpose: .booking,
        expiresAt: Instant(secondsSinceEpoch: 1_780_000_000), retentionDays: 30)

    static func signed(_ grant: Message.ConsentGrant = grant, key: SigningKey = lisaKey) -> Message.ConsentGrant {
        grant.signed(
            with: key, session: "s-1", customer: World.lisa, company: "salon.example/bot", grantedAt: sentAt, transcriptDigest: digest)
    }

    static func envelope(_ grant: Message.ConsentGrant, sentAt: Instant = sentAt, session: SessionID = "s-1") -> Envelope {
        Envelope(
            id: "c6", session: session, from: World.lisa, to: "salon.example/bot", sequence: 6, sentAt: sentAt,
            message: .consentGrant(grant))
    }

    static func screen(session: SessionID = "s-1", digest: String = digest) -> ConsentScreen {
        var transcript = TranscriptDigest()
        if digest != Self.digest {
            transcript.append(envelope(grant))  // any other transcript
        } else {
            // A digest whose hex is `digest`: decode the stored form.
            let bytes = (0..<32).map { _ in UInt8(0xcd) }
            let stored = (try? JSONEncoder().encode(["value": bytes])) ?? Data()
            transcript = (try? JSONDecoder().decode(TranscriptDigest.self, from: stored)) ?? TranscriptDigest()
        }
        return ConsentScreen(
            audience: "salon.example/bot", session: session, revocations: RevocationList(), grants: [:], now: sentAt, digest: transcript)
    }

    static func code(_ grant: Message.ConsentGrant, envelope: Envelope? = nil, screen: ConsentScreen = screen()) -> ParleyError.Code? {
        do {
            _ = try screen.proof(of: grant, in: envelope ?? Self.envelope(grant))
            return nil
        } catch {
            return error.code
        }
    }

    @Test("a correctly signed grant gives a consent receipt that verifies with Lisa's key")
    func good() throws {
        let grant = Self.signed()
        let proof = try #require(try Self.screen().proof(of: grant, in: Self.envelope(grant)))
        try proof.verify(with: Self.lisaKey.publicKey)
        #expect(proof.consent?.fields == [.email, .givenName])
        #expect(proof.consent?.transcriptDigest == Self.digest)
        #expect(try Self.screen().proof(of: Self.grant, in: Self.envelope(Self.grant)) == nil)  // unsigned: no proof, no error
    }

    @Test(
        "each signed member changed, another time, session or transcript, a wrong kid, no key, a truncated signature: consent-bad-signature"
    )
    func tampered() throws {
        let changes: [(String, @Sendable (inout Message.ConsentGrant) -> Void)] = [
            ("tokenId", { $0.tokenID = "t-2" }), ("fields", { $0.fields = [.givenName] }), ("purpose", { $0.purpose = .marketing }),
            ("expiresAt", { $0.expiresAt = $0.expiresAt.adding(seconds: 86_400) }), ("retentionDays", { $0.retentionDays = 3660 }),
            ("request", { $0.request = nil }),
            ("kid", { $0.signature?.keyID = "x" }),
            ("key", { $0.signature?.publicKey = World.salonSigningKey.publicKey.base64URL }),
            ("no key", { $0.signature?.publicKey = nil }),
            ("truncated", { $0.signature?.value.removeLast(4) }),
        ]
        for (name, change) in changes {
            var grant = Self.signed()
            change(&grant)
            #expect(Self.code(grant) == .consentBadSignature, "\(name)")
        }
        let grant = Self.signed()
        #expect(Self.code(grant, envelope: Self.envelope(grant, sentAt: Self.sentAt.adding(seconds: 1))) == .consentBadSignature)
        #expect(Self.code(grant, screen: Self.screen(session: "s-2")) == .consentBadSignature)
        #expect(Self.code(grant, screen: Self.screen(digest: "other")) == .consentBadSignature)
        #expect(Self.code(grant) == nil)
        #expect(!ParleyError.Code.consentBadSignature.isFatal)
    }
}
