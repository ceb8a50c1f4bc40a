public import Parley

/// What the suite assumes about the world the peer lives in. The defaults are the S1 hair-salon
/// world of `scenarios.md`, which `parley serve --role company --scenario salon` and
/// `parley serve --role customer --scenario haircut` play; another implementation under test
/// runs that scenario too, or passes a profile of its own.
public struct ConformanceProfile: Sendable {
    /// The suite's agent id when it plays the customer.
    public var customerID: AgentID = "conformance.example/customer"
    /// The company peer's agent id (the suite addresses its hellos to it).
    public var companyID: AgentID = "salon.example/bot"
    /// A service the company offers by exact name, and a category with several services (it asks which).
    public var service = "haircut-women"
    /// A category with several services, so that the company asks which one.
    public var category = "haircut"
    /// A service that needs a person: the company hands off.
    public var handoffService = "colour"
    /// A window with free time for ``service`` (S1: 3 May 10:00–12:00 Berlin, where 10:00 is free).
    public var freeWindow = TimeWindow(start: Instant(rfc3339: "2026-05-03T08:00:00Z")!, end: Instant(rfc3339: "2026-05-03T10:00:00Z")!)
    /// A window with plenty of free time, for cases that book several times in one run (S1: 3 May 09:00–18:00).
    public var wideWindow = TimeWindow(start: Instant(rfc3339: "2026-05-03T07:00:00Z")!, end: Instant(rfc3339: "2026-05-03T16:00:00Z")!)
    /// A window where nothing is free, so the company counter-offers (S1: exactly 12:00).
    public var busyWindow = TimeWindow(start: Instant(rfc3339: "2026-05-03T10:00:00Z")!, end: Instant(rfc3339: "2026-05-03T10:00:00Z")!)
    /// The personal data the suite discloses when it plays the customer.
    public var personalData: [DataField: String] = [.givenName: "Conformance", .familyName: "Kit", .email: "kit@example.org"]
    /// What the suite's company asks for when it plays the company (declared on every proposal).
    public var requirement = DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)
    /// A requirement the suite's customer peer's policy refuses (S1: Lisa shares only her first name).
    public var refusedRequirement = DataRequirement(fields: [.phone], purpose: .booking, retentionDays: 30)
    /// The time zone the suite's company puts on proposals.
    public var timeZone = "Europe/Berlin"

    /// The S1 defaults.
    public init() {}
}
