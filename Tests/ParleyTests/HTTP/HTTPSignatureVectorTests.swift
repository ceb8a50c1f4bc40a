import Foundation
import ParleyCrypto
import Testing

@testable import Parley

/// `Spec/vectors/httpsig-rfc9421.json` (RFC 9421's own Ed25519 example, verbatim) and
/// `Spec/vectors/httpsig.json` (Parley's request and response signatures, `Spec/HTTP.md` §7).
/// `PARLEY_WRITE_HTTP_VECTORS=1 swift test --filter HTTPSignatureVectorTests` rewrites the second file.
@Suite struct HTTPSignatureVectorTests {
    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static func headers(_ value: JSONValue?) -> [(name: String, value: String)] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { item in
            guard case .array(let pair) = item, pair.count == 2, let name = string(pair[0]), let value = string(pair[1]) else { return nil }
            return (name, value)
        }
    }

    @Test func rfc9421Ed25519ExampleIsReproducedAndVerifies() throws {
        guard case .array(let cases) = try JSONParser.parse(Array(Repository.data("Spec/vectors/httpsig-rfc9421.json"))) else {
            Issue.record("not an array")
            return
        }
        #expect(cases.count == 1)
        for item in cases {
            guard case .object(let vector) = item, case .object(let key)? = vector["key"], case .object(let request)? = vector["request"],
                let seedText = Self.string(key["d"]), let xText = Self.string(key["x"]), let label = Self.string(vector["label"]),
                let expectedBase = Self.string(vector["signatureBase"]), let expectedSignature = Self.string(vector["signature"]),
                let method = Self.string(request["method"]), let target = Self.string(request["targetURI"]),
                let body = Self.string(request["body"])
            else {
                Issue.record("a vector lacks a member")
                continue
            }
            let signingKey = try #require(SigningKey(seed: Base64URL.decode(seedText) ?? []))
            let publicKey = try #require(PublicSigningKey(base64URL: xText))
            #expect(signingKey.publicKey == publicKey)
            let headers = Self.headers(request["headers"])
            let message = HTTPSignatureMessage.request(method: method, targetURI: target, headers: headers)

            // The signature base, rebuilt from the received Signature-Input.
            let input = try #require(HTTPMessageSignature.combinedField("signature-input", in: headers))
            let dictionary = try StructuredField.parseDictionary(input)
            guard case .innerList(let items, let parameters)? = dictionary.first(where: { $0.key == label })?.member else {
                Issue.record("no inner list labelled \(label)")
                continue
            }
            let components = items.compactMap { item -> HTTPSignatureComponent? in
                if case .string(let name) = item.value { return HTTPSignatureComponent(name) }
                return nil
            }
            let base = try HTTPMessageSignature.signatureBase(
                of: message, components: components, serializedParameters: HTTPMessageSignature.serializedParameters(components, parameters)
            )
            #expect(String(decoding: base, as: UTF8.self) == expectedBase)

            // Signing the base reproduces the RFC's signature (Ed25519 is deterministic) ...
            #expect(Base64.encode(signingKey.signature(for: base).rawRepresentation) == expectedSignature)
            // ... and signing the message with the same components and parameters writes the RFC's fields.
            let written = try HTTPMessageSignature.sign(
                message, components: components, parameters: HTTPSignatureParameters(created: 1_618_884_473, keyID: "test-key-ed25519"),
                label: label, key: signingKey)
            #expect("\(written.signatureInput)" == input)
            #expect(written.signature == "\(label)=:\(expectedSignature):")

            // The signature verifies, by label, under the key its keyid names; the body matches Content-Digest (sha-512).
            let verified = try HTTPMessageSignature.verify(
                message, tag: nil, label: label, required: ["@method", "@authority"], key: { $0 == "test-key-ed25519" ? publicKey : nil })
            #expect(verified.components.map(\.name) == ["date", "@method", "@path", "@authority", "content-type", "content-length"])
            #expect(verified.parameters.created == 1_618_884_473)
            try ContentDigest.verify(HTTPMessageSignature.combinedField("content-digest", in: headers), body: Array(body.utf8))

            // Any change to a covered component breaks it.
            let tampered = HTTPSignatureMessage.request(
                method: method, targetURI: target.replacingOccurrences(of: "/foo", with: "/bar"), headers: headers)
            #expect(throws: HTTPSignatureError.self) {
                _ = try HTTPMessageSignature.verify(tampered, tag: nil, label: label, required: [], key: { _ in publicKey })
            }
        }
    }

    // MARK: - Parley's own vectors

    static let path = "Spec/vectors/httpsig.json"
    static let now = Instant(secondsSinceEpoch: 1_777_539_600)  // 2026-04-30T09:00:00Z
    static let customerKey = SigningKey(seed: Array(1...32))!
    static let companyKey = SigningKey(seed: Array(33...64))!
    static var customerID: AgentID { ParleyHTTPSignatures.selfCertifyingID(for: customerKey.publicKey)! }
    static let hello =
        #"{"ack":0,"body":{"role":"customer","versions":[1]},"from":"CUSTOMER","id":"c1","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":1,"session":"s-vector-0001","to":"salon.example/bot","type":"hello"}"#

    struct Case {
        var name: String
        var kind: String
        var message: HTTPSignatureMessage
        var body: [UInt8]
        var keys: [PublicSigningKey]
        var problem: String?
    }

    static func cases() throws -> [Case] {
        let body = Array(hello.replacingOccurrences(of: "CUSTOMER", with: customerID.rawValue).utf8)
        let target = "https://salon.example/parley"
        let signedHeaders = try ParleyHTTPSignatures.signRequest(
            method: "POST", targetURI: target,
            headers: [("Content-Type", ParleyHTTP.envelopeMediaType), (ParleyHTTP.agentHeader, customerID.rawValue)], body: body,
            key: customerKey, now: now)
        let request = HTTPSignatureMessage.Request(method: "POST", targetURI: target, headers: signedHeaders)
        let replyBody = Array("{\"example\":\"reply\"}\n".utf8)
        let responseHeaders = try ParleyHTTPSignatures.signResponse(
            status: 200, headers: [("Cache-Control", "no-store"), ("Content-Type", ParleyHTTP.batchMediaType)], body: replyBody,
            answering: request, key: companyKey, now: now)
        let poll = "https://salon.example/parley/sessions/s-vector-0001/messages?after=1&wait=25"
        let pollHeaders = try ParleyHTTPSignatures.signRequest(
            method: "GET", targetURI: poll, headers: [(ParleyHTTP.agentHeader, customerID.rawValue)], body: [], key: customerKey, now: now)
        let customer = [customerKey.publicKey]
        return [
            Case(
                name: "a signed POST", kind: "request", message: .request(method: "POST", targetURI: target, headers: signedHeaders),
                body: body, keys: customer),
            Case(
                name: "a signed poll", kind: "request", message: .request(method: "GET", targetURI: poll, headers: pollHeaders),
                body: [], keys: customer),
            Case(
                name: "the company's signed response to the POST", kind: "response",
                message: .response(status: 200, headers: responseHeaders, answering: request), body: replyBody, keys: [companyKey.publicKey]
            ),
            Case(
                name: "the POST with its body changed: Content-Digest no longer matches", kind: "request",
                message: .request(method: "POST", targetURI: target, headers: signedHeaders),
                body: Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "c1", with: "c9").utf8), keys: customer,
                problem: "digest-mismatch"),
            Case(
                name: "the POST sent to another endpoint: @target-uri differs", kind: "request",
                message: .request(method: "POST", targetURI: "https://salon.example/other", headers: signedHeaders), body: body,
                keys: customer, problem: "signature-invalid"),
            Case(
                name: "the POST checked with the company's key: keyid unknown", kind: "request",
                message: .request(method: "POST", targetURI: target, headers: signedHeaders), body: body,
                keys: [companyKey.publicKey], problem: "unknown-key"),
        ]
    }

    static func verify(_ vector: Case, now: Instant) -> String? {
        do {
            if vector.kind == "request", let request = vector.message.request {
                _ = try ParleyHTTPSignatures.verifyRequest(
                    method: request.method, targetURI: request.targetURI, headers: request.headers, body: vector.body, keys: vector.keys,
                    now: now)
            } else {
                _ = try ParleyHTTPSignatures.verifyResponse(
                    status: vector.message.status ?? 0, headers: vector.message.responseHeaders, body: vector.body,
                    answering: vector.message.request!, keys: vector.keys, now: now)
            }
            return nil
        } catch { return error.problem }
    }

    static func json(_ headers: [(name: String, value: String)]) -> JSONValue {
        .array(headers.map { .array([.string($0.name), .string($0.value)]) })
    }

    static func produce() throws -> [UInt8] {
        var items: [JSONValue] = []
        for vector in try cases() {
            var object: [String: JSONValue] = [
                "name": .string(vector.name), "kind": .string(vector.kind), "now": .number(Double(now.secondsSinceEpoch)),
                "keys": .array(vector.keys.map { .string($0.base64URL) }),
                "body": .string(String(decoding: vector.body, as: UTF8.self)),
                "valid": .bool(vector.problem == nil),
            ]
            if let problem = vector.problem { object["problem"] = .string(problem) }
            if vector.kind == "request", let request = vector.message.request {
                object["method"] = .string(request.method)
                object["targetURI"] = .string(request.targetURI)
                object["headers"] = json(request.headers)
            } else if let request = vector.message.request {
                object["status"] = .number(Double(vector.message.status ?? 0))
                object["headers"] = json(vector.message.responseHeaders)
                object["request"] = .object([
                    "method": .string(request.method), "targetURI": .string(request.targetURI), "headers": json(request.headers),
                ])
            }
            items.append(.object(object))
        }
        let file: JSONValue = .object([
            "customerSeed": .string(Base64URL.encode(customerKey.seed)), "companySeed": .string(Base64URL.encode(companyKey.seed)),
            "cases": .array(items),
        ])
        return CanonicalJSON.canonicalBytes(file) + [0x0A]
    }

    @Test func parleyVectorsMatchTheCodeAndVerifyAsTheyClaim() throws {
        for vector in try Self.cases() {
            #expect(Self.verify(vector, now: Self.now) == vector.problem, "\(vector.name)")
        }
        let produced = try Self.produce()
        if getenvString("PARLEY_WRITE_HTTP_VECTORS") == "1" {
            try Data(produced).write(to: Repository.root.appendingPathComponent(Self.path))
        }
        #expect(try Array(Repository.data(Self.path)) == produced, "Spec/vectors/httpsig.json differs from what the code signs")
    }
}
