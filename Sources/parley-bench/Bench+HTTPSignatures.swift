import Parley

extension Bench {
    /// HTTP message signatures (`Spec/HTTP.md` §7) per second, thread CPU time: a customer signing
    /// an exchange `POST` (a 240-byte hello, Content-Digest included) and a company verifying it,
    /// and the company signing its response. Verification is what a company pays per request
    /// before its per-agent limits apply.
    static func httpSignatures() -> [String] {
        var random = SystemRandomNumberGenerator()
        let customer = SigningKey(using: &random)
        let company = SigningKey(using: &random)
        let agent = ParleyHTTPSignatures.selfCertifyingID(for: customer.publicKey) ?? "bench.example/customer"
        let body = Array(
            #"{"ack":0,"body":{"role":"customer","versions":[1]},"from":"\#(agent)","id":"c1","parley":1,"sentAt":"2026-04-30T09:00:00Z","seq":1,"session":"s-bench-0001","to":"salon.example/bot","type":"hello"}"#
                .utf8)
        let target = "https://salon.example/parley"
        let now = Instant(secondsSinceEpoch: 1_777_539_600)
        let base: [(name: String, value: String)] = [
            ("Content-Type", ParleyHTTP.envelopeMediaType), (ParleyHTTP.agentHeader, agent.rawValue),
        ]
        let count = 2_000
        var sink = 0
        var lines: [String] = []
        let sign = CPUMeasurement.run("HTTP request signed (RFC 9421 + Content-Digest)", unit: "requests/s", count: Double(count)) {
            for _ in 0..<count {
                sink &+=
                    (try? ParleyHTTPSignatures.signRequest(
                        method: "POST", targetURI: target, headers: base, body: body, key: customer, now: now))?.count ?? 0
            }
        }
        lines.append(sign.line)
        guard
            let headers = try? ParleyHTTPSignatures.signRequest(
                method: "POST", targetURI: target, headers: base, body: body, key: customer, now: now)
        else { return ["HTTP request signing failed"] }
        let keys = [customer.publicKey]
        let verify = CPUMeasurement.run("HTTP request verified (parse, base, Ed25519, digest)", unit: "requests/s", count: Double(count)) {
            for _ in 0..<count {
                if (try? ParleyHTTPSignatures.verifyRequest(
                    method: "POST", targetURI: target, headers: headers, body: body, keys: keys, now: now)) != nil
                {
                    sink &+= 1
                }
            }
        }
        lines.append(verify.line)
        let request = HTTPSignatureMessage.Request(method: "POST", targetURI: target, headers: headers)
        let response = CPUMeasurement.run("HTTP response signed", unit: "responses/s", count: Double(count)) {
            for _ in 0..<count {
                sink &+=
                    (try? ParleyHTTPSignatures.signResponse(
                        status: 200, headers: [("Content-Type", ParleyHTTP.batchMediaType)], body: body, answering: request, key: company,
                        now: now))?.count ?? 0
            }
        }
        lines.append(response.line)
        lines.append("(checksum \(sink))")
        return lines
    }
}
