import Foundation
import Parley
import ParleyConformance

/// `parley conformance --peer "COMMAND" --role company|customer [--case ID] [--json FILE]`: runs
/// the conformance suite against the program COMMAND starts (one fresh process per case), prints
/// one line per case and `N passed, N failed, N skipped` last; exits 1 when a case fails.
enum ConformanceCommand {
    static let usage = """
        usage: parley conformance --peer "COMMAND" --role company|customer [--case ID] [--json FILE] [--timeout SECONDS]
                                  [--peer-id AGENT-ID] [--now TIME]
               parley conformance --list [--role company|customer]

        Runs every conformance case for the role (or only --case ID) against the program COMMAND starts,
        a fresh process per case speaking JSON Lines envelopes on its standard input and output. Waits
        --timeout seconds (default 3) for each reply. Prints one line per case and a total; --json FILE
        also writes the report as JSON. Exits 1 when a case fails. --list prints the cases.

        The suite assumes the S1 salon world laid out on tomorrow's date (Europe/Berlin) of its clock:
        windows 10:00-12:00 (free at 10:00), 09:00-18:00 and 12:00 (taken); its offers and tokens
        expire 30 days after its start, and it writes its start into sentAt.
        --peer-id ID  the company peer's agent id, which the suite addresses (default salon.example/bot):
                      a company speaks only after the customer's hello, so the suite cannot learn it.
                      A customer peer's id, and the company id it expects, are learnt from its hello.
        \(ClockOptions.help)
        """

    static let command = CommandSpec(
        name: "parley conformance", usage: usage, options: ["--peer", "--role", "--case", "--json", "--timeout", "--peer-id", "--now"],
        flags: ["--list"])

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
        let command = try options.required("--peer")
        guard let role else { throw options.mistake("missing --role") }
        let caseID = try options.string("--case")
        if let caseID, ConformanceSuite.cases(for: role, id: caseID).isEmpty {
            throw options.mistake("no \(role) case '\(caseID)'; --list shows the cases")
        }
        let now = try ClockOptions.clock(options).now
        var profile = ConformanceProfile(now: now)
        if let id = try options.value("--peer-id", { AgentID(rawValue: $0) }) { profile.companyID = id }
        let suite = ConformanceSuite(profile: profile, replyTimeout: Double(timeout))
        let progress = ProgressLine()
        let report = await suite.run(
            role: role, peer: command, caseID: caseID,
            progress: { results, total in
                let failed = results.filter { if case .fail = $0.outcome { true } else { false } }.count
                progress.show("conformance: \(results.count) / \(total) cases, \(failed) failed")
            }
        ) { try ProcessPeer(command: command) }
        progress.clear()
        print(report.text)
        if let path = try options.string("--json") {
            do {
                try Data(report.jsonText.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                Console.error("parley conformance: cannot write \(path): \(error)")
                return ExitStatus.cannotCreate
            }
        }
        return report.failed == 0 ? ExitStatus.success : ExitStatus.failure
    }
}
