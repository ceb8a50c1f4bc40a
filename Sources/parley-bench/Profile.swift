import Parley

extension Bench {
    /// Fixed work for an instruction-counting profiler (`valgrind --tool=callgrind`): no timing
    /// loop and no warm-up, so instruction counts divide evenly by `count`.
    ///
    /// - `negotiation`: `count` typed S1-shape negotiations on one agent pair.
    /// - `wire`: the same with every envelope through the JSON codec (the `wire` benchmark).
    /// - `binding`: the same with the company behind `CompanyHTTPBinding`, no sockets.
    /// - `consent`: `count` mints and `count` parse + verify of one token.
    /// - `session`: `count` idle sessions opened by a hello on one company agent.
    /// - `encode`: `count` creations of the `wire` benchmark's offer envelope, taking its bytes.
    static func profile(_ workload: String, count: Int) async -> String? {
        switch workload {
        case "negotiation":
            await negotiate(count: count, workers: 1, throughWire: false)
        case "wire":
            await negotiate(count: count, workers: 1, throughWire: true)
        case "binding":
            await negotiateThroughBinding(count: count)
        case "consent":
            let key = ConsentRootKey(bytes: Array(repeating: 7, count: 32))!
            let issuer = ConsentIssuer(agent: "assistant.example/lisa", rootKey: key)
            let scope = ConsentScope(
                audience: "salon.example/bot", purposes: [.booking], fields: [.givenName], expiry: now.adding(seconds: 86_400 * 30),
                retention: RetentionPeriod(days: 30))
            let use = ConsentUse(audience: "salon.example/bot", purpose: .booking, fields: [.givenName], at: now)
            let serialized = try! issuer.mint(id: "t-0123456789abcdef0123456789abcdef", scope: scope).serialized
            for _ in 0..<count { _ = try! issuer.mint(id: "t-0123456789abcdef0123456789abcdef", scope: scope) }
            for _ in 0..<count { _ = try! issuer.verify(serialized: serialized, for: use) }
        case "session":
            let company = company(limits: ServiceLimits(openSessionsPerPeer: count, openSessions: count))
            for index in 0..<count { _ = await company.handle(.envelope(hello(index)), now: now) }
            return "\(await company.storedSessionCount) sessions open"
        case "encode":
            let envelope = offerEnvelope()
            let codec = WireCodec()
            var total = 0
            for _ in 0..<count {
                let fresh = Envelope(
                    id: envelope.id, session: envelope.session, from: envelope.from, to: envelope.to, sequence: envelope.sequence,
                    acknowledged: envelope.acknowledged, inReplyTo: envelope.inReplyTo, sentAt: envelope.sentAt,
                    message: envelope.message)
                total += codec.encode(fresh).count
            }
            return "\(total) bytes"
        default:
            return nil
        }
        return "done"
    }
}

extension CompanyAgent {
    /// Sessions held in the agent's in-memory session store, open or finished.
    var storedSessionCount: Int {
        get async { await (sessionStore as? InMemorySessionStore)?.count ?? 0 }
    }
}
