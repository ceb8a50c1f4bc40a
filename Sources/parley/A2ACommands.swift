import Foundation
import Parley

/// The A2A side of `parley book --a2a` (`Spec/A2A.md`).
enum A2ACommands {
    /// The A2A client configuration; `insecure` allows plain http:// beyond loopback.
    static func configuration(insecure: Bool) -> A2AClientTransport.Configuration {
        var configuration = A2AClientTransport.Configuration()
        configuration.http.allowsInsecureHTTP = insecure
        return configuration
    }

    /// Reads and checks the agent card at `location`; it must name the company's discovery document.
    static func resolve(_ location: String, insecure: Bool) async throws -> A2AAgentCard {
        let card = try await A2AClientTransport.resolve(location, configuration: configuration(insecure: insecure))
        guard card.discoveryURL != nil else {
            throw A2ATransportError.notParley("the extension's params name no discovery document")
        }
        return card
    }

    /// The last failure of an HTTP or A2A client transport, for the error report.
    static func lastFailure(of transport: any Transport) async -> String? {
        if let http = transport as? HTTPClientTransport { return await http.lastFailure.map { "\($0)" } }
        if let a2a = transport as? A2AClientTransport { return await a2a.lastFailure.map { "\($0)" } }
        return nil
    }
}
