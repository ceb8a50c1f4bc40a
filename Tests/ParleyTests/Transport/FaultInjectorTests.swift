import Testing

@testable import Parley

@Suite("Fault injection")
struct FaultInjectorTests {
    typealias S = TransportSamples

    static let mixed = FaultProfile(drop: 0.1, duplicate: 0.1, reorder: 0.1, delay: 0.1, corrupt: 0.1)

    /// Runs `count` envelopes through an injector and returns every delivery, flush included.
    static func deliveries(seed: UInt64, profile: FaultProfile = mixed, count: Int) -> [FaultInjector.Delivery] {
        var injector = FaultInjector(profile: profile, seed: seed)
        var deliveries: [FaultInjector.Delivery] = []
        for sequence in 1...count { deliveries += injector.process(S.envelope(sequence: sequence)) }
        return deliveries + injector.flush()
    }

    @Test func seededRandomMatchesTheSplitMix64ReferenceSequence() {
        var random = SeededRandom(seed: 0)
        #expect([random.next(), random.next(), random.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var other = SeededRandom(seed: S.seed)
        for _ in 0..<1000 {
            let value = other.nextDouble()
            #expect(value >= 0 && value < 1)
            #expect((0..<7).contains(other.next(below: 7)))
        }
    }

    @Test func sameSeedSameFaultsDifferentSeedDifferentFaults() {
        let seed = S.seed
        let first = Self.deliveries(seed: seed, count: 500)
        #expect(first == Self.deliveries(seed: seed, count: 500), "seed \(seed)")
        #expect(first != Self.deliveries(seed: seed &+ 1, count: 500), "seed \(seed)")
    }

    @Test func eachFaultHappensAtRoughlyItsProbability() {
        let seed = S.seed
        var injector = FaultInjector(profile: Self.mixed, seed: seed)
        var delivered = 0
        for sequence in 1...10_000 { delivered += injector.process(S.envelope(sequence: sequence)).count }
        delivered += injector.flush().count
        let counters = injector.counters
        for (name, count) in [
            ("dropped", counters.dropped), ("duplicated", counters.duplicated), ("reordered", counters.reordered),
            ("delayed", counters.delayed), ("corrupted", counters.corrupted),
        ] {
            #expect((800...1200).contains(count), "\(name) = \(count), seed \(seed)")
        }
        #expect(counters.sent == 10_000)
        #expect(counters.delivered == delivered)
        #expect(delivered == 10_000 - counters.dropped + counters.duplicated, "seed \(seed)")
    }

    @Test func reorderingAndDelayPermuteButNeverLoseEnvelopes() {
        let seed = S.seed
        let sent = (1...1000).map { S.envelope(sequence: $0) }
        for profile in [FaultProfile(reorder: 0.3), FaultProfile(delay: 0.3, maximumDelay: 5)] {
            let delivered = Self.deliveries(seed: seed, profile: profile, count: 1000).compactMap { delivery in
                if case .envelope(let envelope) = delivery { return envelope }
                return nil
            }
            #expect(delivered.count == sent.count, "\(profile), seed \(seed)")
            #expect(Set(delivered) == Set(sent), "\(profile), seed \(seed)")
            #expect(delivered != sent, "\(profile), seed \(seed)")
        }
    }

    @Test func reorderSwapsAnEnvelopeWithTheNextOne() {
        var injector = FaultInjector(profile: FaultProfile(reorder: 1), seed: S.seed)
        let one = S.envelope(sequence: 1)
        let two = S.envelope(sequence: 2)
        #expect(injector.process(one) == [])
        #expect(injector.heldCount == 1)
        // Two is held in turn; one is released after it.
        #expect(injector.process(two) == [.envelope(one)])
        #expect(injector.flush() == [.envelope(two)])
        #expect(injector.heldCount == 0)
    }

    @Test func corruptionYieldsUndecodableBytesOrADifferentEnvelope() {
        let seed = S.seed
        var injector = FaultInjector(profile: FaultProfile(corrupt: 1), seed: seed)
        for sequence in 1...300 {
            let envelope = S.envelope(sequence: sequence)
            let deliveries = injector.process(envelope)
            #expect(deliveries.count == 1)
            switch deliveries.first {
            case .envelope(let changed)?: #expect(changed != envelope, "seed \(seed)")
            case .bytes(let bytes)?:
                #expect(!bytes.contains(0x0A) && !bytes.contains(0x0D))
                #expect(bytes != WireCodec().encode(envelope))
            case nil: break
            }
        }
        #expect(injector.counters.corrupted == 300)
        #expect(injector.counters.corruptedUndecodable > 0, "seed \(seed)")
    }

    /// Sends `count` envelopes through a faulty in-process link and returns what the peer received.
    static func run(seed: UInt64, count: Int) async throws -> (events: [TransportEvent], counters: FaultCounters) {
        let (customer, company) = InProcessTransport.pair(capacity: 4 * count, codec: WireCodec())
        let faulty = FaultyTransport(wrapping: customer, profile: mixed, seed: seed)
        for sequence in 1...count { try await faulty.send(S.envelope(sequence: sequence)) }
        try await faulty.flush()
        await faulty.close()
        return (await S.all(of: company.inbound), faulty.counters)
    }

    @Test func faultyTransportIsReproducibleFromItsSeed() async throws {
        let seed = S.seed
        let first = try await Self.run(seed: seed, count: 400)
        let again = try await Self.run(seed: seed, count: 400)
        let other = try await Self.run(seed: seed &+ 1, count: 400)
        #expect(first.events == again.events, "seed \(seed)")
        #expect(first.counters == again.counters, "seed \(seed)")
        #expect(first.events != other.events, "seed \(seed)")
        #expect(first.events.count == first.counters.delivered, "seed \(seed)")
        let undecodable = first.events.filter { if case .undecodable = $0 { true } else { false } }
        #expect(undecodable.count == first.counters.corruptedUndecodable, "seed \(seed)")
    }

    @Test func faultyTransportSendsFailOnceClosed() async throws {
        let (customer, _) = InProcessTransport.pair()
        let faulty = FaultyTransport(wrapping: customer, profile: .none, seed: S.seed)
        await faulty.close()
        let error = await S.error { () async throws(ParleyError) in try await faulty.send(S.envelope(sequence: 1)) }
        #expect(error?.code == .sessionClosed)
    }
}
