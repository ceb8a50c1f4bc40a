import Foundation
import Testing

@testable import Parley

/// `Spec/vectors/signatures.json`, made with Python's `rfc8785` and `cryptography` packages
/// (`Spec/checks/make_signature_vectors.py`): Parley must build the same statements, make the same
/// signatures from the same seeds, and give every receipt the verdict the file expects.
@Suite("Signature vectors")
struct SignatureVectorTests {
    static func vectors() throws -> [String: JSONValue] {
        let bytes = Array(try Repository.data("Spec/vectors/signatures.json"))
        guard case .object(let members) = try JSONParser.parse(bytes, limits: WireLimits(maximumBytes: 1 << 22, maximumDepth: 32)) else {
            throw ParleyError(.malformedJSON, "signatures.json is not an object")
        }
        return members
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    static func objects(_ value: JSONValue?) -> [[String: JSONValue]] {
        guard case .array(let items) = value else { return [] }
        return items.compactMap { if case .object(let members) = $0 { members } else { nil } }
    }

    @Test("statements and signatures: Parley's equal the independent ones, byte for byte")
    func signing() throws {
        let cases = Self.objects(try Self.vectors()["signing"])
        #expect(cases.count >= 4)
        for vector in cases {
            let name = Self.string(vector["name"]) ?? "?"
            let key = try #require(SigningKey(seedHex: Self.string(vector["seed"]) ?? ""), "\(name)")
            #expect(key.publicKey.hex == Self.string(vector["publicKey"]))
            #expect(key.publicKey.keyID == Self.string(vector["kid"]))
            let session = SessionID(rawValue: Self.string(vector["session"]) ?? "")!
            let company = AgentID(rawValue: Self.string(vector["company"]) ?? "")!
            let customer = AgentID(rawValue: Self.string(vector["customer"]) ?? "")!
            let body = try #require(vector["body"])
            let statement: JSONValue
            let signature: MessageSignature?
            switch Self.string(vector["kind"]) {
            case "confirm":
                statement = SignedStatement.confirm(body: body, session: session, company: company, customer: customer)
                // Through the typed path too, when the body has no unknown members.
                let confirm = try Message.Confirm(json: body, path: "body")
                if confirm.json == body {
                    signature = confirm.signed(with: key, session: session, company: company, customer: customer).signature
                } else {
                    signature = MessageSignature(signing: statement, with: key, includingKey: false)
                }
            case "consent":
                let grant = try Message.ConsentGrant(json: body, path: "body")
                let grantedAt = try #require(Instant(rfc3339: Self.string(vector["grantedAt"]) ?? ""))
                let digest = try #require(Self.string(vector["transcriptDigest"]))
                statement = SignedStatement.consent(
                    grant, session: session, customer: customer, company: company, grantedAt: grantedAt, transcriptDigest: digest)
                signature =
                    grant.signed(
                        with: key, session: session, customer: customer, company: company, grantedAt: grantedAt, transcriptDigest: digest
                    ).signature
            default:
                Issue.record("unknown kind in \(name)")
                continue
            }
            #expect(CanonicalJSON.canonicalText(statement) == Self.string(vector["statement"]), "\(name)")
            #expect(signature?.value == Self.string(vector["signature"]), "\(name)")
            #expect(signature?.keyID == key.publicKey.keyID)
        }
    }

    @Test("the signed confirm and grant decode, and a customer and a company accept them")
    func signedMessages() throws {
        let vectors = try Self.vectors()
        let confirm = try Message.Confirm(json: try #require(vectors["signedConfirm"]), path: "body")
        let envelope = Envelope(
            id: "k6", session: "s-910a2dec89025cc1beeb8da1658eec67", from: "salon.example/bot", to: "assistant.example/lisa",
            sequence: 6, sentAt: Instant(secondsSinceEpoch: 0), message: .confirm(confirm))
        let salon = try #require(PublicSigningKey(hex: "88773b4b5e3e639c87828c886c866a383cf41975bc307573cf8f2fdc4399c127"))
        let receipt = try #require(try SignedReceipt.booking(from: envelope, trusting: [salon]))
        try receipt.verify(with: salon)
        let grant = try Message.ConsentGrant(json: try #require(vectors["signedGrant"]), path: "body")
        #expect(grant.signature?.carriedKey?.keyID == grant.signature?.keyID)
        #expect(grant.json == vectors["signedGrant"])
    }

    @Test("every receipt gets the expected verdict")
    func verify() throws {
        let cases = Self.objects(try Self.vectors()["verify"])
        #expect(cases.count >= 20)
        for vector in cases {
            let name = Self.string(vector["name"]) ?? "?"
            let key = try #require(PublicSigningKey(hex: Self.string(vector["publicKey"]) ?? ""), "\(name)")
            let expected = Self.string(vector["expect"])
            let got: String
            do {
                let receipt = try SignedReceipt(document: try #require(vector["receipt"]))
                try receipt.verify(with: key)
                got = "valid"
            } catch let error as ParleyError {
                got = error.code.wireValue
            }
            #expect(got == expected, "\(name)")
        }
    }
}
