@testable import Parley

/// A ``Transport`` that hands each envelope straight to a ``CompanyHTTPBinding`` as a request
/// value and delivers the response's envelopes: the binding exercised in process, no sockets.
actor BindingTransport: Transport {
    let binding: CompanyHTTPBinding
    nonisolated let inbound: AsyncStream<TransportEvent>
    private let sink: AsyncStream<TransportEvent>.Continuation
    private(set) var responses: [ParleyHTTPResponse] = []

    init(binding: CompanyHTTPBinding) {
        self.binding = binding
        (inbound, sink) = AsyncStream.makeStream()
    }

    func send(_ envelope: Envelope) async throws(ParleyError) {
        let response = await binding.respond(
            to: ParleyHTTPRequest(
                method: "POST", target: "/parley", headers: [("Content-Type", ParleyHTTP.envelopeMediaType)],
                body: WireCodec().encode(envelope), client: "test"))
        responses.append(response)
        for line in response.body.split(separator: 0x0A) { sink.yield(TransportEvent.decoding(Array(line), with: WireCodec())) }
    }

    func close() async { sink.finish() }
}
