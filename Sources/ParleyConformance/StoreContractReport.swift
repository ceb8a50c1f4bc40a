/// The result of a store contract run (``BookingStoreContract``, ``SessionStoreContract``): one
/// named result per check, pass or fail with the reason.
public struct StoreContractReport: Sendable {
    /// How a check ended.
    public enum Outcome: Sendable, Hashable {
        /// The store did everything the check expects.
        case pass
        /// The store broke the contract; the reason names the first expectation it missed.
        case fail(String)
    }

    /// One check's result.
    public struct Result: Sendable, Hashable {
        /// The check's name, e.g. `race-hold` (stable: see ``BookingStoreContract/checkNames`` and
        /// ``SessionStoreContract/checkNames``).
        public var name: String
        /// What the check proves, in a sentence.
        public var title: String
        /// How it ended.
        public var outcome: Outcome

        /// Creates a result.
        public init(name: String, title: String, outcome: Outcome) {
            self.name = name
            self.title = title
            self.outcome = outcome
        }
    }

    /// The results, in run order.
    public var results: [Result]

    /// Creates a report from its results.
    public init(results: [Result]) {
        self.results = results
    }

    /// How many checks passed.
    public var passed: Int { results.filter { $0.outcome == .pass }.count }
    /// How many checks failed.
    public var failed: Int { results.count - passed }

    /// The failed checks by name, each with its reason.
    public var failures: [(name: String, reason: String)] {
        results.compactMap { result in
            if case .fail(let reason) = result.outcome { (result.name, reason) } else { nil }
        }
    }

    /// One line per check (`PASS name  title` or `FAIL name  reason`), then `N passed, N failed`.
    public var text: String {
        var lines = results.map { result in
            switch result.outcome {
            case .pass: "PASS \(result.name)  \(result.title)"
            case .fail(let reason): "FAIL \(result.name)  \(reason)"
            }
        }
        lines.append("\(passed) passed, \(failed) failed")
        return lines.joined(separator: "\n")
    }
}

/// The result of a ``BookingStoreContract`` run.
public typealias BookingStoreContractReport = StoreContractReport

/// The result of a ``SessionStoreContract`` run.
public typealias SessionStoreContractReport = StoreContractReport

/// A check of a store contract: a stable name and what it proves.
protocol StoreContractCheck: Sendable {
    var name: String { get }
    var title: String { get }
}

extension StoreContractReport {
    /// Runs `checks` (those named in `only`, when it is given) one after another through `body`;
    /// a ``ContractFailure`` fails the check with its reason, any other error with its description.
    static func run<Check: StoreContractCheck>(
        _ checks: [Check], only names: Set<String>?, _ body: (Check) async throws -> Void
    ) async -> StoreContractReport {
        var results: [Result] = []
        for check in checks where names?.contains(check.name) ?? true {
            let outcome: Outcome
            do {
                try await body(check)
                outcome = .pass
            } catch let failure as ContractFailure {
                outcome = .fail(failure.reason)
            } catch {
                outcome = .fail("the store factory or the store threw: \(error)")
            }
            results.append(Result(name: check.name, title: check.title, outcome: outcome))
        }
        return StoreContractReport(results: results)
    }
}
