import Parley

// The code of the article "How a session works" (Sources/Parley/Parley.docc/HowASessionWorks.md),
// compiled here and run by ArticleTests; ArticleCodeTests checks that each `// BEGIN DOCS`
// region stands in the article verbatim.

/// Two state machines, one per side, driven by hand: no agents, no transport, no clock.
enum SessionArticle {
    static func drive() throws -> (customer: SessionStateMachine, company: SessionStateMachine, sent: [Envelope]) {
        // BEGIN DOCS session-machines
        let now = Instant(rfc3339: "2026-04-30T09:00:00Z")!
        var customer = SessionStateMachine(
            role: .customer, session: "s-0001", local: "assistant.example/lisa", peer: "salon.example/bot")
        var company = SessionStateMachine(role: .company, session: "s-0001", local: "salon.example/bot", peer: nil)
        // END DOCS session-machines
        var sent: [Envelope] = []
        // BEGIN DOCS session-exchange
        /// Hands every envelope in `actions` to `receiver`; returns what it delivers to its agent.
        func transmit(_ actions: [SessionAction], to receiver: inout SessionStateMachine) -> [Message] {
            var delivered: [Message] = []
            for case .send(let envelope) in actions {
                sent.append(envelope)
                for case .deliver(let received) in receiver.messageReceived(envelope, now: now) {
                    delivered.append(received.message)
                }
            }
            return delivered
        }

        _ = customer.start(now: now)  // [.setTimer(.idle, at: …)]
        _ = company.start(now: now)
        _ = transmit(try customer.send(.hello(.init(role: .customer)), now: now), to: &company)
        _ = transmit(try company.send(.hello(.init(role: .company, name: "Salon Krause")), now: now), to: &customer)
        let window = TimeWindow(start: now.adding(minutes: 60), end: now.adding(minutes: 180))
        let request = transmit(try customer.send(.request(.init(service: "haircut", windows: [window])), now: now), to: &company)
        print(customer.phase, company.phase, request)  // requested requested [request(…)]

        // A message the table does not allow now is refused before anything is sent:
        do {
            _ = try customer.send(.request(.init(service: "haircut", windows: [window])), now: now)
        } catch {
            print(error.code)  // unexpected-message
        }
        // END DOCS session-exchange
        return (customer, company, sent)
    }
}
