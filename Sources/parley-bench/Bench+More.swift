import Foundation
import Parley
import ParleyScenarios

extension Bench {
    /// Encode and decode per message: Parley's wire codec vs Foundation's JSONEncoder/JSONDecoder defaults.
    static func codecComparison() async -> [String] {
        let envelope = offerEnvelope()
        let codec = WireCodec()
        let bytes = codec.encode(envelope)
        // An envelope computes its canonical bytes when it is created, so Parley's encode is
        // measured as creating the envelope from its typed message and taking its bytes. Foundation
        // encodes the same envelope's JSON tree (what `Envelope.encode(to:)` writes), built beforehand.
        let tree = envelope.json
        let foundationBytes = try! JSONEncoder().encode(tree)
        let count = 20_000
        var lines = ["sample: an offer envelope of \(bytes.count) bytes (canonical)"]
        let ourEncode = await Measurement.run("Parley encode (create envelope, canonical RFC 8785)", unit: "msg/s", count: count) {
            for _ in 0..<count {
                let fresh = Envelope(
                    id: envelope.id, session: envelope.session, from: envelope.from, to: envelope.to, sequence: envelope.sequence,
                    acknowledged: envelope.acknowledged, inReplyTo: envelope.inReplyTo, sentAt: envelope.sentAt,
                    message: envelope.message)
                _ = codec.encode(fresh)
            }
        }
        let foundationEncode = await Measurement.run("Foundation JSONEncoder encode (defaults)", unit: "msg/s", count: count) {
            for _ in 0..<count { _ = try! JSONEncoder().encode(tree) }
        }
        let ourDecode = await Measurement.run("Parley decode (strict, typed)", unit: "msg/s", count: count) {
            for _ in 0..<count { _ = try! codec.decode(bytes) }
        }
        let foundationDecode = await Measurement.run("Foundation JSONDecoder decode (defaults)", unit: "msg/s", count: count) {
            for _ in 0..<count { _ = try! JSONDecoder().decode(Envelope.self, from: foundationBytes) }
        }
        lines += [ourEncode.line, foundationEncode.line, ourDecode.line, foundationDecode.line]
        lines.append(
            String(
                format: "per message: Parley encode %.2f µs vs Foundation %.2f µs (%.1f×); decode %.2f µs vs %.2f µs (%.1f×); target ≥ 5×",
                1e6 / ourEncode.median, 1e6 / foundationEncode.median, ourEncode.median / foundationEncode.median,
                1e6 / ourDecode.median, 1e6 / foundationDecode.median, ourDecode.median / foundationDecode.median))
        return lines
    }

