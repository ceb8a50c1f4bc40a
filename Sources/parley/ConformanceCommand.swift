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

        The suite assumes the S1 salon world laid out on tomorrow's date (Europe/Berlin) of its clock:
        windows 10:00-12:00 (free at 10:00), 09:00-18:00 and 12:00 (taken); its offers and tokens
        expire 30 days after its start, and it writes its start into sentAt.
        --peer-id ID  the company peer's agent id, which the suite addresses (default salon.example/bot):
                      a company speaks only after the customer's hello, so the suite cannot learn it.
                      A customer peer's id, and the company id it expects, are learnt from its hello.
        \(ClockOptions.help)
        """

    static func run(_ arguments: [String]) async -> Int32 {
        var options = Options(arguments, flags: ["--list"])
        let role = options.string("--role").flatMap(Role.init(rawValue:))
        let timeout = options.integer("--timeout") ?? 3
        if options.flags.contains("--list") {
            for conformanceCase in ConformanceSuite.allCases where role == nil || conformanceCase.role == role {
                print("\(conformanceCase.id)  [\(conformanceCase.role)]  \(conformanceCase.specSection)  \(conformanceCase.title)")
            }
            return 0
        }
        guard options.problem == nil, let command = options.string("--peer"), let role else {
            Console.error(options.problem.map { "parley conformance: \($0)\n\(usage)" } ?? usage)
            return 64
        }
        let caseID = options.string("--case")
        if let caseID, ConformanceSuite.cases(for: role, id: caseID).isEmpty {
            Console.error("parley conformance: no \(role) case '\(caseID)' (see --list)")
            return 64
        }
        let now: Instant
        switch ClockOptions.clock(now: options.string("--now")) {
        case .success(let clock): now = clock.now
        case .failure(let problem):
            Console.error("parley conformance: \(problem.message)\n\(usage)")
            return 64
        }
        var profile = ConformanceProfile(now: now)
        if let text = options.string("--peer-id") {
            guard let id = AgentID(text) else {
                Console.error("parley conformance: --peer-id needs an agent id, not '\(text)'")
                return 64
            }
            profile.companyID = id
        }
        let suite = ConformanceSuite(profile: profile, replyTimeout: Double(timeout))
        let report = await suite.run(role: role, peer: command, caseID: caseID) { try ProcessPeer(command: command) }
        print(report.text)
        if let path = options.string("--json") {
            do {
                try Data(report.jsonText.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                Console.error("parley conformance: cannot write \(path): \(error)")
                return 1
            }
        }
        return report.failed == 0 ? 0 : 1
    }
}
