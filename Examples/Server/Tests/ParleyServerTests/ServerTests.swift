import Hummingbird
import HummingbirdTesting
import NIOCore
import Parley
import ParleyScenarios
import ParleyServer
import Testing

@Suite struct ServerTests {
    static func app() -> (some ApplicationProtocol, CompanyHTTPBinding) {
        let binding = CompanyHTTPBinding(agent: Salons.salon().0, clock: ShiftedClock(start: World.now))
        var configuration = ServerConfiguration()
        configuration.port = 0
        return (buildApplication(binding: binding, configuration: configuration), binding)
    }

    @Test func discoveryOverRealHTTP() async throws {
        let (app, _) = Self.app()
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/.well-known/parley", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == ParleyHTTP.discoveryMediaType)
            let document = try DiscoveryDocument.decode(Array(buffer: response.body))
            #expect(document.agent == "salon.example/bot")
            #expect(document.endpoints == ["/parley"])
        }
    }

    @Test func oversizedBodyIs413AndWrongMediaTypeIs415() async throws {
        let (app, _) = Self.app()
        try await app.test(.live) { client in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 70_000)
            let tooLarge = try await client.execute(
                uri: "/parley", method: .post, headers: [.contentType: ParleyHTTP.envelopeMediaType], body: big)
            #expect(tooLarge.status == .contentTooLarge)
            let wrongType = try await client.execute(
                uri: "/parley", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "{}"))
            #expect(wrongType.status == .unsupportedMediaType)
            let garbage = try await client.execute(
                uri: "/parley", method: .post, headers: [.contentType: ParleyHTTP.envelopeMediaType], body: ByteBuffer(string: "{nope"))
            #expect(garbage.status == .badRequest)
            let discovery = try await client.execute(uri: "/.well-known/parley", method: .get)
            #expect(discovery.status == .ok)
        }
    }

    @Test func customerBooksOverRealHTTP() async throws {
        let (app, _) = Self.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let company = try await HTTPClientTransport.discover("http://127.0.0.1:\(port)")
            let transport = HTTPClientTransport(endpoint: company.endpoint, agent: World.lisa)
            let lisa = CustomerAgent(
                id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
                consentKey: World.lisasKey, clock: ShiftedClock(start: World.now), seed: 7)
            await lisa.connect(to: company.document.agent, over: transport)
            let outcome = await lisa.book(at: company.document.agent)
            await lisa.disconnect()
            await transport.close()
            let booking = try #require(outcome.booking)
            #expect(booking.confirmation.slot.start == World.may(3, 10))
        }
    }
}
