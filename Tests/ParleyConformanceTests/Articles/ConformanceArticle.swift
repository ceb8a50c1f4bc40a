import Parley
import ParleyConformance
import ParleyScenarios
import Testing

// The code of the article "Testing your implementation with the conformance kit"
// (Sources/ParleyConformance/ParleyConformance.docc/TestingWithTheConformanceKit.md), compiled
// here and run by ConformanceArticleTests; ArticleCodeTests (in ParleyTests) checks that each
// `// BEGIN DOCS` region stands in the article verbatim.

/// Your company agent, configured for the world the cases assume (``ConformanceProfile``).
func makeSalon() -> CompanyAgent { Salons.salon().0 }

enum ConformanceArticle {
    /// Runs the company cases (only `caseID` when given) against an agent in this process.
    static func inProcess(caseID: String?) async -> ConformanceReport {
        // BEGIN DOCS conformance-in-process
        // makeSalon() lays its diary out on 3 May 2026: run the suite and the agent on one clock
        // that starts on 30 April, and tell the profile the day lies three days ahead.
        let start = Instant(rfc3339: "2026-04-30T09:00:00Z")!
        let suite = ConformanceSuite(profile: ConformanceProfile(now: start, daysAhead: 3))
        let report = await suite.run(role: .company, peer: "my salon, in process", caseID: caseID) {
            InProcessPeer.company(clock: ShiftedClock(start: start)) { makeSalon() }
        }
        #expect(report.failed == 0, "\(report.text)")
        // END DOCS conformance-in-process
        return report
    }

    /// Runs the company cases against the program `command` starts.
    static func overStandardIO(_ command: String, caseID: String?) async -> ConformanceReport {
        // BEGIN DOCS conformance-process
        let report = await ConformanceSuite(replyTimeout: 5).run(role: .company, peer: command, caseID: caseID) {
            try ProcessPeer(command: command)  // a fresh process for every case
        }
        print(report.text)  // one line per case, then "N passed, N failed, N skipped"
        // END DOCS conformance-process
        return report
    }
}

@Suite("The conformance article's code runs")
struct ConformanceArticleTests {
    @Test("In process: the S1 booking flow passes against the reference salon")
    func inProcess() async {
        let report = await ConformanceArticle.inProcess(caseID: "flow.s1-booking")
        #expect(report.passed == 1)
    }

    @Test("Over standard I/O: parley serve passes the hello case")
    func overStandardIO() async {
        guard let parley = Binaries.path("parley") else { return }
        let report = await ConformanceArticle.overStandardIO("\(parley) serve --role company --scenario salon", caseID: "framing.hello")
        #expect(report.passed == 1, "\(report.text)")
    }
}
