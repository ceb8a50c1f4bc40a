import Parley
import ParleyScenarios

/// `parley demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE]`.
enum DemoCommand {
    static let usage = """
        usage: parley demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE]

        Plays a reference scenario between a person's assistant and a company's service bot, in process,
        and prints the dialogue and a summary; --json prints the envelopes instead, one per line, and
        --ics FILE writes the booking as an iCalendar event.
        """

    static let command = CommandSpec(name: "parley demo", usage: usage, options: ["--ics"], flags: ["--json"], positionals: 1...1)

    static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try Options(arguments, for: command)
        let name = options.positional[0]
        let icsPath = try options.string("--ics")
        let runs: [(String?, ScenarioRun)]
        switch name {
        case "haircut": runs = [(nil, await Scenarios.haircut())]
        case "restaurant": runs = [(nil, await Scenarios.restaurant())]
        case "three-salons": runs = [(nil, await Scenarios.threeSalons())]
        case "give-and-take":
            var all: [(String?, ScenarioRun)] = []
            for policy in Scenarios.MarketingPolicy.allCases {
                all.append(
                    (
                        "policy: \(policy.rawValue) (the person answers yes when asked)",
                        await Scenarios.giveAndTake(policy: policy, personSays: true).0
                    ))
            }
            runs = all
        default:
            throw options.mistake("unknown scenario '\(name)'")
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
        if let path = icsPath {
            guard let booking = runs.last?.1.outcome.booking else {
                Console.error("parley demo: no booking to export")
                return ExitStatus.failure
            }
            let event = CalendarEvent(confirm: booking.confirmation, company: booking.company, summary: "Haircut at Salon Krause")
            guard Console.writeFile(path: path, bytes: Array(event.iCalendar(stamp: World.now).utf8)) else {
                Console.error("parley demo: cannot write \(path)")
                return ExitStatus.cannotCreate
            }
        }
        return ExitStatus.success
    }
}
