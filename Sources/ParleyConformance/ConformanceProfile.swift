public import Parley

/// What the suite assumes about the world the peer lives in: the S1 hair-salon world of
/// `scenarios.md`, laid out relative to a clock. `parley serve --role company --scenario salon`
/// and `parley serve --role customer --scenario haircut` play it on the same clock (tomorrow in
/// Europe/Berlin); another implementation under test runs that scenario too, or passes a profile
/// of its own.
public struct ConformanceProfile: Sendable {
    /// The instant the suite takes as "now": it writes it into `sentAt`, and the offers and
    /// consent tokens it makes expire relative to it (30 days later), so that a peer on the same
    /// clock finds them valid.
    public var now: Instant
    /// The suite's agent id when it plays the customer.
    public var customerID: AgentID = "conformance.example/customer"
    /// The company peer's agent id (the suite addresses its hellos to it). A company speaks only
    /// after the customer's hello, so the suite cannot learn it: pass it (`--peer-id`) unless it
    /// is the S1 salon's. When the suite plays the company it answers as whatever company the
    /// customer's hello addresses.
    public var companyID: AgentID = "salon.example/bot"
    /// A service the company offers by exact name, and a category with several services (it asks which).
    public var service = "haircut-women"
    /// A category with several services, so that the company asks which one.
    public var category = "haircut"
    /// A service that needs a person: the company hands off.
    public var handoffService = "colour"
    /// A window with free time for ``service`` (S1: 10:00–12:00 local on the scenario's day, where 10:00 is free).
    public var freeWindow: TimeWindow
    /// A window with plenty of free time, for cases that book several times in one run (S1: 09:00–18:00).
    public var wideWindow: TimeWindow
    /// A window where nothing is free, so the company counter-offers (S1: exactly 12:00).
    public var busyWindow: TimeWindow
    /// The personal data the suite discloses when it plays the customer.
    public var personalData: [DataField: String] = [.givenName: "Conformance", .familyName: "Kit", .email: "kit@example.org"]
    /// What the suite's company asks for when it plays the company (declared on every proposal).
    public var requirement = DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)
    /// A requirement the suite's customer peer's policy refuses (S1: Lisa shares only her first name).
    public var refusedRequirement = DataRequirement(fields: [.phone], purpose: .booking, retentionDays: 30)
    /// The time zone the suite's company puts on proposals, and the windows' zone.
    public var timeZone = "Europe/Berlin"
    /// The key the suite signs its confirms with when it plays the company (`PROTOCOL.md` §5.7).
    /// The customer peer must trust its public key for ``companyID``: by default it is the S1
    /// salon's published test key (seed: the 32 ASCII bytes `parley scenario key: salon 00001`,
    /// public key `88773b4b5e3e639c87828c886c866a383cf41975bc307573cf8f2fdc4399c127`), which
    /// `parley serve --role customer --scenario haircut` trusts. Set it to `nil` for a customer peer
    /// that trusts no key: the suite then sends unsigned confirms and skips the signature cases.
    public var companySigningKey: SigningKey? = ConformanceProfile.s1SalonSigningKey
    /// The public key the company peer signs its confirms with, when the suite plays the customer:
    /// case `proof.company-signs-confirms` checks every confirm against it. By default the S1
    /// salon's (the public half of ``companySigningKey``'s default), which `parley serve --role
    /// company --scenario salon` signs with; `nil` skips the case (a company that signs nothing).
    public var companyPublicKey: PublicSigningKey? = ConformanceProfile.s1SalonSigningKey?.publicKey
    /// The key the suite signs its consent grants with when it plays the customer (`CONSENT.md` §10.1).
    public var customerSigningKey: SigningKey? = SigningKey(seed: Array("parley conformance customer key1".utf8))

    /// The S1 salon's published test signing key (see ``companySigningKey``).
    public static let s1SalonSigningKey = SigningKey(seed: Array("parley scenario key: salon 00001".utf8))

    /// The S1 profile on the system clock: the windows lie on tomorrow's date in Europe/Berlin.
    public init() {
        self.init(now: SystemClock().now)
    }

    /// The S1 profile as seen at `now`: the windows lie `daysAhead` days after the local date of
    /// `now` in Europe/Berlin (1: tomorrow).
    public init(now: Instant, daysAhead: Int = 1) {
        self.now = now
        // Europe/Berlin, or UTC on a platform without time zone data.
        guard let zone = LocalTime(timeZone: "Europe/Berlin") ?? LocalTime(timeZone: "UTC") else {
            preconditionFailure("the platform knows no UTC time zone")
        }
        let today = zone.components(of: now)
        // Whole days from local noon never cross a date twice, whatever the daylight-saving switches.
        let noon = zone.instant(year: today.year, month: today.month, day: today.day, hour: 12)
        let day = zone.components(of: noon.adding(seconds: Int64(daysAhead) * 86_400))
        func at(_ hour: Int) -> Instant { zone.instant(year: day.year, month: day.month, day: day.day, hour: hour) }
        freeWindow = TimeWindow(start: at(10), end: at(12))
        wideWindow = TimeWindow(start: at(9), end: at(18))
        busyWindow = TimeWindow(start: at(12), end: at(12))
    }

    /// When the offers and tokens the suite makes expire: 30 days after ``now``.
    public var expiry: Instant { now.adding(seconds: 30 * 86_400) }
}
