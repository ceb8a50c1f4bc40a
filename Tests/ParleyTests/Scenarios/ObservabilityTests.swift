import ParleyScenarios
import Testing

@testable import Parley

@Suite("Agents report structured events")
struct ObservabilityTests {
    @Test("S1 emits session opened, messages, phase changes, consent granted and the outcome, on both sides", .timeLimit(.minutes(1)))
    func s1Events() async throws {
        let stage = Stage()
        let (salon, _) = Salons.salon()
        let lisa = stage.lisa(wishes: Scenarios.haircutWishes)
        await stage.connect(lisa, to: salon)
        #expect(await lisa.book(at: salon.profile.id).booking != nil)
        for (name, events, sent, received) in [("salon", salon.events, 6, 8), ("assistant", lisa.events, 8, 6)] {
            var seen: [String] = []
            for await event in events {
                switch event {
                case .sessionOpened: seen.append("opened")
                case .messageSent: seen.append("sent")
                case .messageReceived: seen.append("received")
                case .phaseChanged(_, _, let to): seen.append("phase:\(to)")
                case .consentGranted(_, _, let fields, let purpose): seen.append("consent:\(fields.map(\.rawValue))/\(purpose)")
                case .messageRejected, .inputRejected, .consentUsed, .consentRevoked: seen.append("other")
                case .sessionEnded(_, let end):
                    seen.append("ended:\(end.outcome)")
                }
                if seen.last?.hasPrefix("ended") == true { break }
            }
            #expect(seen.first == "opened", "\(name): \(seen)")
            #expect(seen.contains("phase:booked"), "\(name): \(seen)")
            #expect(seen.contains("consent:[\"givenName\"]/booking"), "\(name): \(seen)")
            #expect(seen.last == "ended:booked", "\(name): \(seen)")
            #expect(seen.filter { $0 == "sent" }.count == sent, "\(name): \(seen)")
            #expect(seen.filter { $0 == "received" }.count == received, "\(name): \(seen)")
        }
    }
}
