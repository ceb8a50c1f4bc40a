import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// Collects an agent's events until cancelled.
private func collect(_ events: AsyncStream<AgentEvent>) -> Task<[AgentEvent], Never> {
    Task {
        var all: [AgentEvent] = []
        for await event in events { all.append(event) }
        return all
    }
}

/// Every form in which key bytes could show up in text or data.
struct SecretForms {
    let bytes: [UInt8]

    var texts: [String] {
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let base64 = Data(bytes).base64EncodedString()
        let base64URL = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        // How Swift prints a byte array, and any 8-byte window of it (a prefix is enough to leak).
        let decimal = bytes.prefix(8).map(String.init).joined(separator: ", ")
        return [hex, hex.uppercased(), base64, base64URL, decimal, String(hex.prefix(16)), String(base64URL.prefix(12))]
    }

    /// The first form of the key found in `text` or its UTF-8 bytes, if any.
    func leak(in text: String) -> String? {
        if let form = texts.first(where: { text.contains($0) }) { return form }
        return contains(Array(text.utf8)) ? "raw bytes" : nil
    }

    /// Whether `data` holds any 8 consecutive key bytes.
    func contains(_ data: [UInt8]) -> Bool {
        guard data.count >= 8 else { return false }
        func word(_ bytes: some Collection<UInt8>) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }
        let windows = Set((0...(bytes.count - 8)).map { word(bytes[$0..<$0 + 8]) })
        var current = word(data.prefix(7))
        for byte in data.dropFirst(7) {
            current = current << 8 | UInt64(byte)
            if windows.contains(current) { return true }
        }
        return false
    }
}

