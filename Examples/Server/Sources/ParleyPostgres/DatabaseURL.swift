import Foundation
import PostgresNIO

extension PostgresClient.Configuration {
    /// A configuration from a libpq-style URL:
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable]`, or a Unix socket
    /// directory in `host`: `postgres://USER@/DATABASE?host=/var/run/postgresql`.
    ///
    /// Only unencrypted connections are built here (`sslmode=disable`, the default): keep the
    /// database on loopback or a socket, or extend this with a `NIOSSL` configuration for
    /// `sslmode=require`. Any other `sslmode` is refused rather than silently downgraded.
    public init(databaseURL text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else { throw BookingStoreError.invalidURL("expected postgres://USER@HOST:PORT/DATABASE") }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let sslmode = query["sslmode"] ?? "disable"
        guard sslmode == "disable" else {
            throw BookingStoreError.invalidURL("sslmode=\(sslmode) is not supported by this example; use sslmode=disable on loopback")
        }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw BookingStoreError.invalidURL("no user name")
        }
        let password = components.password.flatMap { $0.removingPercentEncoding }
        var database = String(components.path.drop { $0 == "/" })
        database = database.removingPercentEncoding ?? database
        let name = database.isEmpty ? nil : database
        if let socket = query["host"], socket.hasPrefix("/") {
            let path = socket.hasSuffix(".s.PGSQL.\(components.port ?? 5432)") ? socket : socket + "/.s.PGSQL.\(components.port ?? 5432)"
            self.init(unixSocketPath: path, username: user, password: password, database: name)
            return
        }
        guard let host = components.host, !host.isEmpty else { throw BookingStoreError.invalidURL("no host") }
        guard (1...65535).contains(components.port ?? 5432) else { throw BookingStoreError.invalidURL("port out of range") }
        self.init(host: host, port: components.port ?? 5432, username: user, password: password, database: name, tls: .disable)
    }
}
