import Foundation
import Testing

@testable import Parley

@Suite("Session configuration: shared values, private changes, stored as its fields")
struct ConfigurationTests {
    typealias Configuration = SessionStateMachine.Configuration

    @Test("A change to one copy leaves the others and the defaults alone")
    func changesArePrivate() {
        let defaults = Configuration()
        var changed = defaults
        changed.maximumRounds = 3
        changed.supportedVersions = [1, 2]
        #expect(changed.maximumRounds == 3 && changed.supportedVersions == [1, 2])
        #expect(defaults.maximumRounds == 16 && defaults.supportedVersions == ParleyProtocol.supportedVersions)
        #expect(Configuration().maximumRounds == 16, "the shared defaults were not touched")
        #expect(changed != defaults)
        var back = changed
        back.maximumRounds = 16
        back.supportedVersions = ParleyProtocol.supportedVersions
        #expect(back == defaults && back.hashValue == defaults.hashValue, "equal values are equal, whatever object holds them")
    }

    @Test("Encodes every value by name; decoding restores it, and an absent value takes its default")
    func codable() throws {
        var configuration = Configuration()
        configuration.idleTimeout = 30
        configuration.maximumMessages = 99
        let data = try JSONEncoder().encode(configuration)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "idleTimeout", "retransmitInterval", "maximumRetransmitInterval", "maximumErrors", "maximumMessages",
                "maximumBuffered", "maximumRounds", "supportedVersions",
            ])
        #expect(object["idleTimeout"] as? Int == 30 && object["maximumMessages"] as? Int == 99)
        #expect(try JSONDecoder().decode(Configuration.self, from: data) == configuration)
        let partial = try JSONDecoder().decode(Configuration.self, from: Data(#"{"maximumErrors": 2}"#.utf8))
        #expect(partial.maximumErrors == 2 && partial.idleTimeout == 600 && partial.maximumRounds == 16)
    }

    @Test("A machine stores its configuration and resumes with it")
    func machineRoundTrip() throws {
        var configuration = Configuration()
        configuration.maximumRounds = 4
        let machine = SessionStateMachine(role: .customer, session: "s-1", local: "a", peer: "b", configuration: configuration)
        let restored = try JSONDecoder().decode(SessionStateMachine.self, from: JSONEncoder().encode(machine))
        #expect(restored == machine && restored.configuration.maximumRounds == 4)
    }
}
