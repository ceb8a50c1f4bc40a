import HTTPTypes
import Hummingbird
import NIOCore
import Parley
import ServiceLifecycle

/// Adds Parley's A2A binding (`Spec/A2A.md`) and, behind it, the Parley HTTP binding it was made
/// from to `router`: the agent card at `/.well-known/agent-card.json`, the JSON-RPC endpoint, and
/// every resource of `Spec/HTTP.md`. Use it instead of ``addParleyRoutes(to:binding:)``.
///
/// Both bindings share the agent, the sessions and the outbox, so a session may even be started
/// over one and read over the other.
public func addA2ARoutes(to router: Router<ParleyRequestContext>, binding: CompanyA2ABinding) {
    let handler: @Sendable (Request, ParleyRequestContext) async throws -> Response = { request, context in
        // Each binding's own body limit: an envelope wrapped in JSON-RPC on the A2A endpoint, one
        // envelope elsewhere (`Spec/HTTP.md` §5.1: no more is buffered).
        let limit =
            request.uri.path == binding.configuration.endpointPath
            ? binding.configuration.maximumBodyBytes : binding.http.configuration.maximumBodyBytes
        let body = try await request.body.collect(upTo: limit)
        // HTTP/1's Host header arrives as the request's authority; the agent card's URLs are built on it.
        let host = request.head.authority.map { [("Host", $0)] } ?? []
        let exchange = ParleyHTTPRequest(
            method: request.method.rawValue, target: request.uri.string,
            headers: host + request.headers.map { ($0.name.rawName, $0.value) }, body: Array(buffer: body),
            client: context.remoteAddress?.ipAddress)
        // A parked poll must not hold up a graceful shutdown: the HTTP binding answers it at once.
        let answer = await withGracefulShutdownHandler {
            await binding.respond(to: exchange)
        } onGracefulShutdown: {
            Task { await binding.http.shutdown() }
        }
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
    for method in [HTTPRequest.Method.get, .head, .post, .put, .delete, .patch] {
        router.on("**", method: method, use: handler)
        router.on("/", method: method, use: handler)
    }
}
