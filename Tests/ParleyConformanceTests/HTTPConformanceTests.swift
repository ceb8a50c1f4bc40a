import Foundation
import Parley
import ParleyConformance
import ParleyScenarios
import ParleyTestSupport
import Testing

/// The whole company suite over the HTTP binding (`Spec/HTTP.md`): for each case a fresh salon
/// behind a plain-socket loopback HTTP server, as `parley conformance --url … --server …` does.
@Suite("Conformance over HTTP", .serialized)
struct HTTPConformanceTests {
    @Test func companyAgentOverHTTPPassesEveryCase() async throws {
        let suite = ConformanceSuite(profile: ConformanceProfile(now: World.now, daysAhead: 3), caseTimeout: caseLimit)
        let report = await suite.run(role: .company, peer: "CompanyAgent over HTTP") {
            let binding = CompanyHTTPBinding(agent: Salons.salon().0, clock: ShiftedClock(start: World.now))
            let server = try LoopbackHTTPServer(binding: binding)
            let endpoint = try #require(URL(string: server.baseURL + "/parley"))
            return HTTPPeer(endpoint: endpoint) {
                server.stop()
                await binding.shutdown()
            }
        }
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.passed >= 60)
    }
}
