import Foundation
import Parley
import ParleyConformance
import ParleyScenarios

/// `parley discover URL`, `parley book URL …` and `parley conformance --url URL --role company`:
/// Parley over HTTP (`Spec/HTTP.md`). Self-contained argument handling.
enum HTTPCommands {
    static let discoverUsage = "usage: parley discover URL|HOST [--insecure-http]"
    static let bookUsage = """
        usage: parley book URL|HOST --service NAME --window YYYY-MM-DDTHH:MM/HH:MM [--window …]
                   [--prefer YYYY-MM-DDTHH:MM] [--max-price AMOUNT] [--currency EUR] [--share FIELD=VALUE …]
                   [--answer TOPIC=VALUE …] [--as AGENT-ID] [--now RFC3339 | --real-clock] [--seed N]
          Times are wall-clock times in the company's time zone (from its discovery document). Only the
          fields given with --share may be disclosed, and only for the booking.
        """
    static let conformanceUsage = """
        usage: parley conformance --url URL|HOST --role company [--case ID] [--timeout SECONDS] [--server "COMMAND"]
          With --server, COMMAND (run by /bin/sh) starts a fresh company serving URL for each case and is
          stopped after it, as `--peer` does for stdio; without it every case runs against the one server at URL,
          whose calendar then carries the bookings of earlier cases.
        """

    /// Arguments as `--name value` pairs (repeatable) and positionals.
    struct Arguments {
        var values: [String: [String]] = [:]
        var flags: Set<String> = []
        var positional: [String] = []
        var problem: String?

        init(_ arguments: [String], flags known: Set<String>) {
            var rest = arguments[...]
            while let argument = rest.popFirst() {
                if known.contains(argument) {
                    flags.insert(argument)
                } else if argument.hasPrefix("--") {
                    guard let value = rest.popFirst() else {
                        problem = "\(argument) needs a value"
                        return
                    }
                    values[argument, default: []].append(value)
                } else {
                    positional.append(argument)
                }
            }
        }

        func one(_ name: String) -> String? { values[name]?.last }
        func all(_ name: String) -> [String] { values[name] ?? [] }
    }

    static func configuration(insecure: Bool) -> HTTPClientTransport.Configuration {
        var configuration = HTTPClientTransport.Configuration()
        configuration.allowsInsecureHTTP = insecure
        return configuration
    }

    // MARK: - discover

