import Parley

/// The cases run against a company peer; the suite plays the customer.
enum CompanyCases {
    static var all: [ConformanceCase] {
        framing + content + flows + consent + privacy + idempotency + errors + expiry + table + lifecycle
    }

    typealias Row = TransitionTable.Row
    static func rows(_ phase: SessionPhase, _ sender: Role, _ kind: Message.Kind, _ condition: TransitionTable.Condition? = nil) -> [Row] {
        TransitionTable.rows(phase, sender, kind, condition)
    }

    static func make(
        _ id: String, _ group: ConformanceCase.Group, _ title: String, _ spec: String, covers: [Row] = [], codes: [ParleyError.Code] = [],
        _ run: @escaping @Sendable (ConformanceContext) async throws -> Void
    ) -> ConformanceCase {
        ConformanceCase(id: id, group: group, title: title, specSection: spec, role: .company, covers: covers, codes: codes, run: run)
    }

    static let greeting = rows(.start, .customer, .hello) + rows(.greeting, .company, .hello)

    // MARK: Envelope and framing

    /// A line the peer cannot decode, built from a valid request envelope of the session.
    static func garbage(_ session: ScriptedSession, _ transform: (String) -> String) -> [UInt8] {
        // Put `session` first (so even a truncated prefix names it) and leave `seq` out (so nothing is consumed, §8).
        let text =
            "{\"session\":\"\(session.session)\",\"from\":\"\(session.local)\",\"to\":\"\(session.peer)\",\"parley\":1,\"id\":\"g-1\","
            + "\"sentAt\":\"\(session.now.rfc3339)\",\"type\":\"request\",\"body\":{\"service\":\"haircut-women\",\"windows\":[]}}"
        return Array(transform(text).utf8)
    }

    /// A line the peer cannot decode whose top-level `session` and `from` come last, after `padding`
    /// bytes and a member nested `depth` deep (§8: found wherever they stand).
    static func lateSessionGarbage(_ session: ScriptedSession, padding: Int, depth: Int) -> [UInt8] {
        let text =
            "{\"parley\":1,\"id\":\"g-2\",\"to\":\"\(session.peer)\",\"sentAt\":\"2026-04-30T09:00:00Z\",\"type\":\"request\","
            + "\"x-pad\":\"" + String(repeating: "a", count: padding) + "\",\"x-deep\":" + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + ",\"body\":{\"service\":\"haircut-women\",\"windows\":[]},"
            + "\"session\":\"\(session.session)\",\"from\":\"\(session.local)\"}"
        return Array(text.utf8)
    }

    static func decodeCase(
        _ id: String, _ title: String, _ spec: String, code: ParleyError.Code, line: @escaping @Sendable (ScriptedSession) -> [UInt8]
    )
        -> ConformanceCase
    {
        make(id, .framing, title, spec, covers: rows(.ready, .company, .error, .nonFatal), codes: [code]) { context in
            var session = try await context.greet()
            try await context.send(line: line(session))
            try await context.expectError(code, in: &session, answering: nil, what: "an undecodable line")
            try await context.expectProceeds(&session, what: "after '\(code)'")
        }
    }

    /// A decodable JSON object with a valid `seq` that still fails to decode: the peer consumes its `seq` (§8).
    static func envelopeCase(
        _ id: String, _ title: String, _ spec: String, code: ParleyError.Code, fatal: Bool = false,
        mutate: @escaping @Sendable ([String: JSONValue]) -> [String: JSONValue]
    ) -> ConformanceCase {
        make(id, .framing, title, spec, covers: rows(.ready, .company, .error, fatal ? .fatal : .nonFatal), codes: [code]) { context in
            var session = try await context.greet()
            let (messageID, sequence) = session.reserveSequence()
            let base = session.crafted(
                .request(.init(service: context.profile.service, windows: [context.profile.wideWindow])), id: messageID, sequence: sequence)
            guard case .object(let members) = base.json else { return }
            try await context.send(line: JSONText.encode(.object(mutate(members))))
            try await context.expectError(code, in: &session, answering: nil, what: "an invalid envelope")
            if fatal {
                try await context.expectEnded(&session, what: "after the fatal '\(code)'")
            } else {
                try await context.expectProceeds(&session, what: "after '\(code)'")
            }
        }
    }

