import Parley

extension CustomerCases {
    /// One term of a confirm changed from the agreed one (`Spec/PROTOCOL.md` §5.6, §7).
    struct TamperedTerm: Sendable {
        /// The case id's last part.
        var name: String
        /// What the change is, for the case title.
        var title: String
        /// Changes the term in an otherwise correct confirm of `proposal`.
        var change: @Sendable (inout Message.Confirm, Proposal) -> Void
    }

    /// Every term a `confirm` restates, each changed alone.
    static let tamperedTerms: [TamperedTerm] = [
        TamperedTerm(name: "price", title: "another price") { confirm, proposal in
            confirm.price = Money(amount: proposal.price.amount + 5000, currency: proposal.price.currency)
        },
        TamperedTerm(name: "cancellation", title: "other cancellation terms (never free, a fee)") { confirm, proposal in
            confirm.cancellation = CancellationPolicy(freeUntilMinutesBefore: 525_600, fee: proposal.price)
        },
        TamperedTerm(name: "add-ons", title: "an add-on never accepted") { confirm, _ in confirm.addOns = ["x-unaccepted"] },
        TamperedTerm(name: "location", title: "another location") { confirm, _ in confirm.location = "Elsewhere 9, Potsdam" },
        TamperedTerm(name: "time-zone", title: "another time zone") { confirm, proposal in
            confirm.timeZone = proposal.timeZone == "America/New_York" ? "Europe/Berlin" : "America/New_York"
        },
        TamperedTerm(name: "service", title: "another service") { confirm, proposal in confirm.service = proposal.service + "-x" },
        TamperedTerm(name: "duration", title: "a slot seven days long") { confirm, proposal in
            confirm.slot = Slot(start: proposal.slot.start, end: proposal.slot.start.adding(seconds: 7 * 86_400))
        },
        TamperedTerm(name: "revision", title: "a revision other than 0 on a new booking") { confirm, _ in confirm.revision = 4 },
        TamperedTerm(name: "fee", title: "a cancellation fee on a new booking") { confirm, proposal in confirm.fee = proposal.price },
    ]

    /// `content.customer.confirm-terms.*`: after accepting and disclosing, a confirm with the right
    /// proposal and agreement digest but one term changed is agreement-mismatch, and ends the session.
    static var terms: [ConformanceCase] {
        tamperedTerms.map { term in
            make(
                "content.customer.confirm-terms.\(term.name)", .content,
                "a confirm with the right digest but \(term.title) is agreement-mismatch (fatal)", "PROTOCOL.md §5.6, §7",
                covers: rows(.accepted, .customer, .error, .fatal), codes: [.agreementMismatch]
            ) { context in
                var (session, _, _) = try await context.reachDisclosed()
                guard let proposal = session.accepted else { throw ConformanceFailure("the customer accepted nothing") }
                var confirm = context.confirmation(of: proposal, digest: session.agreementDigest)
                term.change(&confirm, proposal)
                confirm = context.signed(confirm, in: session)  // a valid signature: only the term is wrong
                let sent = try await context.send(.confirm(confirm), in: &session, expectRejection: true)
                try await context.expectError(.agreementMismatch, in: &session, answering: sent, what: "a confirm with \(term.title)")
            }
        }
    }
}