    static func discover(_ arguments: [String]) async -> Int32 {
        let options = Arguments(arguments, flags: ["--insecure-http"])
        guard options.problem == nil, options.positional.count == 1, options.values.isEmpty else {
            Console.error(options.problem.map { "parley discover: \($0)\n\(discoverUsage)" } ?? discoverUsage)
            return 64
        }
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
            print("keys:      \(document.keys.isEmpty ? "none" : document.keys.map(\.id).joined(separator: ", "))")
            print(String(decoding: document.encoded(), as: UTF8.self), terminator: "")
            return 0
        } catch {
            Console.error("parley discover: \(error)")
            return 69
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

    static func book(_ arguments: [String]) async -> Int32 {
        let options = Arguments(arguments, flags: ["--insecure-http", "--real-clock"])
        func usage(_ problem: String?) -> Int32 {
            Console.error(problem.map { "parley book: \($0)\n\(bookUsage)" } ?? bookUsage)
            return 64
        }
        guard options.problem == nil else { return usage(options.problem) }
        guard options.positional.count == 1 else { return usage("give the company's URL or host") }
        guard let service = options.one("--service") else { return usage("--service is required") }
        guard !options.all("--window").isEmpty else { return usage("at least one --window is required") }
        guard let shared = pairs(options.all("--share")), let answers = pairs(options.all("--answer")) else {
            return usage("--share and --answer take NAME=VALUE")
        }
        var personalData: [DataField: String] = [:]
        for (name, value) in shared {
            guard let field = DataField(rawValue: name) else { return usage("'\(name)' is not a data field name") }
            personalData[field] = value
        }
        guard let customerID = AgentID(options.one("--as") ?? "assistant.example/parley-cli") else {
            return usage("--as needs an agent id")
        }
        let start: Instant?
        if options.flags.contains("--real-clock") {
            start = nil
        } else if let text = options.one("--now") {
            guard let instant = Instant(rfc3339: text) else { return usage("--now needs an RFC 3339 instant (…Z)") }
            start = instant
        } else {
            // The reference scenarios' world (scenarios.md), as `parley serve` uses it.
            start = World.now
        }
        let clock: any AgentClock = start.map { ShiftedClock(start: $0) } ?? SystemClock()

        let company: DiscoveredCompany
        do {
            company = try await HTTPClientTransport.discover(
                options.positional[0], configuration: configuration(insecure: options.flags.contains("--insecure-http")))
        } catch {
            Console.error("parley book: \(error)")
            return 69
        }
        guard let zone = LocalTime(timeZone: company.document.timeZone) else {
            Console.error("parley book: the company's time zone '\(company.document.timeZone)' is unknown here")
            return 69
        }
        var windows: [TimeWindow] = []
        for text in options.all("--window") {
            guard let window = window(text, in: zone) else { return usage("--window '\(text)' is not YYYY-MM-DDTHH:MM/HH:MM") }
            windows.append(window)
        }
        var preferred: Instant?
        if let text = options.one("--prefer") {
            guard let instant = localInstant(text, in: zone) else { return usage("--prefer '\(text)' is not YYYY-MM-DDTHH:MM") }
            preferred = instant
        }
        var ceiling: Money?
        if let text = options.one("--max-price") {
            guard let money = money(text, currency: options.one("--currency") ?? "EUR") else {
                return usage("--max-price '\(text)' is not an amount")
            }
            ceiling = money
        }
        var seed = UInt64.random(in: .min ... .max)
        if let text = options.one("--seed") {
            guard let value = UInt64(text) else { return usage("--seed needs an unsigned integer") }
            seed = value
        }
        var generator = SystemRandomNumberGenerator()
        let wishes = Wishes(
            service: service, windows: windows, preferredStart: preferred, priceCeiling: ceiling,
            answers: Dictionary(answers, uniquingKeysWith: { _, last in last }))
        let policy = PrivacyPolicy(rules: [.booking: .init(fields: Set(personalData.keys), decision: .allow, maximumRetentionDays: 90)])
        let customer = CustomerAgent(
            id: customerID, wishes: wishes, policy: policy, personalData: personalData,
            consentKey: ConsentRootKey(using: &generator), clock: clock, seed: seed)
        let transport = HTTPClientTransport(
            endpoint: company.endpoint, agent: customerID, configuration: configuration(insecure: options.flags.contains("--insecure-http"))
        )
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
        if let failure = await transport.lastFailure { Console.error("parley book: last HTTP failure: \(failure)") }
        return outcome.booking == nil ? 1 : 0
    }

    // MARK: - conformance --url

    static func conformance(_ arguments: [String]) async -> Int32 {
        let options = Arguments(arguments, flags: ["--insecure-http"])
        guard options.problem == nil, options.positional.isEmpty, let url = options.one("--url"), options.one("--role") == "company" else {
            Console.error(options.problem.map { "parley conformance: \($0)\n\(conformanceUsage)" } ?? conformanceUsage)
            return 64
        }
        let caseID = options.one("--case")
        if let caseID, ConformanceSuite.cases(for: .company, id: caseID).isEmpty {
            Console.error("parley conformance: no company case '\(caseID)' (see --list)")
            return 64
        }
        let insecure = configuration(insecure: options.flags.contains("--insecure-http"))
        let timeout = options.one("--timeout").flatMap(Double.init) ?? 3
        let suite = ConformanceSuite(replyTimeout: timeout)
        let report: ConformanceReport
        if let command = options.one("--server") {
            report = await suite.run(role: .company, peer: "\(url) (started by: \(command))", caseID: caseID) {
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
                        let company = try await HTTPClientTransport.discover(url, configuration: insecure)
                        return HTTPPeer(endpoint: company.endpoint, onClose: stop)
                    } catch {
                        lastError = error
                        try await Task.sleep(nanoseconds: 100_000_000)
                    }
                }
                await stop()
                throw lastError ?? HTTPTransportError.timedOut
            }
        } else {
            let company: DiscoveredCompany
            do {
                company = try await HTTPClientTransport.discover(url, configuration: insecure)
            } catch {
                Console.error("parley conformance: \(error)")
                return 69
            }
            let endpoint = company.endpoint
            report = await suite.run(role: .company, peer: endpoint.absoluteString, caseID: caseID) { HTTPPeer(endpoint: endpoint) }
        }
        print(report.text)
        return report.failed == 0 ? 0 : 1
    }
}
