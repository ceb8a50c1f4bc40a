import Parley
import ParleyCrypto

/// The `token` target. The input is tried twice: as token text (base64url), and as the binary
/// macaroon that the text encodes. A binary macaroon that parses re-serialises to the same bytes.
/// A token that parses:
/// - re-serialises to text that parses to the same token;
/// - verifies, or fails with a token error, against a fixed issuer key and use (the key and use
///   of the `s1` vectors in `Spec/vectors/consent.json`, so seeds from there verify);
/// - narrowed by a caveat the use satisfies, verifies with exactly the same result (narrowing
///   never widens, and a satisfied caveat changes nothing);
/// - narrowed by a caveat the use breaks, never verifies;
/// - has typed caveats whose text parses back to the same caveats.
enum TokenFuzzing {
    static let issuer = ConsentIssuer(
        agent: "lisa.example/assistant",
        rootKey: ConsentRootKey(hex: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")!,
        revocations: RevocationList(["tok-revoked"]))
    static let use = ConsentUse(
        audience: "salon.example/bot", purpose: "booking", fields: ["givenName"], at: Instant(rfc3339: "2026-05-03T10:00:00Z")!,
        session: "s1-2026-05-03", retention: RetentionPeriod(days: 30))
    /// The codes token parsing and verification may report (`CONSENT.md` §7).
    static let tokenCodes: Set<ParleyError.Code> = [
        .tokenMalformed, .tokenBadSignature, .tokenRevoked, .tokenUnknownCaveat, .tokenExpired, .tokenWrongAudience,
        .tokenWrongSession, .tokenPurposeNotAllowed, .tokenFieldNotCovered, .tokenRetentionExceeded,
    ]

    static func run(_ input: [UInt8]) {
        check(text: String(decoding: input, as: UTF8.self))
        if let macaroon = try? Macaroon(v2: input) {
            invariant(macaroon.serializedV2() == input, "a binary macaroon that parses does not re-serialise to the same bytes")
        }
        check(text: Base64URL.encode(input))
    }

    static func check(text: String) {
        let token: ConsentToken
        do {
            token = try ConsentToken(serialized: text)
        } catch {
            invariant(error.code == .tokenMalformed, "parsing a token failed with \(error.code), not token-malformed")
            return
        }
        check(token)
    }

    static func check(_ token: ConsentToken) {
        let canReparse = token.caveatTexts.count < 64 && token.serialized.utf8.count <= 16_000
        if canReparse {
            reparse(token)
        }
        // Typed caveats round-trip through their text.
        if let caveats = try? token.caveats() {
            for caveat in caveats {
                invariant((try? Caveat(parsing: caveat.text)) == caveat, "caveat '\(caveat.text)' does not parse back to itself")
            }
        }
        let result = outcome(token)
        let satisfied = token.attenuated(by: .purposes([use.purpose]))
        invariant(satisfied.id == token.id, "narrowing changed the token id")
        invariant(
            outcome(satisfied) == result,
            "adding a satisfied caveat changed the verification result from \(result.map(\.wireValue) ?? "ok")")
        let broken = token.attenuated(by: .audience("someone-else.example/bot"))
        invariant(outcome(broken) != nil, "a token narrowed to another audience still verifies for \(use.audience)")
        if canReparse && token.caveatTexts.count < 63 {
            reparse(satisfied)
        }
    }

    /// The token's text parses to the same token.
    static func reparse(_ token: ConsentToken) {
        do {
            let again = try ConsentToken(serialized: token.serialized)
            invariant(again == token, "re-serialised token parses to another token")
            invariant(again.serialized == token.serialized, "token serialisation is not idempotent")
            invariant(again.caveatTexts == token.caveatTexts, "caveats changed across a round trip")
        } catch {
            fatalError("fuzz invariant broken: a token's own serialisation does not parse: \(error)")
        }
    }

    /// `nil` when the token verifies for ``use``, else the error code.
    static func outcome(_ token: ConsentToken) -> ParleyError.Code? {
        do {
            try issuer.verify(token, for: use)
            return nil
        } catch {
            invariant(tokenCodes.contains(error.code), "verification failed with \(error.code), not a token error code")
            invariant(error.fault == .remote, "a token error is not the presenter's fault")
            return error.code
        }
    }
}
