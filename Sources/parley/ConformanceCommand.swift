import Foundation
import Parley
import ParleyConformance

/// `parley conformance`: runs the conformance suite against the program COMMAND starts (one fresh
/// process per case) or against a company served over HTTP (`Spec/HTTP.md`), prints one line per
/// case and `N passed, N failed, N skipped` last; exits 1 when a case fails.
enum ConformanceCommand {
    static let usage = """
        usage: parley conformance --peer "COMMAND" --role company|customer [--case ID] [--json FILE] [--timeout SECONDS]
                                  [--peer-id AGENT-ID] [--now TIME]
               parley conformance --url URL|HOST --role company [--server "COMMAND"] [--insecure-http] [--case ID]
                                  [--json FILE] [--timeout SECONDS] [--peer-id AGENT-ID] [--now TIME]
               parley conformance --list [--role company|customer]

        Runs every conformance case for the role (or only --case ID) against the program COMMAND starts,
        a fresh process per case speaking JSON Lines envelopes on its standard input and output. Waits
        --timeout seconds (default 3) for each reply. Prints one line per case and a total; --json FILE
        also writes the report as JSON. Exits 1 when a case fails. --list prints the cases.

        --url runs the company cases over HTTP (Spec/HTTP.md) against the company that URL's discovery
        document names. With --server, COMMAND (run by /bin/sh) starts a fresh company serving URL for
        each case and is stopped after it, as --peer does for standard I/O; without it every case runs
        against the one server at URL, whose calendar then carries the bookings of earlier cases.
        --insecure-http allows http:// URLs other than loopback. Exit status 69: discovery failed.

        The suite assumes the S1 salon world laid out on tomorrow's date (Europe/Berlin) of its clock:
        windows 10:00-12:00 (free at 10:00), 09:00-18:00 and 12:00 (taken); its offers and tokens
        expire 30 days after its start, and it writes its start into sentAt.
        --peer-id ID  the company peer's agent id, which the suite addresses (default salon.example/bot):
                      a company speaks only after the customer's hello, so the suite cannot learn it.
                      A customer peer's id, and the company id it expects, are learnt from its hello.
        \(ClockOptions.help)
        """

    static let command = CommandSpec(
        name: "parley conformance", usage: usage,
        options: ["--peer", "--url", "--server", "--role", "--case", "--json", "--timeout", "--peer-id", "--now"],
        flags: ["--list", "--insecure-http"])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try Options(arguments, for: command)
        let role = try options.value("--role", Role.init(rawValue:))
        let timeout = try options.integer("--timeout") ?? 3
        guard timeout > 0 else { throw options.mistake("--timeout must be positive") }
        if options.flags.contains("--list") {
            for conformanceCase in ConformanceSuite.allCases where role == nil || conformanceCase.role == role {
                print("\(conformanceCase.id)  [\(conformanceCase.role)]  \(conformanceCase.specSection)  \(conformanceCase.title)")
            }
            return ExitStatus.success
        }
        let peerCommand = try options.string("--peer")
        let url = try options.string("--url")
        guard (peerCommand == nil) != (url == nil) else {
            throw options.mistake(peerCommand == nil ? "missing --peer (or --url)" : "give --peer or --url, not both")
        }
        guard let role else { throw options.mistake("missing --role") }
        if url != nil, role != .company { throw options.mistake("--url runs the company cases: --role company") }
        let serverCommand = try options.string("--server")
        if serverCommand != nil, url == nil { throw options.mistake("--server goes with --url") }
        let caseID = try options.string("--case")
        if let caseID, ConformanceSuite.cases(for: role, id: caseID).isEmpty {
            throw options.mistake("no \(role) case '\(caseID)'; --list shows the cases")
        }
        let jsonPath = try options.string("--json")
        let now = try ClockOptions.clock(options).now
        var profile = ConformanceProfile(now: now)
        if let id = try options.value("--peer-id", { AgentID(rawValue: $0) }) { profile.companyID = id }
        let suite = ConformanceSuite(profile: profile, replyTimeout: Double(timeout))
        let progress = ProgressLine()
        let showProgress: @Sendable ([ConformanceReport.Result], Int) -> Void = { results, total in
            let failed = results.filter { if case .fail = $0.outcome { true } else { false } }.count
            progress.show("conformance: \(results.count) / \(total) cases, \(failed) failed")
        }
        let report: ConformanceReport
        if let url {
            let configuration = HTTPCommands.configuration(insecure: options.flags.contains("--insecure-http"))
            if let serverCommand {
                report = await suite.run(
                    role: .company, peer: "\(url) (started by: \(serverCommand))", caseID: caseID, progress: showProgress
                ) { try await HTTPCommands.startServer(serverCommand, serving: url, configuration: configuration) }
            } else {
                let company: DiscoveredCompany
                do {
                    company = try await HTTPClientTransport.discover(url, configuration: configuration)
                } catch {
                    Console.error("parley conformance: \(error)")
                    return ExitStatus.unavailable
                }
                let endpoint = company.endpoint
                report = await suite.run(role: .company, peer: endpoint.absoluteString, caseID: caseID, progress: showProgress) {
                    HTTPPeer(endpoint: endpoint)
                }
            }
        } else if let peerCommand {
            report = await suite.run(role: role, peer: peerCommand, caseID: caseID, progress: showProgress) {
                try ProcessPeer(command: peerCommand)
            }
        } else {
            throw options.mistake("give either --peer or --url")
        }
        progress.clear()
        print(report.text)
        if let jsonPath {
            do {
                try Data(report.jsonText.utf8).write(to: URL(fileURLWithPath: jsonPath))
            } catch {
                Console.error("parley conformance: cannot write \(jsonPath): \(error)")
                return ExitStatus.cannotCreate
            }
        }
        return report.failed == 0 ? ExitStatus.success : ExitStatus.failure
    }
}
