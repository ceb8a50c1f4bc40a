import Parley
import ParleyScenarios

/// `parley demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE]`.
enum DemoCommand {
    static let usage = """
        usage: parley demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE]

        The demo plays on a fixed clock (2026-04-30T09:00:00Z, the scenarios' 3 May 2026 calendar) and
        fixed seeds, so that its output is the same on every run and can be checked byte for byte.
        --now TIME   start the clock at TIME instead (RFC 3339 UTC); the calendars move with it
                     (the salons' day is 3 days later, the restaurant's 6)
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let options = Options(arguments, flags: ["--json"])
        guard options.problem == nil, options.positional.count == 1, let name = options.positional.first else {
            Console.error(options.problem.map { "parley demo: \($0)\n\(usage)" } ?? usage)
            return 64
        }
        var now = World.now
        if let text = options.string("--now") {
            guard let start = Instant(rfc3339: text) else {
                Console.error("parley demo: --now needs an RFC 3339 UTC time such as 2026-04-30T09:00:00Z, not '\(text)'\n\(usage)")
                return 64
            }
            now = start
        }
        let runs: [(String?, ScenarioRun)]
        switch name {
        case "haircut": runs = [(nil, await Scenarios.haircut(stage: Stage(now: now)))]
        case "restaurant": runs = [(nil, await Scenarios.restaurant(stage: Stage(now: now)))]
        case "three-salons": runs = [(nil, await Scenarios.threeSalons(stage: Stage(now: now)))]
        case "give-and-take":
            var all: [(String?, ScenarioRun)] = []
            for policy in Scenarios.MarketingPolicy.allCases {
                all.append(
                    (
                        "policy: \(policy.rawValue) (the person answers yes when asked)",
                        await Scenarios.giveAndTake(policy: policy, personSays: true, stage: Stage(now: now)).0
                    ))
            }
            runs = all
        default:
            Console.error("parley demo: unknown scenario '\(name)'\n\(usage)")
            return 64
        }
        let codec = WireCodec()
        for (title, run) in runs {
            if options.flags.contains("--json") {
                for envelope in run.transcripts.joined() { print(codec.encodeText(envelope)) }
            } else {
                if let title { print("== \(title)") }
                print(ScenarioReport.dialogue(of: run))
                print()
                print(ScenarioReport.summary(of: run))
            }
        }
        if let path = options.string("--ics") {
            guard let booking = runs.last?.1.outcome.booking else {
                Console.error("parley demo: no booking to export")
                return 1
            }
            let event = CalendarEvent(confirm: booking.confirmation, company: booking.company, summary: "Haircut at Salon Krause")
            guard Console.writeFile(path: path, bytes: Array(event.iCalendar(stamp: now).utf8)) else {
                Console.error("parley demo: cannot write \(path)")
                return 73
            }
        }
        return 0
    }
}