    static var framing: [ConformanceCase] {
        [
            make("framing.hello", .framing, "a hello is answered with the company's hello", "PROTOCOL.md §5.1, §4.6", covers: greeting) {
                context in
                _ = try await context.greet()
            },
            make(
                "framing.crlf-and-empty-lines", .framing, "CRLF line ends and empty lines are accepted", "PROTOCOL.md §4.6",
                covers: greeting
            ) { context in
                var session = context.customerSession()
                let hello = session.envelope(.hello(.init(role: .customer)))
                try await context.send(line: [])
                try await context.send(line: WireCodec().encode(hello) + [0x0D])
                try await context.expect([.hello], in: &session, after: hello, what: "a hello ending in CRLF after an empty line")
            },
            decodeCase(
                "framing.malformed-json", "trailing data after the JSON value is malformed-json", "PROTOCOL.md §4.1, §4.5",
                code: .malformedJSON
            ) {
                garbage($0) { $0 + " trailing" }
            },
            decodeCase("framing.byte-order-mark", "a byte-order mark is malformed-json", "PROTOCOL.md §4.1", code: .malformedJSON) {
                [0xEF, 0xBB, 0xBF] + garbage($0) { $0 }
            },
            decodeCase("framing.invalid-utf8", "invalid UTF-8 is malformed-json", "PROTOCOL.md §4.1", code: .malformedJSON) {
                garbage($0) { $0.replacingOccurrences(of: "haircut-women", with: "haircut-\u{FFFD}") }.map { $0 == 0xEF ? 0xFF : $0 }
            },
            decodeCase("framing.duplicate-key", "a repeated member name is duplicate-key", "PROTOCOL.md §4.1", code: .duplicateKey) {
                garbage($0) { $0.replacingOccurrences(of: "\"type\":\"request\"", with: "\"type\":\"request\",\"type\":\"request\"") }
            },
            decodeCase("framing.too-deep", "nesting deeper than MAX_DEPTH is too-deep", "PROTOCOL.md §4.4", code: .tooDeep) {
                garbage($0) {
                    String($0.dropLast()) + ",\"x-deep\":" + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
                }
            },
            decodeCase(
                "framing.oversized-line", "a line over MAX_ENVELOPE_BYTES is too-large and reading resumes", "PROTOCOL.md §4.4, §4.6",
                code: .tooLarge
            ) {
                garbage($0) { String($0.dropLast()) + ",\"x-pad\":\"" + String(repeating: "a", count: 70_000) + "\"}" }
            },
            decodeCase(
                "framing.late-session-oversized", "a line over MAX_ENVELOPE_BYTES naming its session last is too-large in that session",
                "PROTOCOL.md §4.6, §8", code: .tooLarge
            ) { lateSessionGarbage($0, padding: 70_000, depth: 1) },
            decodeCase(
                "framing.late-session-deep", "a line nested 5,000 deep naming its session last is too-deep in that session",
                "PROTOCOL.md §4.4, §8", code: .tooDeep
            ) { lateSessionGarbage($0, padding: 8_000, depth: 5_000) },
            envelopeCase(
                "framing.unsupported-version", "an envelope of an unspoken version is unsupported-version (fatal)", "PROTOCOL.md §4.3, §8",
                code: .unsupportedVersion, fatal: true
            ) { $0.merging(["parley": .number(2)]) { $1 } },
            envelopeCase(
                "framing.unknown-type", "an unknown message type is unknown-message-type", "PROTOCOL.md §4.3", code: .unknownMessageType
            ) {
                $0.merging(["type": .string("x-unknown")]) { $1 }
            },
            envelopeCase(
                "framing.missing-field", "a body without a required member is missing-field", "PROTOCOL.md §4.5, §5.2", code: .missingField
            ) {
                $0.merging(["body": .object(["service": .string("haircut-women")])]) { $1 }
            },
            envelopeCase(
                "framing.invalid-field", "a member of the wrong type is invalid-field", "PROTOCOL.md §3.2, §4.5", code: .invalidField
            ) {
                $0.merging(["body": .object(["service": .string("haircut-women"), "windows": .string("tomorrow")])]) { $1 }
            },
            envelopeCase(
                "framing.fractional-integer", "a non-integer number where an integer is required is invalid-field", "PROTOCOL.md §3.2",
                code: .invalidField
            ) { members in
                var members = members
                if case .object(var body) = members["body"] {
                    body["partySize"] = .number(2.5)
                    members["body"] = .object(body)
                }
                return members
            },
            make(
                "framing.unknown-members-ignored", .framing, "unknown members are ignored for processing", "PROTOCOL.md §4.3",
                covers: rows(.ready, .customer, .request)
            ) { context in
                var session = try await context.greet()
                let request = session.envelope(.request(.init(service: context.profile.service, windows: [context.profile.wideWindow])))
                guard case .object(var members) = request.json, case .object(var body) = members["body"] else { return }
                body["x-future"] = .object(["anything": .array([.bool(true)])])
                members["body"] = .object(body)
                members["x-envelope-extension"] = .string("ignored")
                try await context.send(line: JSONText.encode(.object(members)))
                try await context.expect(
                    [.offer, .counterOffer, .question, .decline, .handoff], in: &session, after: request,
                    what: "a request with unknown members")
            },
        ]
    }

    // MARK: Errors

