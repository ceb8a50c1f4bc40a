import Foundation
import Parley
import ParleyScenarios

/// A customer's transport that hands every envelope to a ``CompanyHTTPBinding`` in this process,
/// as the `POST` an HTTP client would send (`Spec/HTTP.md` §3), and delivers the envelopes of the
/// response. It measures the binding's whole cost — routing, limits, the per-session gate, the
/// session store, the response batch — without sockets or an HTTP server.
final class BindingLoopback: Transport {
    let binding: CompanyHTTPBinding
    let inbound: AsyncStream<TransportEvent>
    private let sink: AsyncStream<TransportEvent>.Continuation
    private let codec = WireCodec()

    init(binding: CompanyHTTPBinding) {
        self.binding = binding
        (inbound, sink) = AsyncStream.makeStream()
    }

    func send(_ envelope: Envelope) async throws(ParleyError) {
        let request = ParleyHTTPRequest(
            method: "POST", target: "/parley",
            headers: [(name: "Host", value: "salon.example"), (name: "Content-Type", value: ParleyHTTP.envelopeMediaType)],
            body: codec.encode(envelope), client: "127.0.0.1")
        let response = await binding.respond(to: request)
        guard response.status == 200 else {
            throw ParleyError(.internalError, "the binding answered HTTP \(response.status): \(response.text.prefix(200))")
        }
        for line in response.body.split(separator: 0x0A) where !line.isEmpty {
            do {
                sink.yield(.envelope(try codec.decode(Array(line))))
            } catch {
                sink.yield(.undecodable(error, session: nil, from: nil, sequence: nil))
            }
        }
    }

    func close() async { sink.finish() }
}

extension Bench {
    /// `count` S1-shaped negotiations, one customer after the other, with the benchmark company
    /// behind a ``CompanyHTTPBinding`` in this process (``BindingLoopback``): the wire path plus
    /// the binding, without sockets.
    static func negotiateThroughBinding(count: Int) async {
        let clock = ManualClock(now: now)
        var configuration = CompanyHTTPBinding.Configuration()
        configuration.requestsPerSecondPerClient = 0
        configuration.openSessionsPerClient = count + 1
        let binding = CompanyHTTPBinding(agent: company(), clock: clock, configuration: configuration)
        let customer = customer(clock: clock, seed: 1)
        let transport = BindingLoopback(binding: binding)
        await customer.connect(to: BenchmarkSalon.id, over: transport)
        for index in 0..<count {
            let outcome = await customer.book(at: BenchmarkSalon.id)
            precondition(outcome.booking != nil, "benchmark negotiation failed: \(outcome.summary)")
            if index % 500 == 499 { await binding.agent.purgeFinishedSessions() }
        }
        await customer.disconnect()
        await transport.close()
        await binding.shutdown()
    }
}
