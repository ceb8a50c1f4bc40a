import Parley

extension CompanyCases {
    // MARK: What a company keeps of sessions and bookings

    static var lifecycle: [ConformanceCase] {
        [
            make(
                "errors.rejected-opening-keeps-no-state", .errors,
                "rejected first envelopes keep no state: 20 of them on one connection do not lock out the next hello",
                "PROTOCOL.md §4.4 (agent limits), §6", covers: rows(.start, .company, .error, .nonFatal), codes: [.unexpectedMessage]
            ) { context in
                for index in 1...20 {
                    var junk = context.customerSession()
                    let sent = try await context.send(
                        .request(.init(service: context.profile.service, windows: [context.profile.wideWindow])), in: &junk,
                        expectRejection: true)
                    try await context.expectError(
                        .unexpectedMessage, in: &junk, answering: sent, what: "a request opening session \(index) without a hello")
                }
                _ = try await context.greet()
            },
            make(
                "idempotency.new-session-same-ids", .idempotency,
                "a new session reusing an ended session's ids gets fresh processing, not that session's replies",
                "PROTOCOL.md §5.5", covers: greeting + rows(.ready, .customer, .close)
            ) { context in
                var first = try await context.greet()
                try await context.send(.close(.init(outcome: "done")), in: &first)
                // A customer restarted with the same ids: same session, same message ids, a later sentAt.
                var again = ScriptedSession(
                    role: .customer, session: first.session, local: first.local, peer: first.peer, now: first.now.adding(seconds: 60))
                let hello = again.envelope(.hello(.init(role: .customer)))
                try await context.send(hello)
                try await context.expect([.hello], in: &again, after: hello, what: "a hello opening a new session under an ended one's id")
                let reply = try await context.request(context.profile.service, in: context.profile.wideWindow, &again)
                try context.require(
                    [.offer, .counterOffer, .decline, .question].contains(reply.kind),
                    "the new session's request got '\(reply.kind)': it was answered from the ended session", reply)
            },
            make(
                "flow.cancel-cancelled", .flow, "cancelling a booking that is already cancelled is declined with already-cancelled",
                "PROTOCOL.md §5.2, §7", covers: rows(.ready, .customer, .cancel) + rows(.cancelling, .company, .decline)
            ) { context in
                var (session, confirm) = try await context.reachBooked()
                var cancel = try await context.send(.cancel(.init(booking: confirm.booking)), in: &session)
                try await context.expect([.confirm], in: &session, after: cancel, what: "cancelling the booking")
                cancel = try await context.send(.cancel(.init(booking: confirm.booking)), in: &session)
                let reply = try await context.expect([.decline], in: &session, after: cancel, what: "cancelling it again")
                if case .decline(let decline) = reply.message {
                    try context.require(
                        decline.reason == "already-cancelled",
                        "a second cancel is declined with '\(decline.reason)', not 'already-cancelled'",
                        reply)
                }
            },
        ]
    }
}
