import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// HTTP message signatures on the binding (`Spec/HTTP.md` §7): what a company accepts, and
/// every refusal with its status and problem code.
@Suite struct HTTPSignatureBindingTests {
    static let companyKey = SigningKey(seed: Array(repeating: 7, count: 32))!
    static let lisaKey = SigningKey(seed: Array(repeating: 9, count: 32))!
    static let otherKey = SigningKey(seed: Array(repeating: 11, count: 32))!
    static let origin = "https://salon.example"

    static func binding(
        policy: CompanyHTTPBinding.RequestSignaturePolicy = .required,
        _ configure: (inout CompanyHTTPBinding.Configuration) -> Void = { _ in }
    ) -> CompanyHTTPBinding {
        var configuration = CompanyHTTPBinding.Configuration()
        configuration.origin = origin
        configuration.requestSignatures = policy
        configure(&configuration)
        var keys = AgentKeyRegistry()
        keys.register(lisaKey.publicKey, for: World.lisa)
        return CompanyHTTPBinding(
            agent: Salons.salon().0, clock: ManualClock(now: World.now), configuration: configuration, signingKeys: [companyKey],
            customerKeys: keys)
    }

    static func hello(session: SessionID = "s-sig-1", from: AgentID = World.lisa, id: MessageID = "m-1") -> [UInt8] {
        WireCodec().encode(
            Envelope(
                id: id, session: session, from: from, to: "salon.example/bot", sequence: 1, sentAt: World.now,
                message: .hello(.init(role: .customer))))
    }

