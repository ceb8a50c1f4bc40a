import Parley
import ParleyScenarios

/// `parley serve --role company|customer --scenario NAME`: runs one scenario agent over stdio
/// (JSON Lines envelopes on standard input and output, diagnostics on standard error), so that
/// any program, in any language, can negotiate with it.
enum ServeCommand {
    static let usage = """
        usage: parley serve --role company --scenario salon|restaurant [--now TIME]
               parley serve --role customer --scenario haircut|restaurant [--peer AGENT-ID] [--company-key HEX] [--now TIME] [--seed S]

        Runs one agent of a reference scenario on standard input and output, JSON Lines envelopes, with
        diagnostics on standard error. The company serves until its input ends; the customer books at
        --peer (default: the scenario's company), stops at the end of its standard input, and exits 1
        when the negotiation fails.

        The scenario's calendar is laid out relative to the clock: the salon and the restaurant are
        open for the next 14 days from tomorrow (09:00-18:00 and 17:00-23:00 Europe/Berlin), with the
        S1 diary tomorrow; the customer asks for tomorrow (haircut: 12:00, else 10:00-12:00; table: 18:00).
        \(ClockOptions.help)
        --seed S     the customer draws its session and token ids, its consent root key and its signing
                     key from seed S, so that a run replays; by default they come from the system's secure
                     random source
        --company-key HEX
                     the public key (64 hex digits) the customer trusts for the company's signed confirms
                     (Spec/PROTOCOL.md §5.7): an unsigned or wrongly signed confirm then fails the session.
                     Default for haircut: the S1 salon's test key, which `--role company --scenario salon`
                     signs with; restaurant: none (confirms are accepted signed or not)
        """

    static let command = CommandSpec(
        name: "parley serve", usage: usage, options: ["--role", "--scenario", "--peer", "--now", "--seed", "--company-key"])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try Options(arguments, for: command)
        let role = try options.required("--role")
        let scenario = try options.required("--scenario")
        let peerOption = try options.value("--peer", { AgentID(rawValue: $0) })
        let seed = try options.integer("--seed")
        let companyKey = try options.value("--company-key") { PublicSigningKey(hex: $0) }
        switch (role, scenario) {
        case ("company", "salon"), ("company", "restaurant"), ("customer", "haircut"), ("customer", "restaurant"): break
        default: throw options.mistake("unknown role/scenario \(role)/\(scenario)")
        }
        let clock = try ClockOptions.clock(options)
        let tomorrow = ScenarioDay.following(clock.now, days: 1)
        let transport = StandardIO.transport()
        switch (role, scenario) {
        case ("company", "salon"), ("company", "restaurant"):
            let (agent, _) = scenario == "salon" ? Salons.liveSalon(from: tomorrow) : Salons.liveRestaurant(from: tomorrow)
            Console.error("parley serve: \(agent.profile.name) (\(agent.profile.id)) serving on stdio, now \(clock.now)")
            let logger = Task { await log(agent.events) }
            await agent.serve(transport, clock: clock)
            logger.cancel()
            return ExitStatus.success
        case ("customer", "haircut"), ("customer", "restaurant"):
            let peer = peerOption ?? (scenario == "haircut" ? "salon.example/bot" : "trattoria.example/bot")
            let wishes = scenario == "haircut" ? Scenarios.haircutWishes(on: tomorrow) : Scenarios.restaurantWishes(on: tomorrow)
            let key: ConsentRootKey
            let signingKey: SigningKey
            if let seed {
                var generator = SeededRandom(seed: UInt64(truncatingIfNeeded: seed))
                key = ConsentRootKey(using: &generator)
                signingKey = SigningKey(using: &generator)
            } else {
                var generator = SystemRandomNumberGenerator()
                key = ConsentRootKey(using: &generator)
                signingKey = SigningKey(using: &generator)
            }
            var trusted: [AgentID: [PublicSigningKey]] = [:]
            if let companyKey {
                trusted[peer] = [companyKey]
            } else if scenario == "haircut" {
                trusted = World.trustedCompanyKeys
            }
            let agent = CustomerAgent(
                id: World.lisa, wishes: wishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData, consentKey: key,
                clock: clock, seed: seed.map { UInt64(truncatingIfNeeded: $0) }, signingKey: signingKey, trustedCompanyKeys: trusted)
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
