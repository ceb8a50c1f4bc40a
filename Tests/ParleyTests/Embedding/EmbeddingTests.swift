import Foundation
import ParleyScenarios
import Testing

@testable import Parley

@Suite("README's embedding examples compile, run, and match README.md")
struct EmbeddingTests {
    @Test("The two examples negotiate a booking")
    func examplesRun() async throws {
        let clock = ManualClock(now: World.now)
        let (customerEnd, companyEnd) = InProcessTransport.pair(codec: WireCodec())
        _ = startSalon(on: companyEnd, clock: clock, openingHours: Salons.openingHours)
        let (outcome, summary) = await bookHaircut(
            over: customerEnd, clock: clock, windows: [World.window(may: 3, from: (10, 0), to: (12, 0))],
            preferredStart: World.may(3, 11), askThePerson: { _ in false })
        #expect(outcome.booking?.confirmation.slot.start == World.may(3, 11))
        #expect(summary.hasPrefix("Booked \(try #require(outcome.booking?.reference))"))
        #expect(isBookingReference(try #require(outcome.booking?.reference), prefix: "B"))
    }

    @Test("Every code block of README.md's Embedding section stands verbatim in EmbeddingExamples.swift")
    func readmeMatches() throws {
        let readme = try Repository.text("README.md")
        let source = try Repository.text("Tests/ParleyTests/Embedding/EmbeddingExamples.swift")
        for name in ["company", "hours", "customer"] {
            let begin = try #require(source.range(of: "// BEGIN README \(name)\n"))
            let end = try #require(source.range(of: "    // END README \(name)"))
            let code = source[begin.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }.joined(separator: "\n")
            #expect(readme.contains("```swift\n\(code)```"), "README.md must contain the \(name) example verbatim:\n\(code)")
        }
    }
}