    /// The sample for the encode and decode comparison: an offer of one proposal.
    static func offerEnvelope() -> Envelope {
        let proposal = Proposal(
            id: "p2", service: "haircut-women", slot: Slot(start: ten, end: ten.adding(minutes: 45)), timeZone: "Europe/Berlin",
            price: Money(amount: 4500, currency: "EUR"), cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: nil),
            requires: [Salons.nameForBooking], expiresAt: now.adding(minutes: 15), location: "Hauptstraße 1, 10827 Berlin")
        return Envelope(
            id: "k4", session: "s-6b7f2c1d9e8a4f3b", from: "salon.example/bot", to: "assistant.example/lisa", sequence: 4,
            acknowledged: 3, inReplyTo: "c3", sentAt: now, message: .offer(.init(proposals: [proposal])))
    }

    /// Mint, narrow, serialise, parse + verify.
    static func consent() -> [String] {
        let key = ConsentRootKey(bytes: Array(repeating: 7, count: 32))!
        let issuer = ConsentIssuer(agent: "assistant.example/lisa", rootKey: key)
        let scope = ConsentScope(
            audience: "salon.example/bot", purposes: [.booking], fields: [.givenName], expiry: now.adding(seconds: 86_400 * 30),
            retention: RetentionPeriod(days: 30))
        let token = try! issuer.mint(id: "t-0123456789abcdef0123456789abcdef", scope: scope)
        let serialized = token.serialized
        let use = ConsentUse(audience: "salon.example/bot", purpose: .booking, fields: [.givenName], at: now)
        let count = 20_000
        func measure(_ name: String, _ body: () -> Void) -> String {
            var rates: [Double] = []
            for round in 0..<6 {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<count { body() }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if round > 0 { rates.append(Double(count) / seconds) }
            }
            return Measurement(name: name, unit: "ops/s", rates: rates).line
        }
        return [
            measure("mint (4 caveats + retention)") { _ = try! issuer.mint(id: "t-0123456789abcdef0123456789abcdef", scope: scope) },
            measure("narrow (add a fields caveat)") { _ = token.attenuated(by: .fields([.givenName])) },
            measure("serialise (v2 binary, base64url)") { _ = token.serialized },
            measure("parse + verify") { _ = try! issuer.verify(serialized: serialized, for: use) },
        ]
    }

    /// Opens `count` sessions (customer hello answered by the company) and leaves them idle.
    ///
    /// All hellos come from one customer id, so the per-peer limit is raised to `count`: with the
    /// default of 16 the agent would refuse the rest, and this would measure refusals.
    static func idleSessions(_ count: Int) async -> String {
        let company = company(limits: ServiceLimits(openSessionsPerPeer: count, openSessions: count))
        let before = residentBytes()
        for index in 0..<count {
            _ = await company.handle(.envelope(hello(index)), now: now)
        }
        let after = residentBytes()
        let perSession = Double(after - before) / Double(count)
        let phase = await company.phase(of: SessionID(stringLiteral: "s-\(count - 1)"))
        let open = await company.openSessionCount
        return String(
            format: "%9d idle sessions (%d open, last in phase %@): %@ resident → %.0f bytes per session (target ≤ 2048)",
            count, open, phase?.rawValue ?? "?", mebibytes(after - before), perSession)
    }

    static func hello(_ index: Int) -> Envelope {
        Envelope(
            id: "c1", session: SessionID(stringLiteral: "s-\(index)"), from: "assistant.example/lisa", to: "salon.example/bot", sequence: 1,
            sentAt: now, message: .hello(.init(role: .customer)))
    }

    /// Opens and closes `sessions` sessions three times, purging finished ones; resident memory after each round.
    static func leakCheck(sessions: Int) async -> [String] {
        let company = company()
        var lines: [String] = ["before: \(mebibytes(residentBytes()))"]
        var previous = 0
        for round in 1...3 {
            for index in 0..<sessions {
                let id = round * sessions + index
                _ = await company.handle(.envelope(hello(id)), now: now)
                let close = Envelope(
                    id: "c2", session: SessionID(stringLiteral: "s-\(id)"), from: "assistant.example/lisa", to: "salon.example/bot",
                    sequence: 2, acknowledged: 1, sentAt: now, message: .close(.init(outcome: "done")))
                _ = await company.handle(.envelope(close), now: now)
                if index % 10_000 == 9_999 { await company.purgeFinishedSessions() }
            }
            await company.purgeFinishedSessions()
            let resident = residentBytes()
            lines.append(
                "after round \(round) (\(sessions) sessions opened and closed): \(mebibytes(resident))"
                    + (round > 1 ? String(format: ", growth since round %d: %@", round - 1, mebibytes(resident - previous)) : ""))
            previous = resident
            let open = await company.storedSessionCount
            lines.append("  sessions still held by the agent: \(open)")
        }
        return lines
    }
}

extension Bench {
    /// A long-running agent that never purges by hand: `sessions` short sessions (hello, hello,
    /// close), one every `spacing` milliseconds of virtual time, on one company agent. The agent
    /// forgets each session once its idempotency window (1,200 s) has passed, so the sessions it
    /// holds and its resident memory level off; one line every tenth of the run.
    static func autoPurge(sessions: Int, spacingMilliseconds: Int64 = 100) async -> [String] {
        let company = company()
        var lines: [String] = []
        let started = residentBytes()
        let window = SessionStateMachine.Configuration().idempotencyWindow
        lines.append(
            "before: \(mebibytes(started)); one session every \(spacingMilliseconds) ms of virtual time, idempotency window \(window) s")
        let step = max(sessions / 10, 1)
        var peak = started
        for index in 0..<sessions {
            let at = now.adding(seconds: Int64(index) * spacingMilliseconds / 1000)
            let session = SessionID(stringLiteral: "short-\(index)")
            let hello = Envelope(
                id: "c1", session: session, from: "assistant.example/lisa", to: "salon.example/bot", sequence: 1, sentAt: at,
                message: .hello(.init(role: .customer)))
            _ = await company.handle(.envelope(hello), now: at)
            let close = Envelope(
                id: "c2", session: session, from: "assistant.example/lisa", to: "salon.example/bot", sequence: 2, acknowledged: 1,
                sentAt: at, message: .close(.init(outcome: "done")))
            _ = await company.handle(.envelope(close), now: at)
            if index % step == step - 1 {
                let resident = residentBytes()
                peak = max(peak, resident)
                let held = await company.storedSessionCount
                let virtual = Double(Int64(index + 1) * spacingMilliseconds) / 3_600_000
                lines.append(
                    String(
                        format: "%9d sessions (%.1f h virtual): %7d held by the agent, %@ resident", index + 1, virtual, held,
                        mebibytes(resident)))
            }
        }
        lines.append("peak resident: \(mebibytes(peak)); growth over the run: \(mebibytes(peak - started))")
        return lines
    }
}
