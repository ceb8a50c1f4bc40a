import Foundation
import Parley
import ParleyConformance
import ParleyScenarios
import Testing

/// The limit per case in these tests. The suite's default (60 s) guards against a hung peer;
/// here other suites share the test threads, and under a sanitizer everything runs several times
/// slower, so a case can wait a minute for a thread without the peer being at fault.
let caseLimit = 600.0

/// Where `swift build` puts the package's executables (`parley`, `parley-broken-peer`): beside the
/// test bundle, whatever the build folder (`--scratch-path`, a sanitizer build), else `.build/debug`.
enum Binaries {
    static let directory: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("parley").path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug")
    }()

    /// The path of `name`; records an issue when it has not been built.
    static func path(_ name: String) -> String? {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record("\(path) is missing: run `swift build` (CI: swift build --build-tests) before `swift test`")
            return nil
        }
        return path
    }
}

@Suite("Self-conformance", .serialized)
struct SelfConformanceTests {
    @Test func companyAgentInProcessPassesEveryCase() async {
        let suite = ConformanceSuite(profile: ConformanceProfile(now: World.now, daysAhead: 3), caseTimeout: caseLimit)
        let report = await suite.run(role: .company, peer: "CompanyAgent (S1 salon), in process") {
            InProcessPeer.company(clock: ShiftedClock(start: World.now)) { Salons.salon().0 }
        }
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.passed >= ConformanceSuite.cases(for: .company).count - 1)
    }

    @Test func customerAgentInProcessPassesEveryCase() async {
        let suite = ConformanceSuite(profile: ConformanceProfile(now: World.now, daysAhead: 3), caseTimeout: caseLimit)
        let report = await suite.run(role: .customer, peer: "CustomerAgent (S1 haircut), in process") {
            InProcessPeer.customer(company: "salon.example/bot") {
                CustomerAgent(
                    id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
                    consentKey: World.lisasKey, clock: ShiftedClock(start: World.now), signingKey: World.lisasSigningKey,
                    trustedCompanyKeys: World.trustedCompanyKeys)
            }
        }
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.passed == ConformanceSuite.cases(for: .customer).count)
    }

    /// A customer that trusts no company key (as before signed confirms): with a profile that signs
    /// nothing, every case passes but the signature cases, which are skipped.
    @Test func customerWithoutTrustedKeysPassesUnsignedProfile() async {
        var profile = ConformanceProfile(now: World.now, daysAhead: 3)
        profile.companySigningKey = nil
        let suite = ConformanceSuite(profile: profile, caseTimeout: caseLimit)
        let report = await suite.run(role: .customer, peer: "CustomerAgent (S1 haircut, no keys), in process") {
            InProcessPeer.customer(company: "salon.example/bot") {
                CustomerAgent(
                    id: World.lisa, wishes: Scenarios.haircutWishes, policy: World.bookingOnlyPolicy, personalData: World.lisasData,
                    consentKey: World.lisasKey, clock: ShiftedClock(start: World.now))
            }
        }
        let signatureCases = ConformanceSuite.cases(for: .customer).filter { $0.id.hasPrefix("proof.") }.count
        #expect(signatureCases >= 10)
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.passed == ConformanceSuite.cases(for: .customer).count - signatureCases)
    }

    /// The transport issue's check: `parley serve --role company` as a child process, the whole S1
    /// flow over its pipes (and every other company case).
    @Test(arguments: [Role.company, .customer])
    func parleyServePassesEveryCase(role: Role) async {
        guard let parley = Binaries.path("parley") else { return }
        let command =
            role == .company ? "\(parley) serve --role company --scenario salon" : "\(parley) serve --role customer --scenario haircut"
        let report = await ConformanceSuite(caseTimeout: caseLimit).run(role: role, peer: command) { try ProcessPeer(command: command) }
        #expect(report.failed == 0, "\(report.text)")
        #expect(
            report.results.contains { $0.id == (role == .company ? "flow.s1-booking" : "flow.customer.booking") && $0.outcome == .pass })
    }
}

@Suite("Broken peers fail exactly their cases", .serialized)
struct BrokenPeerTests {
    static let expected: [(defect: String, role: Role, failing: Set<String>)] = [
        ("accepts-expired-offer", .customer, ["expiry.customer.expired-offer"]),
        // The tamper layer changes the disclosure after the agent signed its transcript, so the agent's
        // agreement digest differs from the wire's as well: the confirm is rejected.
        ("discloses-ungranted-field", .customer, ["privacy.customer.disclose-only-granted", "flow.customer.booking"]),
        // The tamper layer shows the agent the agreed terms in place of the confirm's: every term
        // but service and slot (which it checked before) goes unnoticed.
        (
            "accepts-tampered-confirm", .customer,
            Set(
                ["price", "cancellation", "add-ons", "location", "time-zone", "revision", "fee"].map {
                    "content.customer.confirm-terms.\($0)"
                })
        ),
        (
            "ignores-transition-table", .company,
            Set(
                ["errors.unexpected-message", "errors.limit-exceeded", "errors.rejected-opening-keeps-no-state", "idempotency.same-error"]
                    + CompanyCasesList.tablePhases.map { "table.company.\($0)" })
        ),
    ]

    @Test(arguments: 0..<4)
    func fixtureFailsExactlyItsCases(index: Int) async {
        let (defect, role, failing) = Self.expected[index]
        guard let binary = Binaries.path("parley-broken-peer") else { return }
        let command = "\(binary) --defect \(defect)"
        // Shorter waits: a broken peer's silence is the expected failure here.
        let report = await ConformanceSuite(replyTimeout: 1.5, caseTimeout: caseLimit).run(role: role, peer: command) {
            try ProcessPeer(command: command)
        }
        #expect(Set(report.failedIDs) == failing, "\(defect):\n\(report.text)")
    }
}

enum CompanyCasesList {
    static let tablePhases = [
        "start", "ready", "questioned", "offered", "consentRequested", "disclosing", "booked", "declined", "handedOff",
    ]
}
