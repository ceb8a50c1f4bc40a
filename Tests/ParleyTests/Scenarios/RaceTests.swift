import ParleyScenarios
import Testing

@testable import Parley

/// Runs agents over a virtual network whose delivery order a seed chooses.
struct Interleaver {
    var random: SeededRandom
    var pending: [(event: TransportEvent, toCompany: Bool, customer: AgentID)] = []
    let company: CompanyAgent
    let customers: [AgentID: CustomerAgent]

    /// Delivers pending envelopes one at a time, each time picking a random one, until none is left.
    mutating func run(now: Instant) async {
        var steps = 0
        while !pending.isEmpty, steps < 10_000 {
            steps += 1
            let index = random.next(below: pending.count)
            let (event, toCompany, customer) = pending.remove(at: index)
            let output = toCompany ? await company.handle(event, now: now) : await customers[customer]!.handle(event, now: now)
            for envelope in output.envelopes {
                pending.append((.envelope(envelope), !toCompany, customer))
            }
        }
    }
}

@Suite("S5 last slot race")
struct RaceTests {
    static func race(seed: UInt64) async -> (outcomes: [NegotiationOutcome], bookings: [BookingRecord]) {
        let store = InMemoryBookingStore(openingHours: [World.window(may: 3, from: (10, 0), to: (10, 45))])
        let salon = CompanyAgent(
            profile: CompanyProfile(id: "salon.example/bot", name: "Salon Krause", timeZone: World.timeZone),
            catalogue: Salons.catalogue(), store: store)
        let clock = ManualClock(now: World.now)
        let wishes = Wishes(
            service: "haircut-women", windows: [World.window(may: 3, from: (10, 0), to: (11, 0))], preferredStart: World.may(3, 10))
        var customers: [AgentID: CustomerAgent] = [:]
        var interleaver = Interleaver(random: SeededRandom(seed: seed), company: salon, customers: [:])
        var sessions: [(AgentID, SessionID)] = []
        for name in ["anna", "ben"] {
            let id = AgentID(stringLiteral: "assistant.example/\(name)")
            let agent = CustomerAgent(
                id: id, wishes: wishes, policy: World.bookingOnlyPolicy, personalData: [.givenName: name],
                consentKey: World.lisasKey, clock: clock, seed: seed &+ UInt64(name.count))
            customers[id] = agent
            let (session, output) = await agent.open(.book(collecting: false), with: salon.profile.id)
            sessions.append((id, session))
            for envelope in output.envelopes { interleaver.pending.append((.envelope(envelope), true, id)) }
        }
        interleaver = Interleaver(random: interleaver.random, pending: interleaver.pending, company: salon, customers: customers)
        await interleaver.run(now: clock.now)
        var outcomes: [NegotiationOutcome] = []
        for (id, session) in sessions { outcomes.append(await customers[id]!.outcome(of: session) ?? .noAgreement(.disconnected)) }
        return (outcomes, await store.activeBookings())
    }

    @Test("Two customers race for the last slot: exactly one booking, the other a clean decline, for 1,000 seeded interleavings")
    func lastSlotRace() async {
        let base = UInt64(Environment.seed ?? 5)
        var contested = 0
        for offset in 0..<1000 {
            let seed = base &+ UInt64(offset)
            let (outcomes, bookings) = await Self.race(seed: seed)
            let booked = outcomes.compactMap(\.booking)
            #expect(bookings.count == 1, "seed \(seed): store holds \(bookings.count) bookings")
            #expect(booked.count == 1, "seed \(seed): outcomes \(outcomes.map(\.summary))")
            #expect(booked.first?.confirmation.slot == bookings.first?.slot, "seed \(seed)")
            let loser = outcomes.first { $0.booking == nil }
            if case .noAgreement(let reason) = loser {
                if case .declined(.slotTaken, _) = reason { contested += 1 }
            } else {
                Issue.record("seed \(seed): loser ended with \(loser.map(\.summary) ?? "nothing")")
            }
            if bookings.count != 1 || booked.count != 1 { break }
        }
        // Both kinds of interleaving happen: the loser accepted the same slot and was declined at commit,
        // or it asked after the winner had taken the slot.
        #expect(contested > 0 && contested < 1000, "contested races: \(contested) of 1000")
    }
}

/// Test settings from the environment, so a failing seed can be replayed.
enum Environment {
    /// `PARLEY_SEED`, if set.
    static var seed: Int? {
        guard let text = getenvString("PARLEY_SEED") else { return nil }
        return Int(text)
    }
}
