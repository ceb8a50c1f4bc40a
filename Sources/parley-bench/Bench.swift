import Foundation
import Parley
import ParleyScenarios

enum Bench {
    static let now = BenchmarkSalon.now
    static let ten = BenchmarkSalon.start

    /// The benchmark's company agent (`BenchmarkSalon`, which `parley-server --scenario bench`
    /// serves over HTTP); `limits` defaults to the spec's (16 open sessions per peer).
    static func company(limits: ServiceLimits = ServiceLimits()) -> CompanyAgent {
        BenchmarkSalon.agent(limits: limits)
    }

    static func customer(clock: ManualClock, seed: UInt64) -> CustomerAgent {
        CustomerAgent(
            id: "assistant.example/lisa",
            wishes: Wishes(service: "haircut-women", windows: [TimeWindow(start: ten, end: ten)], preferredStart: ten),
            policy: PrivacyPolicy(rules: [.booking: .init(fields: [.givenName], decision: .allow)]),
            personalData: [.givenName: "Lisa"], consentKey: ConsentRootKey(bytes: Array(repeating: 7, count: 32))!,
            discloseWithAcceptance: true, clock: clock, seed: seed)
    }

    /// `count` S1-shaped negotiations split over `workers` independent agent pairs running in parallel.
    static func negotiate(count: Int, workers: Int, throughWire: Bool) async {
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    let clock = ManualClock(now: now)
                    let company = company()
                    let customer = customer(clock: clock, seed: UInt64(worker + 1))
                    let (customerEnd, companyEnd) = InProcessTransport.pair(codec: throughWire ? WireCodec() : nil)
                    let server = Task { await company.serve(companyEnd, clock: clock) }
                    await customer.connect(to: company.profile.id, over: customerEnd)
                    for index in 0..<(count / workers) {
                        let outcome = await customer.book(at: company.profile.id)
                        precondition(outcome.booking != nil, "benchmark negotiation failed: \(outcome.summary)")
                        if index % 500 == 499 { await company.purgeFinishedSessions() }
                    }
                    await customer.disconnect()
                    await customerEnd.close()
                    server.cancel()
                }
            }
        }
    }

    /// The same number of envelopes, alternating direction, through two bare AsyncStreams.
    static func floor(negotiations: Int) async {
        let envelope = Envelope(
            id: "m1", session: "s", from: "a", to: "b", sequence: 1, sentAt: now, message: .close(.init(outcome: "done")))
        let (toCompany, toCompanyInput) = AsyncStream<Envelope>.makeStream()
        let (toCustomer, toCustomerInput) = AsyncStream<Envelope>.makeStream()
        let responder = Task {
            var received = 0
            for await envelope in toCompany {
                received += 1
                if received % 4 != 0 { toCustomerInput.yield(envelope) }  // the close gets no answer
            }
            toCustomerInput.finish()
        }
        var replies = toCustomer.makeAsyncIterator()
        for _ in 0..<negotiations {
            // c→k, k→c, c→k, k→c, c→k, k→c, c→k: 4 sends and 3 replies, as hello … close.
            for step in 0..<4 {
                toCompanyInput.yield(envelope)
                if step < 3 { _ = await replies.next() }
            }
        }
        toCompanyInput.finish()
        _ = await responder.value
    }
}
