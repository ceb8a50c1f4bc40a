import Foundation
import Parley
import ParleyConformance
import ParleyScenarios

/// `parley discover URL` and `parley book URL …`: Parley over HTTP (`Spec/HTTP.md`); also the
/// HTTP side of `parley conformance --url`.
enum HTTPCommands {
    static let discoverUsage = """
        usage: parley discover URL|HOST [--insecure-http]

        Fetches and validates a company's discovery document (Spec/HTTP.md §2) and prints what it says,
        then the document itself. --insecure-http allows http:// URLs other than loopback. Exit status
        69: the document cannot be fetched or is invalid.
        """
    static let bookUsage = """
        usage: parley book URL|HOST --service NAME --window YYYY-MM-DDTHH:MM/HH:MM [--window …]
                   [--prefer YYYY-MM-DDTHH:MM] [--max-price AMOUNT] [--currency EUR] [--share FIELD=VALUE …]
                   [--answer TOPIC=VALUE …] [--as AGENT-ID] [--signing-key SEED-HEX] [--now TIME] [--seed N]
                   [--insecure-http] [--a2a]

        Books over HTTP as a person's assistant: discovers the company, negotiates, prints the dialogue,
        the outcome and what data the company received. Times are wall-clock times in the company's
        time zone (from its discovery document). Only the fields given with --share may be disclosed,
        and only for the booking. Ids and the consent key come from the system's secure random source
        unless --seed N asks for a replayable run. --signing-key signs every request with that Ed25519
        seed (Spec/HTTP.md §7); without --as the agent id is then the key's self-certifying id
        (ed25519:…). Responses are verified when the company's discovery document is signed. Exits 1
        when nothing was booked, 69 when discovery failed. --a2a talks to the company as an A2A agent
        with the Parley extension (Spec/A2A.md): it reads the agent card at URL, then the discovery
        document the card names, and sends every envelope with A2A SendMessage.
        \(ClockOptions.help)
        """

    static let discoverCommand = CommandSpec(
        name: "parley discover", usage: discoverUsage, flags: ["--insecure-http"], positionals: 1...1)
    static let bookCommand = CommandSpec(
        name: "parley book", usage: bookUsage,
        options: [
            "--service", "--window", "--prefer", "--max-price", "--currency", "--share", "--answer", "--as", "--signing-key", "--now",
            "--seed",
        ],
        flags: ["--insecure-http", "--a2a"], positionals: 1...1)

    /// The HTTP client configuration; `insecure` allows plain http:// beyond loopback.
    static func configuration(insecure: Bool) -> HTTPClientTransport.Configuration {
        var configuration = HTTPClientTransport.Configuration()
        configuration.allowsInsecureHTTP = insecure
        return configuration
    }

    // MARK: - discover

    static func discover(_ arguments: [String]) async throws -> Int32 {
        let options = try Options(arguments, for: discoverCommand)
        do {
            let company = try await HTTPClientTransport.discover(
                options.positional[0], configuration: configuration(insecure: options.flags.contains("--insecure-http")))
            let document = company.document
            print("discovery: \(company.discoveryURL.absoluteString)")
            print("agent:     \(document.agent)")
            print("name:      \(document.name)")
            print("role:      \(document.role)")
            print("versions:  \(document.versions.map(String.init).joined(separator: ", "))")
            print("endpoint:  \(company.endpoint.absoluteString)")
            print("time zone: \(document.timeZone)")
            print("services:")
            for service in document.services {
                print("  \(service.id)  [\(service.category)]  \(service.title), \(service.durationMinutes) min")
            }
            print("keys:      \(document.keys.isEmpty ? "none" : document.keys.map(\.keyID).joined(separator: ", "))")
            switch company.signatureStatus {
            case .unsigned: print("signature: none (the document is unsigned and lists no keys)")
            case .verified(let ids, let pinned):
                print(
                    "signature: verified, by \(ids.joined(separator: ", "))\(pinned ? " (a pinned key)" : " (keys as served by the origin)")"
                )
            }
            print(String(decoding: document.encoded(), as: UTF8.self), terminator: "")
            return ExitStatus.success
        } catch {
            Console.error("parley discover: \(error)")
            return ExitStatus.unavailable
        }
    }

