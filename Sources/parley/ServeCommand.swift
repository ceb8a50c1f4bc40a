import Parley
import ParleyScenarios

/// `parley serve --role company|customer --scenario NAME`: runs one scenario agent over stdio
/// (JSON Lines envelopes on standard input and output, diagnostics on standard error), so that
/// any program, in any language, can negotiate with it.
enum ServeCommand {
    static let usage = """
        usage: parley serve --role company --scenario salon|restaurant [--now TIME]
               parley serve --role customer --scenario haircut|restaurant [--peer AGENT-ID] [--now TIME] [--seed S]

        The scenario's calendar is laid out relative to the clock: the salon and the restaurant are
        open for the next 14 days from tomorrow (09:00-18:00 and 17:00-23:00 Europe/Berlin), with the
        S1 diary tomorrow; the customer asks for tomorrow (haircut: 12:00, else 10:00-12:00; table: 18:00).
        \(ClockOptions.help)
        --seed S     the customer draws its session and token ids and its consent root key from seed S,
                     so that a run replays; by default they come from the system's secure random source
        The customer stops at the end of its standard input.
        """

    static func run(_ arguments: [String]) async -> Int32 {
        var options = Options(arguments)
        let seed = options.integer("--seed")
        guard options.problem == nil, let role = options.string("--role"), let scenario = options.string("--scenario") else {
            Console.error(options.problem.map { "parley serve: \($0)\n\(usage)" } ?? usage)
            return 64
        }
        let clock: any AgentClock
        switch ClockOptions.clock(now: options.string("--now")) {
        case .success(let chosen): clock = chosen
        case .failure(let problem):
            Console.error("parley serve: \(problem.message)\n\(usage)")
            return 64
        }
        let tomorrow = ScenarioDay.following(clock.now, days: 1)
        let transport = StandardIO.transport()
        switch (role, scenario) {
        case ("company", "salon"), ("company", "restaurant"):
            let (agent, _) = scenario == "salon" ? Salons.liveSalon(from: tomorrow) : Salons.liveRestaurant(from: tomorrow)
            Console.error("parley serve: \(agent.profile.name) (\(agent.profile.id)) serving on stdio, now \(clock.now)")
            let logger = Task { await log(agent.events) }
            await agent.serve(transport, clock: clock)
            logger.cancel()
            return 0
        case ("customer", "haircut"), ("customer", "restaurant"):
            let peer = AgentID(options.string("--peer") ?? (scenario == "haircut" ? "salon.example/bot" : "trattoria.example/bot"))
            guard let peer else {
                Console.error("parley serve: --peer needs an agent id")
                return 64
            }
            let wishes = scenario == "haircut" ? Scenarios.haircutWishes(on: tomorrow) : Scenarios.restaurantWishes(on: tomorrow)
            let key: ConsentRootKey
            if let seed {
                var generator = SeededRandom(seed: UInt64(truncatingIfNeeded: seed))
                key = ConsentRootKey(using: &generator)
            } else {
                var generator = SystemRandomNumberGenerator()
                key = ConsentRootKey(using: &generator)
            }
            let agent = CustomerAgent(
                id: World.lisa, wishes: wishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData, consentKey: key,
                clock: clock, seed: seed.map { UInt64(truncatingIfNeeded: $0) })
            let logger = Task { await log(agent.events) }
            await agent.connect(to: peer, over: transport)
            let outcome = await agent.book(at: peer)
            Console.error("parley serve: outcome \(outcome.summary)")
            await agent.disconnect()
            await transport.close()
            logger.cancel()
            if case .failed = outcome { return 1 }
            return 0
        default:
            Console.error("parley serve: unknown role/scenario \(role)/\(scenario)\n\(usage)")
            return 64
        }
    }

    /// Writes each agent event to standard error, one line each (no personal data: envelopes by type and id only).
    static func log(_ events: AsyncStream<AgentEvent>) async {
        for await event in events {
            switch event {
            case .messageSent(let envelope): Console.error("sent \(envelope)")
            case .messageReceived(let envelope): Console.error("received \(envelope)")
            case .messageRejected(let session, let error): Console.error("rejected in \(session): \(error)")
            case .sessionEnded(let session, let end): Console.error("session \(session) ended: \(end.outcome)")
            case .sessionOpened, .phaseChanged, .consentGranted, .consentUsed, .consentRevoked: break
            }
        }
    }
}
