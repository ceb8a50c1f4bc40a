import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Parley
import ServiceLifecycle

/// The request context: Hummingbird's core context plus the client's address, which the
/// binding's per-client limits are keyed by, and the binding's body limit.
public struct ParleyRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The address of the connection's peer (the TLS-terminating proxy, when there is one).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// One envelope and a final CR LF: bodies beyond it get 413 before they are buffered.
    public var maxUploadSize: Int { WireLimits.standard.maximumBytes + 2 }
}

/// Adds the Parley HTTP binding to `router`: discovery, the exchange endpoint and polls.
///
/// This is all it takes to host Parley in a Hummingbird server; other servers do the same
/// three steps: collect the body up to the limit, call ``CompanyHTTPBinding/respond(to:)``,
/// write the response out.
public func addParleyRoutes(to router: Router<ParleyRequestContext>, binding: CompanyHTTPBinding) {
    let handler: @Sendable (Request, ParleyRequestContext) async throws -> Response = { request, context in
        let body = try await request.body.collect(upTo: binding.configuration.maximumBodyBytes)
        // HTTP/1's Host arrives as the `:authority` pseudo-field; request signatures' `@target-uri`
        // is rebuilt from it when no origin is configured.
        var fields = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        if let authority = request.head.authority, !fields.contains(where: { $0.name.lowercased() == "host" }) {
            fields.append((name: "Host", value: authority))
        }
        let exchange = ParleyHTTPRequest(
            method: request.method.rawValue, target: request.uri.string,
            headers: fields, body: Array(buffer: body),
            client: context.remoteAddress?.ipAddress)
        // A parked poll must not hold up a graceful shutdown: the binding answers it at once.
        let answer = await withGracefulShutdownHandler {
            await binding.respond(to: exchange)
        } onGracefulShutdown: {
            Task { await binding.shutdown() }
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

/// What `parley-server` is started with.
public struct ServerConfiguration: Sendable {
    /// The address to listen on; loopback unless a TLS-terminating proxy sits in front.
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one.
    public var port = 8080
    /// How long an idle keep-alive connection is kept, in seconds.
    public var idleTimeout = 75

    public init() {}
}

/// Builds the Hummingbird application that serves `binding`, and `a2a` (built on it) when given.
public func buildApplication(
    binding: CompanyHTTPBinding, a2a: CompanyA2ABinding? = nil, configuration: ServerConfiguration,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
)
    -> some ApplicationProtocol
{
    let router = Router(context: ParleyRequestContext.self)
    if let a2a {
        addA2ARoutes(to: router, binding: a2a)
    } else {
        addParleyRoutes(to: router, binding: binding)
    }
    var logger = Logger(label: "parley-server")
    logger.logLevel = .warning
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "parley-server"),
        onServerRunning: onServerRunning,
        logger: logger)
}