    // MARK: - book

    /// `YYYY-MM-DDTHH:MM` in `zone`.
    static func localInstant(_ text: String, in zone: LocalTime) -> Instant? {
        let parts = text.split(separator: "T")
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int($0) }
        let time = parts[1].split(separator: ":").compactMap { Int($0) }
        guard date.count == 3, time.count == 2, (1...12).contains(date[1]), (1...31).contains(date[2]), (0...23).contains(time[0]),
            (0...59).contains(time[1])
        else { return nil }
        return zone.instant(year: date[0], month: date[1], day: date[2], hour: time[0], minute: time[1])
    }

    /// `YYYY-MM-DDTHH:MM/HH:MM` or `YYYY-MM-DDTHH:MM/YYYY-MM-DDTHH:MM`.
    static func window(_ text: String, in zone: LocalTime) -> TimeWindow? {
        let halves = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard halves.count == 2, let start = localInstant(halves[0], in: zone) else { return nil }
        let endText = halves[1].contains("T") ? halves[1] : "\(halves[0].split(separator: "T")[0])T\(halves[1])"
        guard let end = localInstant(endText, in: zone), end >= start else { return nil }
        return TimeWindow(start: start, end: end)
    }

    static func money(_ text: String, currency: String) -> Money? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0 else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            guard parts[1].count <= 2, let fraction = Int64(parts[1]) else { return nil }
            cents = parts[1].count == 1 ? fraction * 10 : fraction
        }
        return Money(amount: whole * 100 + cents, currency: currency)
    }

    static func pairs(_ items: [String]) -> [(String, String)]? {
        var result: [(String, String)] = []
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else { return nil }
            result.append((String(item[..<equals]), String(item[item.index(after: equals)...])))
        }
        return result
    }

    static func book(_ arguments: [String]) async throws -> Int32 {
        let options = try Options(arguments, for: bookCommand)
        let service = try options.required("--service")
        let windowTexts = options.all("--window")
        guard !windowTexts.isEmpty else { throw options.mistake("at least one --window is required") }
        guard let shared = pairs(options.all("--share")), let answers = pairs(options.all("--answer")) else {
            throw options.mistake("--share and --answer take NAME=VALUE")
        }
        var personalData: [DataField: String] = [:]
        for (name, value) in shared {
            guard let field = DataField(rawValue: name) else { throw options.mistake("'\(name)' is not a data field name") }
            personalData[field] = value
        }
        let signingKey = try options.value("--signing-key", { SigningKey(seedHex: $0) })
        let customerID =
            try options.value("--as", { AgentID(rawValue: $0) })
            ?? signingKey.flatMap { ParleyHTTPSignatures.selfCertifyingID(for: $0.publicKey) } ?? "assistant.example/parley-cli"
        let clock = try ClockOptions.clock(options)
        let seed = try options.value("--seed", { UInt64($0) })
        let maxPrice = try options.string("--max-price")
        let currency = try options.string("--currency") ?? "EUR"
        let preferText = try options.string("--prefer")

        let company: DiscoveredCompany
        let card: A2AAgentCard?
        let insecure = options.flags.contains("--insecure-http")
        do {
            card = options.flags.contains("--a2a") ? try await A2ACommands.resolve(options.positional[0], insecure: insecure) : nil
            company = try await HTTPClientTransport.discover(
                card?.discoveryURL?.absoluteString ?? options.positional[0], configuration: configuration(insecure: insecure))
        } catch {
            Console.error("parley book: \(error)")
            return ExitStatus.unavailable
        }
        guard let zone = LocalTime(timeZone: company.document.timeZone) else {
            Console.error("parley book: the company's time zone '\(company.document.timeZone)' is unknown here")
            return ExitStatus.unavailable
        }
        var windows: [TimeWindow] = []
        for text in windowTexts {
            guard let window = window(text, in: zone) else { throw options.mistake("--window '\(text)' is not YYYY-MM-DDTHH:MM/HH:MM") }
            windows.append(window)
        }
        var preferred: Instant?
        if let text = preferText {
            guard let instant = localInstant(text, in: zone) else { throw options.mistake("--prefer '\(text)' is not YYYY-MM-DDTHH:MM") }
            preferred = instant
        }
        var ceiling: Money?
        if let text = maxPrice {
            guard let money = money(text, currency: currency) else { throw options.mistake("--max-price '\(text)' is not an amount") }
            ceiling = money
        }
        let consentKey: ConsentRootKey
        if let seed {
            var generator = SeededRandom(seed: seed)
            consentKey = ConsentRootKey(using: &generator)
        } else {
            var generator = SystemRandomNumberGenerator()
            consentKey = ConsentRootKey(using: &generator)
        }
        let wishes = Wishes(
            service: service, windows: windows, preferredStart: preferred, priceCeiling: ceiling,
            answers: Dictionary(answers, uniquingKeysWith: { _, last in last }))
        let policy = PrivacyPolicy(rules: [.booking: .init(fields: Set(personalData.keys), decision: .allow, maximumRetentionDays: 90)])
        let customer = CustomerAgent(
            id: customerID, wishes: wishes, policy: policy, personalData: personalData,
            consentKey: consentKey, clock: clock, seed: seed)
        // Responses are verified with the company's keys when its discovery document is signed.
        let transport: any Transport
        if let card {
            transport = A2AClientTransport(
                endpoint: card.endpoint, agent: customerID, configuration: A2ACommands.configuration(insecure: insecure))
        } else {
            transport = HTTPClientTransport(
                company: company, agent: customerID, signingKey: signingKey, configuration: configuration(insecure: insecure), clock: clock)
        }
        await customer.connect(to: company.document.agent, over: transport)
        let outcome = await customer.book(at: company.document.agent)
        await customer.disconnect()
        await transport.close()

        let transcripts = await customer.allTranscripts()
        print(transcripts.compactMap { try? Transcript(envelopes: $0).render() }.joined(separator: "\n\n"))
        print()
        switch outcome {
        case .booked(let booking):
            let local = LocalTime(timeZone: booking.confirmation.timeZone)
            let when = local?.dayAndClock(booking.confirmation.slot.start) ?? booking.confirmation.slot.start.rfc3339
            print(
                "Outcome: booked \(booking.confirmation.service) at \(booking.company), \(when) \(booking.confirmation.timeZone), "
                    + "\(booking.confirmation.price), reference \(booking.reference)"
                    + (booking.confirmation.heldFor.map { ", held for \($0)" } ?? "") + ".")
        default:
            print("Outcome: \(outcome.summary)")
        }
        for transcript in transcripts {
            guard let to = transcript.first?.to else { continue }
            let fields = PrivacyFacts(transcript: transcript).disclosedFields.map(\.rawValue).sorted()
            print("Data \(to) received: \(fields.isEmpty ? "none" : fields.joined(separator: ", "))")
        }
        if let failure = await A2ACommands.lastFailure(of: transport) { Console.error("parley book: last failure: \(failure)") }
        return outcome.booking == nil ? ExitStatus.failure : ExitStatus.success
    }

    // MARK: - conformance --url --server

    /// Starts `command` (by `/bin/sh`), waits until `url` answers discovery, and returns a peer
    /// that stops the server when the case closes it.
    static func startServer(_ command: String, serving url: String, configuration: HTTPClientTransport.Configuration)
        async throws -> any ConformancePeer
    {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/bin/sh")
        server.arguments = ["-c", "exec \(command)"]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        let stop: @Sendable () async -> Void = {
            server.terminate()
            server.waitUntilExit()
        }
        var lastError: (any Error)?
        for _ in 0..<100 {
            do {
                let company = try await HTTPClientTransport.discover(url, configuration: configuration)
                return HTTPPeer(endpoint: company.endpoint, onClose: stop)
            } catch {
                lastError = error
                try await Task.sleep(nanoseconds: 100_000_000)
            }
        }
        await stop()
        throw lastError ?? HTTPTransportError.timedOut
    }
}
