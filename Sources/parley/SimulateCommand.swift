import Parley

/// `parley simulate --sessions N --seed S --drop P --duplicate P --reorder P [--corrupt P]`.
enum SimulateCommand {
    static let usage = """
        usage: parley simulate [--sessions N] [--seed S] [--drop P] [--duplicate P] [--reorder P] [--corrupt P] [--concurrency N]

        Without --seed the run draws a random seed; the summary prints it, and --seed S replays the run exactly.
        """

    static func run(_ arguments: [String]) async -> Int32 {
        var options = Options(arguments)
        let sessions = options.integer("--sessions") ?? 1000
        let seed = options.integer("--seed") ?? Int.random(in: 0...Int.max)
        let concurrency = options.integer("--concurrency") ?? 64
        let drop = options.probability("--drop") ?? 0
        let duplicate = options.probability("--duplicate") ?? 0
        let reorder = options.probability("--reorder") ?? 0
        let corrupt = options.probability("--corrupt") ?? 0
        if let problem = options.problem ?? (sessions < 1 || concurrency < 1 ? "sessions and concurrency must be positive" : nil)
            ?? (seed < 0 ? "--seed needs a whole number from 0, not \(seed)" : nil)
        {
            Console.error("parley simulate: \(problem)\n\(usage)")
            return 64
        }
        guard drop + duplicate + reorder + corrupt <= 1 else {
            Console.error("parley simulate: the fault probabilities must add up to at most 1")
            return 64
        }
        let configuration = SimulationConfiguration(
            sessions: sessions, seed: UInt64(seed), drop: drop, duplicate: duplicate, reorder: reorder, corrupt: corrupt,
            concurrency: concurrency)
        let summary = await Simulation(configuration).run()
        print(summary)
        return summary.violations == 0 ? 0 : 1
    }
}

/// Minimal `--name value` option parsing for the subcommands.
struct Options {
    private var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positional: [String] = []
    private(set) var problem: String?

    init(_ arguments: [String], flags known: Set<String> = []) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if known.contains(argument) {
                flags.insert(argument)
            } else if argument.hasPrefix("--") {
                guard index + 1 < arguments.count else {
                    problem = "\(argument) needs a value"
                    return
                }
                values[argument] = arguments[index + 1]
                index += 1
            } else {
                positional.append(argument)
            }
            index += 1
        }
    }

    func string(_ name: String) -> String? { values[name] }

    mutating func integer(_ name: String) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else {
            problem = problem ?? "\(name) needs a whole number, not '\(text)'"
            return nil
        }
        return value
    }

    mutating func probability(_ name: String) -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Double(text), value >= 0, value <= 1 else {
            problem = problem ?? "\(name) needs a probability from 0 to 1, not '\(text)'"
            return nil
        }
        return value
    }
}