@Suite("No secret leaks: the consent root key appears on no output surface")
struct SecretLeakTests {
    @Test("S1, S6 and S8 played out: transcripts, renderings, calendar, events, errors, receipts, ledgers and dumps never hold the key")
    func rootKeyNeverLeaks() async throws {
        let seed = UInt64(Environment.seed ?? 20_261_122)
        var random = SeededRandom(seed: seed)
        let keyBytes = (0..<ConsentRootKey.byteCount).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let key = try #require(ConsentRootKey(bytes: keyBytes))
        let secret = SecretForms(bytes: keyBytes)

        let stage = Stage()
        let (salon, store) = Salons.salon()
        let lisa = CustomerAgent(
            id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
            consentKey: key, clock: stage.clock, seed: seed)
        let salonEvents = collect(salon.events)
        let lisaEvents = collect(lisa.events)
        await stage.connect(lisa, to: salon)

        // S1, then S8 (a reschedule that fails, one that works), S6 (revocation) and a cancel.
        let booking = try #require(await lisa.book(at: salon.profile.id).booking, "seed \(seed)")
        let grant = try #require(booking.grants.first)
        _ = await lisa.reschedule(booking, to: [World.window(may: 3, from: (11, 0), to: (11, 0))])
        var other = try #require(await store.booking("X-2"))
        other.isCancelled = true
        _ = await store.update(other, now: stage.clock.now)
        let moved = try #require(await lisa.reschedule(booking, to: [World.window(may: 3, from: (11, 0), to: (11, 0))]).booking)
        #expect(await lisa.revoke(grant.tokenID, at: salon.profile.id))
        for _ in 0..<10_000 where await !salon.ledger.isRevoked(grant.tokenID) { await Task.yield() }
        guard case .cancelled(let cancelled) = await lisa.cancel(moved) else {
            Issue.record("the cancellation did not end with the cancelled outcome")
            return
        }

        var surfaces: [(name: String, text: String)] = []
        func add(_ name: String, _ value: Any) {
            surfaces.append((name, String(describing: value)))
            surfaces.append((name + " (reflecting)", String(reflecting: value)))
            var dumped = ""
            dump(value, to: &dumped)
            surfaces.append((name + " (dump)", dumped))
        }
        // Errors: verification failures of every kind, and reads after revocation.
        let now = stage.clock.now
        var errors: [ParleyError] = []
        let uses = [
            ConsentUse(audience: salon.profile.id, purpose: .booking, fields: [.givenName], at: now),
            ConsentUse(audience: "other.example/bot", purpose: .marketing, fields: [.email], at: now.adding(minutes: 999_999)),
        ]
        var tampered = Array(grant.token)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
        for token in [grant.token, String(tampered), "not a token", String(grant.token.dropLast(3))] {
            for use in uses {
                do { try await lisa.verify(token: token, use: use) } catch { errors.append(error) }
            }
        }
        do { _ = try await salon.personalData(.givenName, of: booking.reference, for: .booking, at: now) } catch { errors.append(error) }
        #expect(errors.count >= 8, "every verification above should fail")
        for error in errors {
            add("error \(error.code)", error)
            surfaces.append(("error message", error.message))
        }
        // Transcripts, their renderings, and the wire bytes.
        let codec = WireCodec()
        for envelopes in await lisa.allTranscripts() {
            add("customer transcript", envelopes)
            surfaces.append(("wire", envelopes.map(codec.encodeText).joined(separator: "\n")))
            if let transcript = try? Transcript(envelopes: envelopes) {
                surfaces.append(("render", transcript.render()))
                surfaces.append(("mermaid", transcript.mermaid()))
            }
        }
        for session in await lisa.sessionIDs { add("company transcript", await salon.transcript(of: session)) }
        // Calendar entries, receipts, ledgers, bookings and the agents themselves.
        for confirm in [booking.confirmation, moved.confirmation, cancelled.confirmation] {
            surfaces.append(
                ("calendar", CalendarEvent(confirm: confirm, company: salon.profile.id, summary: "Haircut").iCalendar(stamp: now)))
        }
        let encoder = JSONEncoder()
        for (name, receipts) in [("customer receipts", await lisa.receipts), ("company receipts", await salon.receipts)] {
            add(name, receipts)
            surfaces.append((name + " (JSON)", String(decoding: try encoder.encode(receipts), as: UTF8.self)))
        }
        surfaces.append(("company ledger (JSON)", String(decoding: try encoder.encode(await salon.ledger), as: UTF8.self)))
        add("customer bookings", await lisa.bookings)
        add("consented data", await salon.consentedData(for: booking.reference))
        add("root key", key)
        add("customer agent", lisa)
        add("company agent", salon)
        // Events (the logs an embedder writes).
        try await Task.sleep(for: .milliseconds(200))
        salonEvents.cancel()
        lisaEvents.cancel()
        let events = await salonEvents.value + lisaEvents.value
        #expect(events.count > 20)
        for event in events { add("event", event) }

        #expect(surfaces.count > 100)
        // The dumps reach the agent's key holder: what stands there is the redacted form.
        #expect(surfaces.contains { $0.name == "customer agent (dump)" && $0.text.contains("ConsentRootKey(redacted)") })
        for surface in surfaces {
            if let form = secret.leak(in: surface.text) {
                Issue.record("seed \(seed): the root key (\(form)) appears in \(surface.name)")
            }
        }
    }

    @Test("The search finds the key when it is there (the check above can fail)")
    func theSearchWorks() {
        let secret = SecretForms(bytes: (0..<32).map { UInt8($0 * 7 + 3) })
        #expect(secret.leak(in: "key: " + secret.bytes.map { String(format: "%02x", $0) }.joined()) != nil)
        #expect(secret.leak(in: "\(secret.bytes)") != nil)
        #expect(secret.leak(in: Data(secret.bytes).base64EncodedString()) != nil)
        #expect(secret.leak(in: String(decoding: [0x20] + secret.bytes.dropFirst(5), as: UTF8.self)) != nil)
        #expect(secret.leak(in: "ConsentRootKey(redacted)") == nil)
    }
}
