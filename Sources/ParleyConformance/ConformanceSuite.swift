public import Parley

/// The conformance suite: every case, and a runner that plays them one by one against fresh peers.
///
/// ```swift
/// let report = await ConformanceSuite().run(role: .company, peer: "parley serve --role company --scenario salon") {
///     try ProcessPeer(command: "parley serve --role company --scenario salon")
/// }
/// print(report.text)
/// ```
public struct ConformanceSuite: Sendable {
    /// The world the cases assume.
    public var profile: ConformanceProfile
    /// Seconds to wait for each reply.
    public var replyTimeout: Double
    /// Seconds a whole case may take.
    public var caseTimeout: Double

    /// Creates a suite.
    public init(profile: ConformanceProfile = ConformanceProfile(), replyTimeout: Double = 3, caseTimeout: Double = 60) {
        self.profile = profile
        self.replyTimeout = replyTimeout
        self.caseTimeout = caseTimeout
    }

    /// Every case, for both roles.
    public static var allCases: [ConformanceCase] { CompanyCases.all + CustomerCases.all }

    /// The cases that run against a peer of `role`, optionally only the one with `id`.
    public static func cases(for role: Role, id: String? = nil) -> [ConformanceCase] {
        allCases.filter { $0.role == role && (id == nil || $0.id == id) }
    }

    /// Runs the cases for `role` (or the one with `caseID`) sequentially, each against a fresh peer from `launch`.
    ///
    /// - Parameters:
    ///   - role: the role of the peer under test.
    ///   - description: what is tested, for the report (the peer's command, say).
    ///   - caseID: the one case to run; `nil` runs every case for `role`.
    ///   - progress: called after each case with the results so far and the number of cases in
    ///     the run (for a progress display).
    ///   - launch: starts a fresh peer; called once per case.
    public func run(
        role: Role, peer description: String, caseID: String? = nil,
        progress: (@Sendable (_ resultsSoFar: [ConformanceReport.Result], _ total: Int) -> Void)? = nil,
        launch: @Sendable () async throws -> any ConformancePeer
    ) async -> ConformanceReport {
        var results: [ConformanceReport.Result] = []
        let cases = Self.cases(for: role, id: caseID)
        for conformanceCase in cases {
            results.append(await run(conformanceCase, launch: launch))
            progress?(results, cases.count)
        }
        return ConformanceReport(peer: description, role: role, results: results)
    }

    /// Runs one case against a fresh peer.
    public func run(_ conformanceCase: ConformanceCase, launch: @Sendable () async throws -> any ConformancePeer) async
        -> ConformanceReport.Result
    {
        let peer: any ConformancePeer
        do {
            peer = try await launch()
        } catch {
            return .init(conformanceCase, .fail(reason: "could not start the peer: \(error)", offending: nil))
        }
        let context = ConformanceContext(
            peer: peer, profile: profile, caseID: conformanceCase.id, replyTimeout: replyTimeout, caseTimeout: caseTimeout)
        let outcome: ConformanceOutcome
        do {
            try await conformanceCase.run(context)
            outcome = .pass
        } catch let failure as ConformanceFailure {
            outcome = .fail(reason: failure.reason, offending: failure.offending)
        } catch let skip as ConformanceSkip {
            outcome = .skip(skip.reason)
        } catch {
            outcome = .fail(reason: "the case failed: \(error)", offending: nil)
        }
        let diagnostics = await peer.close()
        var result = ConformanceReport.Result(conformanceCase, outcome)
        result.notes = context.notes
        if case .fail = outcome { result.diagnostics = diagnostics }
        return result
    }
}
