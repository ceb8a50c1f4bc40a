import Parley
import ParleyScenarios

/// `parley demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE]`.
enum DemoCommand {
    static let usage = """
        usage: parley demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE] [--receipt FILE]

        Plays a reference scenario between a person's assistant and a company's service bot, in process,
        and prints the dialogue and a summary; --json prints the envelopes instead, one per line,
        --ics FILE writes the booking as an iCalendar event, and --receipt FILE writes the booking
        receipt (the salon's signed confirmation: check it with `parley receipt verify FILE`).

        The demo plays on a fixed clock (2026-04-30T09:00:00Z, the scenarios' 3 May 2026 calendar) and
        fixed seeds, so that its output is the same on every run and can be checked byte for byte.
        --now TIME   start the clock at TIME instead (RFC 3339 UTC); the calendars move with it
                     (the salons' day is 3 days later, the restaurant's 6)
        """

    static let command = CommandSpec(
        name: "parley demo", usage: usage, options: ["--ics", "--now", "--receipt"], flags: ["--json"], positionals: 1...1)

    static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try Options(arguments, for: command)
        let name = options.positional[0]
        let icsPath = try options.string("--ics")
        let receiptPath = try options.string("--receipt")
        let now = try ClockOptions.instant(options) ?? World.now
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
            guard Console.writeFile(path: path, bytes: Array(event.iCalendar(stamp: now).utf8)) else {
                Console.error("parley demo: cannot write \(path)")
                return ExitStatus.cannotCreate
            }
        }
        if let path = receiptPath {
            guard let receipt = runs.last?.1.outcome.booking?.receipt else {
                Console.error("parley demo: no booking receipt to write")
                return ExitStatus.failure
            }
            guard Console.writeFile(path: path, bytes: Array((receipt.jsonText + "\n").utf8)) else {
                Console.error("parley demo: cannot write \(path)")
                return ExitStatus.cannotCreate
            }
        }
        return ExitStatus.success
    }
}
