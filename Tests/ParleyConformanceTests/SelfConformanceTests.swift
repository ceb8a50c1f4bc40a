import Parley
import ParleyConformance
import ParleyScenarios
import Testing

@Suite("Self-conformance, in process")
struct SelfConformanceTests {
    @Test func companyAgentPassesEveryCase() async {
        let report = await ConformanceSuite().run(role: .company, peer: "CompanyAgent (S1 salon), in process") {
            InProcessPeer.company(clock: ShiftedClock(start: World.now)) { Salons.salon().0 }
        }
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.passed > 0)
    }
}
