import Parley

extension CustomerCases {
    /// A key no customer trusts: the suite signs with it to play a company using a wrong key.
    static let strangerKey = SigningKey(seed: Array("parley conformance: stranger key".utf8))!  // 32 bytes: never nil

    /// One way a confirm's signature can fail to prove its terms, each a `confirm-bad-signature`.
    struct BadSignature: Sendable {
        /// The case id's last part.
        var name: String
        /// What is wrong, for the case title.
        var title: String
        /// The signature to put on the (correct) `confirm`, given the company's key.
        var make: @Sendable (_ confirm: Message.Confirm, _ session: ScriptedSession, _ key: SigningKey) -> MessageSignature?
    }

    /// The signature of `confirm` changed by `change` before signing: it covers another term than
    /// the one the confirm states.
    static func covering(_ term: TamperedTerm) -> BadSignature {
        BadSignature(name: "covers-other-\(term.name)", title: "a signature over \(term.title)") { confirm, session, key in
            var other = confirm
            guard let proposal = session.accepted else { return nil }
            term.change(&other, proposal)
            return other.signed(with: key, session: session.session, company: session.local, customer: session.peer).signature
        }
    }

    /// Every way a signature may not cover a correct confirm's terms.
    static var badSignatures: [BadSignature] {
        tamperedTerms.map(covering) + [
            BadSignature(name: "truncated", title: "a truncated signature") { confirm, session, key in
                guard
                    let good = confirm.signed(with: key, session: session.session, company: session.local, customer: session.peer).signature
                else { return nil }
                return MessageSignature(keyID: good.keyID, value: String(good.value.prefix(80)))
            },
            BadSignature(name: "other-session", title: "a signature made for another session") { confirm, session, key in
                confirm.signed(with: key, session: "another-session", company: session.local, customer: session.peer).signature
            },
            BadSignature(name: "other-customer", title: "a signature made for another customer") { confirm, session, key in
                confirm.signed(with: key, session: session.session, company: session.local, customer: "someone-else.example/bot").signature
            },
            BadSignature(name: "flipped-bit", title: "a signature with one bit flipped") { confirm, session, key in
                guard
                    let good = confirm.signed(with: key, session: session.session, company: session.local, customer: session.peer)
                        .signature,
                    var bytes = good.signature?.rawRepresentation
                else { return nil }
                bytes[5] ^= 0x10
                return MessageSignature(keyID: good.keyID, value: Signature(rawRepresentation: bytes)?.base64URL ?? good.value)
            },
        ]
    }

    /// Sends a correct confirm with the signature `signature` makes right after the customer
    /// accepts; the customer must fail the session with `code`.
    static func refused(
        _ context: ConformanceContext, _ code: ParleyError.Code, what: String,
        signature: @Sendable (Message.Confirm, ScriptedSession, SigningKey) -> MessageSignature?
    ) async throws {
        guard let key = context.profile.companySigningKey else {
            throw ConformanceSkip("the profile has no company signing key the customer trusts (companySigningKey)")
        }
        // Right after the accept: the confirm is admitted there (§6), and a customer that fails at
        // consent is not charged with a signature failure.
        var session = try await context.reachAccepted()
        guard let proposal = session.accepted else { throw ConformanceFailure("the customer accepted nothing") }
        var confirm = context.confirmation(of: proposal, digest: session.agreementDigest)
        confirm.signature = signature(confirm, session, key)
        let sent = try await context.send(.confirm(confirm), in: &session, expectRejection: true)
        try await context.expectError(code, in: &session, answering: sent, what: what)
        try await context.expectEnded(&session, what: "after \(code)")
    }

    /// `proof.customer.*`: a customer that trusts the company's key refuses, fatally, a confirm
    /// without a signature, one signed with another key, and one whose signature does not cover
    /// exactly the confirm it arrives with (`PROTOCOL.md` §5.7).
    static var signatures: [ConformanceCase] {
        let fatal = rows(.accepted, .customer, .error, .fatal)
        return [
            make(
                "proof.customer.confirm-unsigned", .content,
                "a correct but unsigned confirm from a company whose key the customer trusts is confirm-unsigned (fatal)",
                "PROTOCOL.md §5.7, §8", covers: fatal, codes: [.confirmUnsigned]
            ) { context in
                try await refused(context, .confirmUnsigned, what: "an unsigned confirm") { _, _, _ in nil }
            },
            make(
                "proof.customer.confirm-unknown-key", .content,
                "a correct confirm signed with a key the customer does not trust is confirm-unknown-key (fatal)",
                "PROTOCOL.md §5.7, §8", covers: fatal, codes: [.confirmUnknownKey]
            ) { context in
                try await refused(context, .confirmUnknownKey, what: "a confirm signed with another key") { confirm, session, _ in
                    confirm.signed(with: strangerKey, session: session.session, company: session.local, customer: session.peer).signature
                }
            },
            make(
                "proof.customer.confirm-stranger-key-trusted-kid", .content,
                "a confirm signed with another key but naming the trusted key's kid is confirm-bad-signature (fatal)",
                "PROTOCOL.md §5.7, §8", covers: fatal, codes: [.confirmBadSignature]
            ) { context in
                try await refused(context, .confirmBadSignature, what: "a forged signature under the trusted kid") {
                    confirm, session, key in
                    guard
                        let forged = confirm.signed(
                            with: strangerKey, session: session.session, company: session.local, customer: session.peer
                        )
                        .signature
                    else { return nil }
                    return MessageSignature(keyID: key.publicKey.keyID, value: forged.value)
                }
            },
        ]
            + badSignatures.map { bad in
                make(
                    "proof.customer.confirm-bad-signature.\(bad.name)", .content,
                    "a correct confirm carrying \(bad.title) is confirm-bad-signature (fatal)", "PROTOCOL.md §5.7, §8", covers: fatal,
                    codes: [.confirmBadSignature]
                ) { context in
                    try await refused(context, .confirmBadSignature, what: "a confirm carrying \(bad.title)", signature: bad.make)
                }
            }
    }
}