    static var errors: [ConformanceCase] {
        [
            make(
                "errors.unexpected-message", .errors, "a message the phase does not admit is unexpected-message; the phase is unchanged",
                "PROTOCOL.md §6", covers: rows(.ready, .company, .error, .nonFatal), codes: [.unexpectedMessage]
            ) { context in
                var session = try await context.greet()
                let accept = try await context.send(.accept(.init(proposal: "p-none")), in: &session, expectRejection: true)
                try await context.expectError(.unexpectedMessage, in: &session, answering: accept, what: "an accept in 'ready'")
                let reply = try await context.request(context.profile.service, in: context.profile.wideWindow, &session)
                try context.require([.offer, .counterOffer].contains(reply.kind), "the session did not go on after the error", reply)
            },
            make(
                "errors.misaddressed", .errors, "an envelope for another recipient is dropped without a reply in the session",
                "PROTOCOL.md §8", codes: [.misaddressed]
            ) { context in
                var session = try await context.greet()
                let (id, sequence) = session.reserveSequence()
                let envelope = Envelope(
                    id: id, session: session.session, from: session.local, to: "someone-else.example/bot", sequence: sequence,
                    sentAt: context.profile.now,
                    message: .request(.init(service: context.profile.service, windows: [context.profile.wideWindow])))
                try await context.send(envelope)
                if let reply = try await context.nextIfAny(in: &session, within: context.replyTimeout) {
                    throw ConformanceFailure(
                        "an envelope for another recipient was answered within the session ('\(reply.kind)'); it must be dropped",
                        envelope: reply)
                }
            },
            make(
                "errors.limit-exceeded", .errors,
                "MAX_ERRORS rejected messages are answered each with its error; the next fails the session with limit-exceeded naming it",
                "PROTOCOL.md §4.4, §8", covers: rows(.ready, .company, .error, .fatal), codes: [.limitExceeded]
            ) { context in
                var session = try await context.greet()
                for attempt in 1...8 {
                    let probe = try await context.send(.hello(.init(role: .customer)), in: &session, expectRejection: true)
                    try await context.expectError(
                        .unexpectedMessage, in: &session, answering: probe, what: "rejected message \(attempt) of MAX_ERRORS (8)")
                }
                let last = try await context.send(.hello(.init(role: .customer)), in: &session, expectRejection: true)
                let reply = try await context.expectError(
                    .limitExceeded, in: &session, answering: last, what: "the 9th rejected message (MAX_ERRORS is 8)")
                if case .error(let report) = reply.message {
                    try context.require(report.offending == last.id, "limit-exceeded does not name the 9th message in 'offending'", reply)
                }
                try await context.expectEnded(&session, what: "after limit-exceeded")
            },
            make(
                "errors.max-rounds", .errors, "the 17th negotiation round fails the session with limit-exceeded (MAX_ROUNDS is 16)",
                "PROTOCOL.md §4.4", codes: [.limitExceeded]
            ) { context in
                var session = try await context.reachOffered()
                for round in 2...16 {
                    let reply = try await context.request(context.profile.service, in: context.profile.wideWindow, &session, counter: true)
                    try context.require(
                        [.offer, .counterOffer].contains(reply.kind), "counter-request \(round) of 16 got '\(reply.kind)'", reply)
                }
                let window = context.profile.wideWindow
                let extra = try await context.send(
                    .counterRequest(.init(service: context.profile.service, windows: [window], preferredStart: window.start)), in: &session,
                    expectRejection: true)
                let reply = try await context.expectError(.limitExceeded, in: &session, answering: extra, what: "a 17th round")
                try await context.expectEnded(&session, what: "after a fatal limit-exceeded")
                _ = reply
            },
            make(
                "errors.peer-sessions", .errors,
                "a peer opening sessions without end is refused with limit-exceeded within 1,000, and its open sessions go on",
                "PROTOCOL.md §4.4 (agent limits)", codes: [.limitExceeded]
            ) { context in
                var first = try await context.greet()
                for index in 2...1000 {
                    var session = context.customerSession()
                    let hello = try await context.send(.hello(.init(role: .customer)), in: &session)
                    let reply = try await context.next(in: &session, after: hello)
                    switch reply.message {
                    case .hello:
                        continue
                    case .error(let report):
                        try context.require(
                            report.code == "limit-exceeded", "new session \(index) was refused with '\(report.code)', not limit-exceeded",
                            reply)
                        try context.require(
                            reply.inReplyTo == hello.id, "the refusal answers '\(reply.inReplyTo?.rawValue ?? "nothing")', not the hello",
                            reply)
                        context.note("refused session \(index) with \(report.code)")
                        // The sessions already open are not affected.
                        let question = try await context.send(
                            .question(.init(id: "cq1", topic: "parking", text: "Is there parking?")), in: &first)
                        try await context.expect([.answer], in: &first, after: question, what: "a question in a session opened earlier")
                        return
                    default:
                        throw ConformanceFailure("new session \(index): a hello got '\(reply.kind)'", envelope: reply)
                    }
                }
                throw ConformanceFailure("1,000 sessions from one peer on one connection were all opened: no MAX_PEER_SESSIONS bound")
            },
        ]
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
