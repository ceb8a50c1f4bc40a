import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Parley
import ParleyScenarios
import ParleyServer
import Testing

/// The A2A binding served beside the HTTP binding, from the same agent, over real HTTP.
@Suite struct A2AServerTests {
    static func app() -> (some ApplicationProtocol, CompanyA2ABinding) {
        let binding = CompanyHTTPBinding(agent: Salons.salon().0, clock: ShiftedClock(start: World.now))
        let a2a = CompanyA2ABinding(http: binding)
        var configuration = ServerConfiguration()
        configuration.port = 0
        return (buildApplication(binding: binding, a2a: a2a, configuration: configuration), a2a)
    }

    @Test func bothBindingsAreServedAndS1BooksOverA2A() async throws {
        let (app, a2a) = Self.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let discovery = try await client.execute(uri: "/.well-known/parley", method: .get)
            #expect(discovery.status == .ok)
            let card = try await A2AClientTransport.resolve("http://127.0.0.1:\(port)")
            #expect(card.endpoint.absoluteString == "http://127.0.0.1:\(port)/a2a")
            #expect(card.discoveryURL?.absoluteString == "http://127.0.0.1:\(port)/.well-known/parley")
            let transport = A2AClientTransport(endpoint: card.endpoint, agent: World.lisa)
            let lisa = CustomerAgent(
                id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
                consentKey: World.lisasKey, clock: ShiftedClock(start: World.now), seed: 8)
            await lisa.connect(to: card.agent, over: transport)
            let outcome = await lisa.book(at: card.agent)
            await lisa.disconnect()
            await transport.close()
            let booking = try #require(outcome.booking)
            #expect(booking.confirmation.slot.start == World.may(3, 10))
            // The same agent answers the HTTP binding: the session's company envelopes are there too.
            let poll = try await client.execute(
                uri: "/parley/sessions/\(booking.session.rawValue)/messages?after=0", method: .get,
                headers: [HTTPField.Name(ParleyHTTP.agentHeader)!: World.lisa.rawValue])
            #expect(poll.status == .ok)
            #expect(await a2a.http.agent.consentedData(for: booking.reference).map(\.disclosedFields) == [[.givenName]])
            // An oversized HTTP envelope is still refused by the HTTP binding.
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 70_000)
            let tooLarge = try await client.execute(
                uri: "/parley", method: .post, headers: [.contentType: ParleyHTTP.envelopeMediaType], body: big)
            #expect(tooLarge.status == .contentTooLarge)
        }
    }
}
