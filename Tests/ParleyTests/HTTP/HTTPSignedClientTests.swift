import Foundation
import ParleyScenarios
import ParleyTestSupport
import Testing

@testable import Parley

/// `HTTPClientTransport` signing its requests and verifying the company's responses over real
/// loopback HTTP (`Spec/HTTP.md` §7).
@Suite(.serialized) struct HTTPSignedClientTests {
    static let companyKey = SigningKey(seed: Array(repeating: 31, count: 32))!
    static let lisaKey = SigningKey(seed: Array(repeating: 32, count: 32))!

    static let clock = ShiftedClock(start: World.now)

    static func server(signingKeys: [SigningKey] = [companyKey]) throws -> (CompanyHTTPBinding, LoopbackHTTPServer) {
        var configuration = CompanyHTTPBinding.Configuration()
        configuration.requestSignatures = .required
        var keys = AgentKeyRegistry()
        keys.register(lisaKey.publicKey, for: World.lisa)
        let binding = CompanyHTTPBinding(
            agent: Salons.salon().0, clock: clock, configuration: configuration, signingKeys: signingKeys, customerKeys: keys)
        return (binding, try LoopbackHTTPServer(binding: binding))
    }

    @Test func aSignedClientBooksS1WithSignedResponses() async throws {
        let (_, server) = try Self.server()
        defer { server.stop() }
        var configuration = HTTPClientTransport.Configuration()
        configuration.pinnedCompanyKeys = [Self.companyKey.publicKey]
        let company = try await HTTPClientTransport.discover(server.baseURL, configuration: configuration)
        #expect(company.signatureStatus == .verified(keyIDs: [Self.companyKey.publicKey.keyID], pinned: true))
        #expect(company.verifiedKeys == [Self.companyKey.publicKey])
        let transport = HTTPClientTransport(company: company, agent: World.lisa, signingKey: Self.lisaKey, clock: Self.clock)
        let lisa = HTTPClientTransportTests.customer()
        await lisa.connect(to: company.document.agent, over: transport)
        let outcome = await lisa.book(at: company.document.agent)
        await lisa.disconnect()
        await transport.close()
        #expect(outcome.booking != nil, "\(outcome)")
        #expect(await transport.lastFailure == nil)
    }

    @Test func anUnsignedClientIsRefusedAndAWrongCompanyKeyIsNoticed() async throws {
        let (_, server) = try Self.server()
        defer { server.stop() }
        let endpoint = URL(string: server.baseURL + "/parley")!
        let hello = Envelope(
            id: "m-1", session: "s-client-1", from: World.lisa, to: "salon.example/bot", sequence: 1, sentAt: Self.clock.now,
            message: .hello(.init(role: .customer)))
        let unsigned = HTTPClientTransport(endpoint: endpoint, agent: World.lisa)
        do {
            _ = try await unsigned.post(hello)
            Issue.record("an unsigned request was served")
        } catch { #expect(error == .status(401, problem: "signature-missing")) }
        await unsigned.close()
        // Signed correctly, but expecting another company key: the response is refused.
        let other = SigningKey(seed: Array(repeating: 33, count: 32))!
        let misled = HTTPClientTransport(
            endpoint: endpoint, agent: World.lisa, signingKey: Self.lisaKey, companyKeys: [other.publicKey], clock: Self.clock)
        do {
            _ = try await misled.post(hello)
            Issue.record("a response signed by another key was accepted")
        } catch {
            guard case .badSignature(let refusal) = error else {
                Issue.record("expected badSignature, got \(error)")
                return
            }
            #expect(refusal.problem == "unknown-key")
        }
        await misled.close()
        // A company that signs nothing, while the client expects signatures.
        let (_, quiet) = try Self.server(signingKeys: [])
        defer { quiet.stop() }
        let expecting = HTTPClientTransport(
            endpoint: URL(string: quiet.baseURL + "/parley")!, agent: World.lisa, signingKey: Self.lisaKey,
            companyKeys: [Self.companyKey.publicKey],
            clock: Self.clock)
        do {
            _ = try await expecting.post(hello)
            Issue.record("an unsigned response was accepted")
        } catch {
            guard case .badSignature(let refusal) = error else {
                Issue.record("expected badSignature, got \(error)")
                return
            }
            #expect(refusal.problem == "signature-missing")
        }
        await expecting.close()
    }

    @Test func discoveryRefusesADocumentNotSignedByThePinnedKey() async throws {
        let (_, server) = try Self.server()
        defer { server.stop() }
        var configuration = HTTPClientTransport.Configuration()
        configuration.pinnedCompanyKeys = [Self.lisaKey.publicKey]
        do {
            _ = try await HTTPClientTransport.discover(server.baseURL, configuration: configuration)
            Issue.record("a document not signed by the pinned key was accepted")
        } catch {
            guard case .invalidDiscovery(let problem) = error else {
                Issue.record("expected invalidDiscovery, got \(error)")
                return
            }
            #expect(problem.code == "bad-signature")
        }
    }
}