    /// A POST of `body`, signed by `key` for `agent` at `now` (unsigned when `key` is nil).
    static func post(
        _ body: [UInt8], key: SigningKey? = lisaKey, agent: AgentID = World.lisa, now: Instant = World.now, client: String = "192.0.2.7"
    ) throws -> ParleyHTTPRequest {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", ParleyHTTP.envelopeMediaType), (ParleyHTTP.agentHeader, agent.rawValue),
        ]
        if let key {
            headers = try ParleyHTTPSignatures.signRequest(
                method: "POST", targetURI: origin + "/parley", headers: headers, body: body, key: key, now: now)
        }
        return ParleyHTTPRequest(method: "POST", target: "/parley", headers: headers, body: body, client: client)
    }

    static func problem(_ response: ParleyHTTPResponse) -> String? { HTTPTransportProblem.code(response.body) }

    /// The response verifies as the company's, answering `request`.
    static func verifyResponse(_ response: ParleyHTTPResponse, answering request: ParleyHTTPRequest) throws {
        _ = try ParleyHTTPSignatures.verifyResponse(
            status: response.status, headers: response.headers.map { (name: $0.key, value: $0.value) }, body: response.body,
            answering: HTTPSignatureMessage.Request(method: request.method, targetURI: origin + request.target, headers: request.headers),
            keys: [companyKey.publicKey], now: World.now)
    }

    @Test func aSignedRequestIsServedAndTheResponseIsSigned() async throws {
        let binding = Self.binding()
        let request = try Self.post(Self.hello())
        let response = await binding.respond(to: request)
        #expect(response.status == 200)
        #expect(try HTTPBindingTests.lines(response).map(\.kind) == [.hello])
        try Self.verifyResponse(response, answering: request)
        // The response is bound to its request: checked against another target, it fails.
        var other = request
        other.target = "/parley/other"
        #expect(throws: HTTPSignatureError.self) { try Self.verifyResponse(response, answering: other) }
        // A replay within the window is answered like a retry: the same replies (Spec/HTTP.md §7.6).
        let again = await binding.respond(to: request)
        #expect(again.body == response.body)
    }

    @Test func anUnsignedRequestIsRefusedWhenSignaturesAreRequired() async throws {
        let response = await Self.binding().respond(to: try Self.post(Self.hello(), key: nil))
        #expect(response.status == 401)
        #expect(Self.problem(response) == "signature-missing")
        #expect(
            response.headers["Accept-Signature"]?.hasPrefix(#"parley=("@method" "@target-uri" "content-type" "content-digest""#) == true)
        // The refusal is signed too, so a client can tell it came from the company.
        try Self.verifyResponse(response, answering: try Self.post(Self.hello(), key: nil))
    }

    @Test func aSignatureByAnotherKeyIsRefused() async throws {
        let response = await Self.binding().respond(to: try Self.post(Self.hello(), key: Self.otherKey))
        #expect(response.status == 401)
        #expect(Self.problem(response) == "unknown-key")
    }

    @Test func anUnregisteredAgentIsRefusedAndASelfCertifyingOneIsNot() async throws {
        let stranger: AgentID = "stranger.example/bot"
        let refused = await Self.binding().respond(to: try Self.post(Self.hello(from: stranger), key: Self.otherKey, agent: stranger))
        #expect(refused.status == 401)
        #expect(Self.problem(refused) == "unknown-key")
        let own = try #require(ParleyHTTPSignatures.selfCertifyingID(for: Self.otherKey.publicKey))
        let served = await Self.binding().respond(to: try Self.post(Self.hello(from: own), key: Self.otherKey, agent: own))
        #expect(served.status == 200)
        #expect(try HTTPBindingTests.lines(served).map(\.kind) == [.hello])
        // A self-certifying id signed by any other key is refused.
        let forged = await Self.binding().respond(to: try Self.post(Self.hello(from: own), key: Self.lisaKey, agent: own))
        #expect(Self.problem(forged) == "unknown-key")
    }

    @Test func aRegisteredKeyCanBeAddedAndRevokedWhileServing() async throws {
        let binding = Self.binding()
        #expect(Self.problem(await binding.respond(to: try Self.post(Self.hello(), key: Self.otherKey))) == "unknown-key")
        await binding.register(customerKey: Self.otherKey.publicKey, for: World.lisa)
        #expect(await binding.respond(to: try Self.post(Self.hello(), key: Self.otherKey)).status == 200)
        await binding.revoke(customerKey: Self.lisaKey.publicKey, for: World.lisa)
        #expect(Self.problem(await binding.respond(to: try Self.post(Self.hello(id: "m-2"), key: Self.lisaKey))) == "unknown-key")
    }

    @Test func aTamperedBodyIsRefusedByContentDigest() async throws {
        var request = try Self.post(Self.hello())
        request.body = Self.hello(id: "m-9")
        let response = await Self.binding().respond(to: request)
        #expect(response.status == 400)
        #expect(Self.problem(response) == "digest-mismatch")
        // Without Content-Digest at all (and the signature still naming it): the component is missing.
        var stripped = try Self.post(Self.hello())
        stripped.headers = stripped.headers.filter { $0.name != "Content-Digest" }
        #expect(Self.problem(await Self.binding().respond(to: stripped)) == "component-missing")
    }

    @Test func aChangedHeaderOrTargetBreaksTheSignature() async throws {
        var request = try Self.post(Self.hello())
        request.target = "/parley?x=1"
        let moved = await Self.binding().respond(to: request)
        #expect(moved.status == 401)
        #expect(Self.problem(moved) == "signature-invalid")
        var retyped = try Self.post(Self.hello())
        retyped.headers = retyped.headers.map { $0.name == "Content-Type" ? ($0.name, "application/json") : $0 }
        #expect(Self.problem(await Self.binding().respond(to: retyped)) == "signature-invalid")
    }

    @Test func anExpiredOrFutureSignatureIsRefused() async throws {
        let old = await Self.binding().respond(to: try Self.post(Self.hello(), now: World.now.adding(seconds: -400)))
        #expect(old.status == 401)
        #expect(Self.problem(old) == "signature-expired")
        let future = await Self.binding().respond(to: try Self.post(Self.hello(), now: World.now.adding(seconds: 120)))
        #expect(future.status == 401)
        #expect(Self.problem(future) == "signature-early")
        // Within the window (four minutes old, half a minute ahead): accepted.
        #expect(await Self.binding().respond(to: try Self.post(Self.hello(), now: World.now.adding(seconds: -240))).status == 200)
        #expect(await Self.binding().respond(to: try Self.post(Self.hello(id: "m-2"), now: World.now.adding(seconds: 30))).status == 200)
    }

    /// A request signed over `components` with `parameters`, by Lisa's key.
    static func custom(components: [HTTPSignatureComponent], parameters: HTTPSignatureParameters) throws -> ParleyHTTPRequest {
        let body = hello()
        let headers: [(name: String, value: String)] = [
            ("Content-Type", ParleyHTTP.envelopeMediaType), (ParleyHTTP.agentHeader, World.lisa.rawValue),
            ("Content-Digest", ContentDigest.sha256(body)),
        ]
        let signed = try HTTPMessageSignature.sign(
            .request(method: "POST", targetURI: origin + "/parley", headers: headers), components: components, parameters: parameters,
            label: "sig1", key: lisaKey)
        return ParleyHTTPRequest(
            method: "POST", target: "/parley",
            headers: headers + [("Signature-Input", signed.signatureInput), ("Signature", signed.signature)],
            body: body, client: "192.0.2.7")
    }

    static let goodParameters = HTTPSignatureParameters(
        created: World.now.secondsSinceEpoch, keyID: lisaKey.publicKey.keyID, algorithm: "ed25519", tag: "parley-request")

    @Test func aSignatureThatCoversTooLittleIsRefused() async throws {
        let binding = Self.binding()
        let noDigest = await binding.respond(
            to: try Self.custom(components: ["@method", "@target-uri", "content-type", "parley-agent"], parameters: Self.goodParameters))
        #expect(noDigest.status == 401)
        #expect(Self.problem(noDigest) == "signature-coverage")
        let noAgent = await binding.respond(
            to: try Self.custom(components: ["@method", "@target-uri", "content-type", "content-digest"], parameters: Self.goodParameters))
        #expect(Self.problem(noAgent) == "signature-coverage")
        // Another label, more components and parameter order of its own: accepted (selected by tag).
        let generous = await binding.respond(
            to: try Self.custom(
                components: ["parley-agent", "content-digest", "@authority", "@method", "@target-uri", "content-type"],
                parameters: Self.goodParameters))
        #expect(generous.status == 200)
    }

    @Test func malformedSignaturesAndOtherAlgorithmsAreRefused() async throws {
        var parameters = Self.goodParameters
        parameters.algorithm = "rsa-pss-sha512"
        let rsa = await Self.binding().respond(
            to: try Self.custom(components: ParleyHTTPSignatures.requestComponents(method: "POST"), parameters: parameters))
        #expect(rsa.status == 400)
        #expect(Self.problem(rsa) == "signature-algorithm")
        var noCreated = Self.goodParameters
        noCreated.created = nil
        let undated = await Self.binding().respond(
            to: try Self.custom(components: ParleyHTTPSignatures.requestComponents(method: "POST"), parameters: noCreated))
        #expect(Self.problem(undated) == "signature-malformed")
        var untagged = Self.goodParameters
        untagged.tag = nil
        let noTag = await Self.binding().respond(
            to: try Self.custom(components: ParleyHTTPSignatures.requestComponents(method: "POST"), parameters: untagged))
        #expect(Self.problem(noTag) == "signature-missing")
        for garbage in ["parley=(\"@method\"", "parley=:abc:", "Parley=()", "parley=(\"@method\");created=x"] {
            var request = try Self.post(Self.hello())
            request.headers = request.headers.map { $0.name == "Signature-Input" ? ($0.name, garbage) : $0 }
            let response = await Self.binding().respond(to: request)
            #expect(response.status == 400 || response.status == 401, "\(garbage)")
            #expect(["signature-malformed", "signature-missing"].contains(Self.problem(response)), "\(garbage): \(response.text)")
        }
        var badSignature = try Self.post(Self.hello())
        badSignature.headers = badSignature.headers.map { $0.name == "Signature" ? ($0.name, "parley=:AAAA:") : $0 }
        #expect(Self.problem(await Self.binding().respond(to: badSignature)) == "signature-invalid")
    }

    @Test func aSignedRequestSpeaksOnlyForItsAgent() async throws {
        // Signed by Lisa's key for Lisa, but the envelope claims to be from someone else.
        let response = await Self.binding().respond(to: try Self.post(Self.hello(from: "victim.example/bob")))
        #expect(response.status == 403)
        #expect(Self.problem(response) == "agent-mismatch")
        // A signed request without Parley-Agent.
        var anonymous = try Self.post(Self.hello())
        anonymous.headers = anonymous.headers.filter { $0.name != ParleyHTTP.agentHeader }
        #expect(Self.problem(await Self.binding().respond(to: anonymous)) == "missing-agent")
    }

    @Test func pollsAreSignedAndAuthenticatedToo() async throws {
        let binding = Self.binding()
        _ = await binding.respond(to: try Self.post(Self.hello()))
        let target = "/parley/sessions/s-sig-1/messages?after=0&wait=0"
        let unsigned = ParleyHTTPRequest(method: "GET", target: target, headers: [(ParleyHTTP.agentHeader, World.lisa.rawValue)])
        #expect(Self.problem(await binding.respond(to: unsigned)) == "signature-missing")
        let headers = try ParleyHTTPSignatures.signRequest(
            method: "GET", targetURI: Self.origin + target, headers: [(ParleyHTTP.agentHeader, World.lisa.rawValue)], body: [],
            key: Self.lisaKey, now: World.now)
        let signed = ParleyHTTPRequest(method: "GET", target: target, headers: headers)
        let response = await binding.respond(to: signed)
        #expect(response.status == 200)
        #expect(try HTTPBindingTests.lines(response).map(\.kind) == [.hello])
        try Self.verifyResponse(response, answering: signed)
        // The poll's signature names its cursor: another cursor is another request.
        let moved = ParleyHTTPRequest(method: "GET", target: "/parley/sessions/s-sig-1/messages?after=1&wait=0", headers: headers)
        #expect(Self.problem(await binding.respond(to: moved)) == "signature-invalid")
    }

    @Test func verifiedWhenPresentServesUnsignedButRefusesBadSignatures() async throws {
        let binding = Self.binding(policy: .verifiedWhenPresent)
        #expect(await binding.respond(to: try Self.post(Self.hello(), key: nil)).status == 200)
        #expect(Self.problem(await binding.respond(to: try Self.post(Self.hello(session: "s-sig-2"), key: Self.otherKey))) == "unknown-key")
        let ignoring = Self.binding(policy: .ignored)
        #expect(await ignoring.respond(to: try Self.post(Self.hello(), key: Self.otherKey)).status == 200)
    }

    @Test func limitsCountAuthenticatedAgentsNotAddresses() async throws {
        let binding = Self.binding(policy: .verifiedWhenPresent) { $0.openSessionsPerClient = 1 }
        let own = try #require(ParleyHTTPSignatures.selfCertifyingID(for: Self.otherKey.publicKey))
        // Two agents behind one address, each authenticated: each has its own session allowance.
        let first = await binding.respond(to: try Self.post(Self.hello(session: "s-a"), client: "198.51.100.1"))
        let second = await binding.respond(
            to: try Self.post(Self.hello(session: "s-b", from: own), key: Self.otherKey, agent: own, client: "198.51.100.1"))
        #expect(try HTTPBindingTests.lines(first).map(\.kind) == [.hello])
        #expect(try HTTPBindingTests.lines(second).map(\.kind) == [.hello])
        // Lisa's second session, from another address: her allowance is spent wherever she comes from.
        let third = await binding.respond(to: try Self.post(Self.hello(session: "s-c", id: "m-3"), client: "203.0.113.9"))
        let refusal = try HTTPBindingTests.lines(third)
        #expect(refusal.map(\.kind) == [.error])
        // Unsigned requests from one address still share that address's allowance.
        _ = await binding.respond(
            to: try Self.post(Self.hello(session: "s-d", from: "anon.example/a"), key: nil, agent: "anon.example/a", client: "192.0.2.50"))
        let shared = await binding.respond(
            to: try Self.post(Self.hello(session: "s-e", from: "anon.example/b"), key: nil, agent: "anon.example/b", client: "192.0.2.50"))
        #expect(try HTTPBindingTests.lines(shared).map(\.kind) == [.error])
    }
}

/// Reads the `problem` code of a problem body.
enum HTTPTransportProblem {
    static func code(_ body: [UInt8]) -> String? { HTTPClientTransport.problemCode(body) }
}
