import Foundation
import Parley
import Testing

/// Counts progress reports.
final class ProgressRecorder: @unchecked Sendable {
    // @unchecked: `counts` is only touched under `lock`.
    private let lock = NSLock()
    private var counts: [Int] = []

    func record(_ count: Int) { lock.withLock { counts.append(count) } }
    var all: [Int] { lock.withLock { counts } }
}

@Suite("Simulation progress")
struct SimulationProgressTests {
    @Test("run(progress:) reports 1, 2, … up to the number of sessions, and does not change the run")
    func progressCountsEndedSessions() async {
        let configuration = SimulationConfiguration(sessions: 30, seed: 5, drop: 0.1, duplicate: 0.1, reorder: 0.1)
        let recorder = ProgressRecorder()
        let withProgress = await Simulation(configuration).run { recorder.record($0) }
        let without = await Simulation(configuration).run()
        #expect(recorder.all == Array(1...(30 - without.hungSessions)))
        #expect(recorder.all.count >= 25)
        #expect(withProgress == without)
    }
}
