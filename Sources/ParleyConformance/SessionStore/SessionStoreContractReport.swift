/// The result of a ``SessionStoreContract`` run: one named result per check, pass or fail with
/// the reason.
public struct SessionStoreContractReport: Sendable {
    /// How a check ended.
    public enum Outcome: Sendable, Hashable {
        /// The store did everything the check expects.
        case pass
        /// The store broke the contract; the reason names the first expectation it missed.
        case fail(String)
    }

    /// One check's result.
    public struct Result: Sendable, Hashable {
        /// The check's name, e.g. `race-save` (stable: see ``SessionStoreContract/checkNames``).
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
