import Parley

/// `parley simulate --sessions N --seed S --drop P --duplicate P --reorder P [--corrupt P]`.
enum SimulateCommand {
    static let usage = """
        usage: parley simulate [--sessions N] [--seed S] [--drop P] [--duplicate P] [--reorder P] [--corrupt P]
                               [--concurrency N]

        Runs N customer sessions (default 1000, at most --concurrency at a time, default 64) against one
        company agent over a network that drops, duplicates, reorders or corrupts each envelope with the
        given probabilities (0 to 1, adding up to at most 1), on virtual time. Without --seed the run
        draws a random seed; the summary prints it, and --seed S replays the run exactly. Prints a
        summary; exits 1 when an invariant was violated.
        """

    static let command = CommandSpec(
        name: "parley simulate", usage: usage,
        options: ["--sessions", "--seed", "--concurrency", "--drop", "--duplicate", "--reorder", "--corrupt"])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try Options(arguments, for: command)
        let sessions = try options.integer("--sessions") ?? 1000
        let seed = try options.integer("--seed") ?? Int.random(in: 0...Int.max)
        let concurrency = try options.integer("--concurrency") ?? 64
        let drop = try options.probability("--drop") ?? 0
        let duplicate = try options.probability("--duplicate") ?? 0
        let reorder = try options.probability("--reorder") ?? 0
        let corrupt = try options.probability("--corrupt") ?? 0
        guard sessions >= 1, concurrency >= 1 else { throw options.mistake("--sessions and --concurrency must be positive") }
        guard seed >= 0 else { throw options.mistake("--seed must not be negative") }
        guard drop + duplicate + reorder + corrupt <= 1 else { throw options.mistake("the fault probabilities must add up to at most 1") }
        let configuration = SimulationConfiguration(
            sessions: sessions, seed: UInt64(seed), drop: drop, duplicate: duplicate, reorder: reorder, corrupt: corrupt,
            concurrency: concurrency)
        let progress = ProgressLine()
        let step = max(1, sessions / 100)
        let summary = await Simulation(configuration).run { done in
            if done % step == 0 || done == sessions { progress.show("simulate: \(done) / \(sessions) sessions done") }
        }
        progress.clear()
        print(summary)
        return summary.violations == 0 ? 0 : 1
    }
}
