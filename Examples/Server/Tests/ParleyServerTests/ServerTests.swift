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

    /// Signed discovery, signed requests and signed responses through Hummingbird: the host passes
    /// the `:authority` on as `Host`, so the binding rebuilds the `@target-uri` the client signed.
    @Test func signedCustomerBooksOverRealHTTP() async throws {
        let clock = ShiftedClock(start: World.now)
        let companyKey = SigningKey(seed: Array(repeating: 3, count: 32))!
        let lisaKey = SigningKey(seed: Array(repeating: 4, count: 32))!
        var bindingConfiguration = CompanyHTTPBinding.Configuration()
        bindingConfiguration.requestSignatures = .required
        var keys = AgentKeyRegistry()
        keys.register(lisaKey.publicKey, for: World.lisa)
        let binding = CompanyHTTPBinding(
            agent: Salons.salon().0, clock: clock, configuration: bindingConfiguration, signingKeys: [companyKey], customerKeys: keys)
        var configuration = ServerConfiguration()
        configuration.port = 0
        let app = buildApplication(binding: binding, configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var clientConfiguration = HTTPClientTransport.Configuration()
            clientConfiguration.pinnedCompanyKeys = [companyKey.publicKey]
            let company = try await HTTPClientTransport.discover("http://127.0.0.1:\(port)", configuration: clientConfiguration)
            #expect(company.verifiedKeys == [companyKey.publicKey])
            let unsigned = try await client.execute(
                uri: "/parley", method: .post, headers: [.contentType: ParleyHTTP.envelopeMediaType], body: ByteBuffer(string: "{}"))
            #expect(unsigned.status == .unauthorized)
            let transport = HTTPClientTransport(company: company, agent: World.lisa, signingKey: lisaKey, clock: clock)
            let lisa = CustomerAgent(
                id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
                consentKey: World.lisasKey, clock: clock, seed: 7)
            await lisa.connect(to: company.document.agent, over: transport)
            let outcome = await lisa.book(at: company.document.agent)
            await lisa.disconnect()
            await transport.close()
            let booking = try #require(outcome.booking)
            #expect(booking.confirmation.slot.start == World.may(3, 10))
            #expect(await transport.lastFailure == nil)
        }
    }
}
