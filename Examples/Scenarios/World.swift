public import Parley

/// The fixed world the reference scenarios play in: the date, the zone, the people and the companies.
public enum World {
    /// The scenarios' "now": Thursday 30 April 2026, 11:00 in Berlin.
    public static let now = Instant(rfc3339: "2026-04-30T09:00:00Z")!
    /// The companies' time zone.
    public static let timeZone = "Europe/Berlin"
    /// Local time in Berlin.
    public static let berlin = LocalTime(timeZone: timeZone)!

    /// An instant on a day of May 2026 at a Berlin wall-clock time.
    public static func may(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Instant {
        ScenarioDay(year: 2026, month: 5, day: day).at(hour, minute)
    }

    /// The day S1 plays on: Sunday 3 May 2026.
    public static let s1Day = ScenarioDay(year: 2026, month: 5, day: 3)

    /// A window of start times on a day of May 2026, Berlin time.
    public static func window(may day: Int, from: (Int, Int), to: (Int, Int)) -> TimeWindow {
        TimeWindow(start: may(day, from.0, from.1), end: may(day, to.0, to.1))
    }

    /// Lisa's assistant.
    public static let lisa: AgentID = "assistant.example/lisa"
    /// Lisa's personal data: what her assistant may share, if her policy allows.
    public static let lisasData: [DataField: String] = [
        .givenName: "Lisa", .familyName: "Berger", .email: "lisa@example.org",
        .phone: "+49 30 1234567",
    ]
    /// Lisa's consent root key (a fixed test key: real assistants draw 32 random bytes once and keep them secret).
    public static let lisasKey = ConsentRootKey(bytes: Array("parley scenario key: lisa 000001".utf8))!

    /// The S1 salon's signing key: it signs every confirm (`Spec/PROTOCOL.md` §5.7). A fixed test
    /// key whose seed is published here, so that demos replay byte for byte and the conformance kit
    /// (`ConformanceProfile` of ParleyConformance) signs with the same key; a real company draws its seed
    /// from a secure random source and keeps it secret.
    public static let salonSigningKey = SigningKey(seed: Array("parley scenario key: salon 00001".utf8))!
    /// Lisa's signing key: her assistant signs every consent grant with it (`Spec/CONSENT.md` §10.1).
    public static let lisasSigningKey = SigningKey(seed: Array("parley scenario key: lisa sign01".utf8))!
    /// The company keys Lisa's assistant trusts, as it would learn them from each salon's signed
    /// discovery document: the scenarios' salons (S1 and the three of S3) all sign with ``salonSigningKey``.
    public static let trustedCompanyKeys: [AgentID: [PublicSigningKey]] = [
        "salon.example/bot": [salonSigningKey.publicKey], "north.example/bot": [salonSigningKey.publicKey],
        "centre.example/bot": [salonSigningKey.publicKey], "south.example/bot": [salonSigningKey.publicKey],
    ]

    /// Lisa's usual privacy policy: her first name for bookings, nothing else.
    public static let bookingOnlyPolicy = PrivacyPolicy(rules: [
        .booking: .init(fields: [.givenName], decision: .allow, maximumRetentionDays: 90)
    ])

    /// A booking another customer holds.
    static func taken(_ reference: BookingReference, on day: ScenarioDay, from: (Int, Int), to: (Int, Int)) -> BookingRecord {
        BookingRecord(
            id: reference, customer: "assistant.example/other", session: "s-earlier", service: "haircut-women",
            slot: Slot(start: day.at(from.0, from.1), end: day.at(to.0, to.1)), price: Money(amount: 4500, currency: "EUR"),
            heldFor: nil)
    }
}
