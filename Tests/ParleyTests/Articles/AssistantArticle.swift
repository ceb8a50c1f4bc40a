import Parley

// The code of the article "Build a person's assistant"
// (Sources/Parley/Parley.docc/BuildAPersonsAssistant.md), compiled here and run by ArticleTests;
// ArticleCodeTests checks that each `// BEGIN DOCS` region stands in the article verbatim.

/// Lisa's assistant as the article builds it.
enum AssistantArticle {
    static func wishes() -> Wishes {
        // BEGIN DOCS assistant-wishes
        let berlin = LocalTime(timeZone: "Europe/Berlin")!
        let wishes = Wishes(
            service: "haircut",  // a category: the salon asks which haircut, and `answers` replies
            windows: [
                TimeWindow(
                    start: berlin.instant(year: 2026, month: 5, day: 5, hour: 10),
                    end: berlin.instant(year: 2026, month: 5, day: 5, hour: 12))
            ],
            preferredStart: berlin.instant(year: 2026, month: 5, day: 5, hour: 11),
            priceCeiling: Money(amount: 6000, currency: "EUR"),
            answers: ["service": "haircut-women"])
        // END DOCS assistant-wishes
        return wishes
    }

    static func policy() -> PrivacyPolicy {
        // BEGIN DOCS assistant-policy
        let policy = PrivacyPolicy(rules: [
            .booking: .init(fields: [.givenName, .phone], decision: .allow, maximumRetentionDays: 90),
            .marketing: .init(fields: [.email], decision: .ask, minimumDiscountPercent: 10),
        ])
        // END DOCS assistant-policy
        return policy
    }

    static func assistant(clock: any AgentClock, askThePerson: @escaping @Sendable (ApprovalRequest) async -> Bool) -> CustomerAgent {
        let (wishes, policy) = (wishes(), policy())
        // BEGIN DOCS assistant-create
        var generator = SystemRandomNumberGenerator()
        let consentKey = ConsentRootKey(using: &generator)  // store it safely: it signs every consent token

        let assistant = CustomerAgent(
            id: "assistant.example/lisa", wishes: wishes, policy: policy,
            personalData: [.givenName: "Lisa", .phone: "+49 30 1234567", .email: "lisa@example.org"],
            consentKey: consentKey,
            approval: { request in
                // Ask the person, e.g. with a notification: "Salon Krause offers 10 % off
                // if you allow marketing e-mail. Allow?"
                await askThePerson(request)
            },
            clock: clock)
        // END DOCS assistant-create
        return assistant
    }

    /// The assistant started again after its platform ended it: continues every open session
    /// from `store` and returns their outcomes.
    static func restart(
        store: any SessionStore, consentKey: ConsentRootKey, clock: any AgentClock, over transport: InProcessTransport
    ) async -> (CustomerAgent, [NegotiationOutcome]) {
        let (wishes, policy) = (wishes(), policy())
        let personalData: [DataField: String] = [.givenName: "Lisa", .phone: "+49 30 1234567", .email: "lisa@example.org"]
        // BEGIN DOCS assistant-restart
        // At launch: the same id, wishes, policy, data and consent key as before, and the same store.
        let assistant = CustomerAgent(
            id: "assistant.example/lisa", wishes: wishes, policy: policy, personalData: personalData,
            consentKey: consentKey, clock: clock, sessionStore: store)
        await assistant.connect(to: "salon.example/bot", over: transport)
        var outcomes: [NegotiationOutcome] = []
        // Receipts, bookings and revocations come back with the sessions; the open ones continue
        // where they were saved, and nothing is sent twice.
        for session in (try? await assistant.restoreSessions()) ?? [] {
            outcomes.append(await assistant.resume(session))
        }
        // END DOCS assistant-restart
        return (assistant, outcomes)
    }

    /// Books, and says in one sentence what happened.
    static func book(with assistant: CustomerAgent, over transport: InProcessTransport) async -> (NegotiationOutcome, String) {
        // BEGIN DOCS assistant-book
        await assistant.connect(to: "salon.example/bot", over: transport)
        let outcome = await assistant.book(at: "salon.example/bot")
        let sentence: String
        switch outcome {
        case .booked(let booking):
            sentence = "Booked \(booking.reference) on \(booking.confirmation.slot.start) for \(booking.confirmation.price)."
        case .noReservationNeeded(let text, _):
            sentence = text
        case .handedOff(let handoff):
            sentence = "A person will contact you by \(handoff.channel)."
        case .noAgreement(let reason):
            sentence = "No booking: \(reason.summary)."
        case .cancelled, .revocationDelivered:  // outcomes of cancelling and revoking, not of booking
            sentence = outcome.summary
        case .failed(let error):
            sentence = "Something went wrong (\(error.code))."
        }
        // END DOCS assistant-book
        return (outcome, sentence)
    }

    static func reschedule(_ booking: Booking, with assistant: CustomerAgent) async -> (NegotiationOutcome, NegotiationOutcome) {
        let berlin = LocalTime(timeZone: "Europe/Berlin")!
        // BEGIN DOCS assistant-reschedule
        let later = TimeWindow(
            start: berlin.instant(year: 2026, month: 5, day: 6, hour: 14),
            end: berlin.instant(year: 2026, month: 5, day: 6, hour: 17))
        let moved = await assistant.reschedule(booking, to: [later])
        // `moved` is `.booked` with the new slot, under the same reference; then, if plans change again:
        let cancelled = await assistant.cancel(moved.booking ?? booking)
        // END DOCS assistant-reschedule
        return (moved, cancelled)
    }

    static func revoke(_ booking: Booking, with assistant: CustomerAgent, clock: any AgentClock) async {
        // BEGIN DOCS assistant-revoke
        for grant in booking.grants {
            let told = await assistant.revoke(grant.tokenID, at: booking.company)
            if !told { print("revoked for this assistant, but the salon was not reached") }
        }
        for receipt in await assistant.receipts {
            print(receipt.tokenID, receipt.purposes, receipt.fields, receipt.status(at: clock.now))  // … revoked
        }
        // END DOCS assistant-revoke
    }
}
