import Testing

@testable import Parley

/// One token limit, `MAX_TOKEN_BYTES` (`Spec/PROTOCOL.md` §4.4, `Spec/CONSENT.md` §3.3).
@Suite("Token limit: one number for messages and verifiers")
struct TokenLimitTests {
    static func grantEnvelope(tokenLength: Int) -> [UInt8] {
        let grant = Message.ConsentGrant(
            request: "cr1", tokenID: "t-1", token: String(repeating: "A", count: tokenLength), fields: [.givenName], purpose: .booking,
            expiresAt: Fixtures.berlin(23), retentionDays: 30)
        let envelope = Envelope(
            id: "c6", session: Fixtures.session, from: Fixtures.customer, to: Fixtures.salon, sequence: 6, sentAt: Fixtures.now,
            message: .consentGrant(grant))
        return WireCodec().encode(envelope)
    }

    @Test("A grant whose token has exactly MAX_TOKEN_BYTES (22 000) characters decodes, as CONSENT.md §3.3 requires")
    func tokenAtTheLimitDecodes() throws {
        #expect(ProtocolLimits.maximumTokenBytes == 22_000 && ConsentToken.maximumTextLength == 22_000)
        let envelope = try WireCodec().decode(Self.grantEnvelope(tokenLength: 22_000))
        #expect(envelope.kind == .consentGrant)
    }

    @Test("One character more is invalid-field in a message and token-malformed alone, each saying the length and the limit")
    func tokenOverTheLimit() {
        do {
            _ = try WireCodec().decode(Self.grantEnvelope(tokenLength: 22_001))
            Issue.record("a 22 001-character token decoded")
        } catch {
            #expect(error.code == .invalidField)
            #expect(
                error.message.contains("22001") && error.message.contains("22000") && error.message.contains("body.token"),
                "\(error.message)")
        }
        do {
            _ = try ConsentToken(serialized: String(repeating: "A", count: 22_001))
            Issue.record("a 22 001-character token parsed")
        } catch {
            #expect(error.code == .tokenMalformed)
            #expect(error.message.contains("22001") && error.message.contains("22000"), "\(error.message)")
        }
    }
}
