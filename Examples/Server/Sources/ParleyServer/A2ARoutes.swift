import HTTPTypes
import Hummingbird
import NIOCore
import Parley

/// Adds Parley's A2A binding (`Spec/A2A.md`) to `router`: the agent card at
/// `/.well-known/agent-card.json` and the JSON-RPC endpoint. Register it before
/// ``addParleyRoutes(to:binding:)``: its constant paths then win over that catch-all.
///
/// The A2A binding shares the agent, the sessions and the outbox of the HTTP binding it was made
/// from, so a session may even be started over one binding and read over the other.
public func addA2ARoutes(to router: Router<ParleyRequestContext>, binding: CompanyA2ABinding) {
    let handler: @Sendable (Request, ParleyRequestContext) async throws -> Response = { request, context in
        let body = try await request.body.collect(upTo: binding.configuration.maximumBodyBytes)
        // HTTP/1's Host header arrives as the request's authority; the agent card's URLs are built on it.
        let host = request.head.authority.map { [("Host", $0)] } ?? []
        let exchange = ParleyHTTPRequest(
            method: request.method.rawValue, target: request.uri.string,
            headers: host + request.headers.map { ($0.name.rawName, $0.value) }, body: Array(buffer: body),
            client: context.remoteAddress?.ipAddress)
        let answer = await binding.respond(to: exchange)
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
    let card = RouterPath(stringLiteral: ParleyA2A.agentCardPath)
    let endpoint = RouterPath(stringLiteral: binding.configuration.endpointPath)
    for method in [HTTPRequest.Method.get, .head, .post, .put, .delete, .patch] {
        router.on(card, method: method, use: handler)
        router.on(endpoint, method: method, use: handler)
    }
}
