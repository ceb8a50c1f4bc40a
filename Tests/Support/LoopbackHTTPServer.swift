import Foundation
public import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 with plain sockets, for testing the client transport
/// without any package: one request per connection (`Connection: close`), body by `Content-Length`.
/// `handler` answers each request; by default it hands it to a ``CompanyHTTPBinding``.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// Answers one request; `nil` closes the connection without a response.
    public typealias Handler = @Sendable (ParleyHTTPRequest) async -> ParleyHTTPResponse?
    /// The loopback port it listens on.
    public let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false

    /// Starts listening on a free loopback port.
    public init(handler: @escaping Handler) throws {
        #if canImport(Glibc)
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketFD >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 64) == 0 else {
            close(socketFD)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        listener = socketFD
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in
            while true {
                let connection = accept(socketFD, nil, nil)
                if connection < 0 { return }
                if lock.withLock({ stopped }) {
                    close(connection)
                    return
                }
                Task.detached { await Self.serve(connection, handler: handler) }
            }
        }
        thread.start()
    }

    /// Starts a server that hands every request to `binding`.
    public convenience init(binding: CompanyHTTPBinding) throws {
        try self.init { await binding.respond(to: $0) }
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Stops listening; connections in progress finish.
    public func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ connection: Int32, handler: Handler) async {
        defer { close(connection) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        func readMore() -> Bool {
            let count = read(connection, &chunk, chunk.count)
            guard count > 0 else { return false }
            buffer += chunk[0..<count]
            return true
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if let range = buffer.firstRange(of: separator) { headEnd = range.lowerBound; break }
            guard buffer.count < 65_536, readMore() else { return }
        }
        guard let headEnd else { return }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        guard requestLine.count >= 2 else { return }
        var headers: [(name: String, value: String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = headEnd + 4
        while buffer.count - bodyStart < min(length, 1 << 20) { guard readMore() else { return } }
        let body = Array(buffer[bodyStart..<min(buffer.count, bodyStart + length)])
        let request = ParleyHTTPRequest(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body, client: "127.0.0.1")
        guard let response = await handler(request) else { return }
        var text = "HTTP/1.1 \(response.status) X\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        let out = Array((text + "\r\n").utf8) + response.body
        var written = 0
        while written < out.count {
            let count = out[written...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            written += count
        }
    }
}
