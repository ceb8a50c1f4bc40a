import Parley
import ParleyScenarios

/// `parley serve --role company|customer --scenario NAME`: runs one scenario agent over stdio
/// (JSON Lines envelopes on standard input and output, diagnostics on standard error), so that
/// any program, in any language, can negotiate with it.
enum ServeCommand {
    static let usage = """
        usage: parley serve --role company --scenario salon|restaurant
               parley serve --role customer --scenario haircut|restaurant [--peer AGENT-ID]

        Runs one agent of a reference scenario on standard input and output, JSON Lines envelopes, with
        diagnostics on standard error. The company serves until its input ends; the customer books at
        --peer (default: the scenario's company) and exits 1 when the negotiation fails.
        """

    static let command = CommandSpec(name: "parley serve", usage: usage, options: ["--role", "--scenario", "--peer"])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try Options(arguments, for: command)
        let role = try options.required("--role")
        let scenario = try options.required("--scenario")
        let peerOption = try options.value("--peer", { AgentID(rawValue: $0) })
        switch (role, scenario) {
        case ("company", "salon"), ("company", "restaurant"), ("customer", "haircut"), ("customer", "restaurant"): break
        default: throw options.mistake("unknown role/scenario \(role)/\(scenario)")
        }
        let clock = ShiftedClock(start: World.now)
        let transport = StandardIO.transport()
        switch (role, scenario) {
        case ("company", "salon"), ("company", "restaurant"):
            let (agent, _) = scenario == "salon" ? Salons.salon() : Salons.restaurant()
            Console.error("parley serve: \(agent.profile.name) (\(agent.profile.id)) serving on stdio")
            let logger = Task { await log(agent.events) }
            await agent.serve(transport, clock: clock)
            logger.cancel()
            return ExitStatus.success
        case ("customer", "haircut"), ("customer", "restaurant"):
            let peer = peerOption ?? (scenario == "haircut" ? "salon.example/bot" : "trattoria.example/bot")
            let wishes = scenario == "haircut" ? Scenarios.haircutWishes : Scenarios.restaurantWishes
            let agent = CustomerAgent(
                id: World.lisa, wishes: wishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
                consentKey: World.lisasKey, clock: clock)
            let logger = Task { await log(agent.events) }
            await agent.connect(to: peer, over: transport)
            let outcome = await agent.book(at: peer)
            Console.error("parley serve: outcome \(outcome.summary)")
            await agent.disconnect()
            await transport.close()
            logger.cancel()
            if case .failed = outcome { return ExitStatus.failure }
            return ExitStatus.success
        default:
            throw options.mistake("unknown role/scenario \(role)/\(scenario)")
        }
    }

    /// Writes each agent event to standard error, one line each (no personal data: envelopes by type and id only).
    static func log(_ events: AsyncStream<AgentEvent>) async {
        for await event in events {
            switch event {
            case .messageSent(let envelope): Console.error("sent \(envelope)")
            case .messageReceived(let envelope): Console.error("received \(envelope)")
            case .messageRejected(let session, let error): Console.error("rejected in \(session): \(error)")
            case .inputRejected(let error, let session):
                Console.error("rejected input outside any open session\(session.map { " (names \($0))" } ?? ""): \(error)")
            case .sessionEnded(let session, let end): Console.error("session \(session) ended: \(end.outcome)")
            case .sessionOpened, .phaseChanged, .consentGranted, .consentUsed, .consentRevoked: break
            }
        }
    }
}
