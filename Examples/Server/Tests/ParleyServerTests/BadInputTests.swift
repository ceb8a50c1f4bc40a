import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Parley
import ParleyScenarios
import ParleyServer
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

/// A raw TCP client to 127.0.0.1, for what a well-behaved HTTP client never does.
struct RawConnection {
    let fd: Int32

    init?(port: Int) {
        #if canImport(Glibc)
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            closeDescriptor(fd)
            return nil
        }
    }

    func send(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
    func close() { closeDescriptor(fd) }
}

/// Bad input over real HTTP (Spec/SECURITY.md §5): the server answers precisely and keeps serving others.
@Suite struct BadInputTests {
    static func app() -> some ApplicationProtocol {
        let binding = CompanyHTTPBinding(agent: Salons.salon().0, clock: ShiftedClock(start: World.now))
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.idleTimeout = 5
        return buildApplication(binding: binding, configuration: configuration)
    }

    @Test func halfSentBodiesGarbageAndIdleConnectionsDoNotStopTheServer() async throws {
        try await Self.app().test(.live) { client in
            let port = try #require(client.port)
            // Half-sent bodies: a Content-Length of 1000 and 10 bytes, then silence or a hang-up.
            var held: [RawConnection] = []
            for index in 0..<50 {
                guard let connection = RawConnection(port: port) else { continue }
                connection.send(
                    "POST /parley HTTP/1.1\r\nHost: x\r\nContent-Type: application/parley+json\r\nContent-Length: 1000\r\n\r\n0123456789")
                if index % 2 == 0 { connection.close() } else { held.append(connection) }
            }
            // Garbage that is not HTTP.
            for _ in 0..<20 {
                guard let connection = RawConnection(port: port) else { continue }
                connection.send("\u{0}\u{1}GARBAGE\r\n\r\n{{{{{")
                connection.close()
            }
            // Many connections that do nothing at all.
            for _ in 0..<1000 {
                if let connection = RawConnection(port: port) { held.append(connection) }
            }
            #expect(held.count >= 1000)
            // A client that sends many requests and never reads the answers.
            if let greedy = RawConnection(port: port) {
                for _ in 0..<200 { greedy.send("GET /.well-known/parley HTTP/1.1\r\nHost: x\r\n\r\n") }
                held.append(greedy)
            }
            let response = try await client.execute(uri: "/.well-known/parley", method: .get)
            #expect(response.status == .ok)
            let hello = WireCodec().encode(
                Envelope(
                    id: "m-1", session: "s-bad-input", from: World.lisa, to: "salon.example/bot", sequence: 1, sentAt: World.now,
                    message: .hello(.init(role: .customer))))
            let answer = try await client.execute(
                uri: "/parley", method: .post, headers: [.contentType: ParleyHTTP.envelopeMediaType], body: ByteBuffer(bytes: hello))
            #expect(answer.status == .ok)
            #expect(String(buffer: answer.body).contains("\"type\":\"hello\""))
            for connection in held { connection.close() }
        }
    }
}
