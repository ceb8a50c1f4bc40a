extension SimulatedWorld {
    /// One thing that happens at an instant.
    enum Event {
        case launch
        case deliver(TransportEvent, toCompany: Bool, customer: AgentID)
        case timer(TimerKey, generation: Int)
    }

    mutating func run() async {
        for _ in 0..<min(configuration.concurrency, configuration.sessions) { queue.push(at: now, .launch) }
        while let (time, event) = queue.pop() {
            now = max(now, time)
            switch event {
            case .launch:
                await launch()
            case .deliver(let inbound, let toCompany, let customer):
                if toCompany {
                    let output = await company.handle(inbound, now: now)
                    transmit(output, fromCompany: true, customer: customer)
                    await noteEndings(output, customer: customer)
                } else if let agent = customers[customer] {
                    let output = await agent.handle(inbound, now: now)
                    transmit(output, fromCompany: false, customer: customer)
                    await noteEndings(output, customer: customer)
                }
            case .timer(let key, let generation):
                guard timerGenerations[key] == generation else { continue }
                timerGenerations[key] = nil
                let output: AgentOutput
                let toCompany = key.agent == company.profile.id
                if toCompany {
                    output = await company.timerFired(key.timer, session: key.session, now: now)
                    transmit(output, fromCompany: true, customer: customerOf(key.session))
                } else if let agent = customers[key.agent] {
                    output = await agent.timerFired(key.timer, session: key.session, now: now)
                    transmit(output, fromCompany: false, customer: key.agent)
                } else {
                    continue
                }
                await noteEndings(output, customer: toCompany ? customerOf(key.session) : key.agent)
            }
        }
        summary.virtualSeconds = start.seconds(to: now)
    }

    private func customerOf(_ session: SessionID) -> AgentID {
        sessions.first { $0.session == session }?.customer ?? "unknown"
    }

    /// Opens the next customer session with random wishes.
    private mutating func launch() async {
        guard launched < configuration.sessions else { return }
        launched += 1
        let id = AgentID(stringLiteral: "customer-\(launched).sim")
        let day = random.next(below: 365)
        let hour = 9 + random.next(below: 7)
        let date = Instant.civil(fromDays: Int(start.secondsSinceEpoch / 86_400) + day)
        let berlin = LocalTime(timeZone: "Europe/Berlin")!
        let from = berlin.instant(year: date.year, month: date.month, day: date.day, hour: hour)
        let wishes = Wishes(
            service: random.next(below: 4) == 0 ? "haircut" : "haircut-women",
            windows: [TimeWindow(start: from, end: from.adding(minutes: 120)), TimeWindow(start: from.adding(minutes: -180), end: from)],
            preferredStart: from.adding(minutes: 60), priceCeiling: Money(amount: 6000, currency: "EUR"),
            answers: ["service": "haircut-women"])
        let policy = PrivacyPolicy(rules: [.booking: .init(fields: [.givenName], decision: .allow)])
        let key = ConsentRootKey(bytes: (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) })!
        let agent = CustomerAgent(
            id: id, wishes: wishes, policy: policy, personalData: [.givenName: "Customer \(launched)"], consentKey: key,
            clock: SimulationClock(now: now), seed: random.next())
        customers[id] = agent
        let (session, output) = await agent.open(.book(collecting: false), with: company.profile.id)
        sessions.append((id, session))
        transmit(output, fromCompany: false, customer: id)
    }

    /// Sends envelopes through the faulty network and schedules timers.
    private mutating func transmit(_ output: AgentOutput, fromCompany: Bool, customer: AgentID) {
        for envelope in output.envelopes {
            let key = LinkKey(session: envelope.session, toCompany: !fromCompany)
            var injector =
                injectors[key]
                ?? FaultInjector(
                    profile: FaultProfile(
                        drop: configuration.drop, duplicate: configuration.duplicate, reorder: configuration.reorder,
                        corrupt: configuration.corrupt),
                    seed: random.next())
            for delivery in injector.process(envelope) {
                let inbound: TransportEvent
                switch delivery {
                case .envelope(let envelope): inbound = .envelope(envelope)
                case .bytes(let bytes):
                    let codec = WireCodec()
                    inbound = .undecodable(
                        ParleyError(.malformedJSON, "corrupted in transit"), session: envelope.session, from: envelope.from,
                        sequence: codec.sequenceNumber(in: bytes))
                }
                queue.push(at: now, .deliver(inbound, toCompany: !fromCompany, customer: customer))
            }
            injectors[key] = injector
        }
        let agent = fromCompany ? company.profile.id : customer
        for request in output.timers {
            let key = TimerKey(agent: agent, session: request.session, timer: request.timer)
            let generation = (timerGenerations[key] ?? 0) &+ 1
            if let at = request.at {
                timerGenerations[key] = generation
                queue.push(at: max(at, now), .timer(key, generation: generation))
            } else {
                timerGenerations[key] = nil
            }
        }
    }

    /// When a customer session ends, frees its place for the next launch.
    private mutating func noteEndings(_ output: AgentOutput, customer: AgentID) async {
        guard let agent = customers[customer], let session = sessions.last(where: { $0.customer == customer })?.session,
            !ended.contains(session), await agent.isFinished(session)
        else { return }
        ended.insert(session)
        progress?(ended.count)
        queue.push(at: now, .launch)
    }
}

/// A clock for agents inside a simulation: it only reports the time the simulation set.
struct SimulationClock: AgentClock {
    let now: Instant

    func sleep(until deadline: Instant) async throws {
        throw CancellationError()
    }
}
