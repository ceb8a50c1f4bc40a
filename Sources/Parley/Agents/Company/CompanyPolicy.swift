/// How a company agent negotiates: validity of offers, hold times, cancellation terms,
/// reservation rules and the answers it gives to customers' questions.
public struct CompanyPolicy: Hashable, Sendable, Codable {
    /// How long a proposal stays valid.
    public var offerValidityMinutes = 15
    /// How long an accepted slot is held while the customer grants consent.
    public var holdMinutes = 10
    /// The grid start times fall on.
    public var slotStepMinutes = 15
    /// The most proposals in one offer.
    public var proposalsPerOffer = 3
    /// How far from the asked time a counter-offer looks, in minutes.
    public var searchHorizonMinutes = 12 * 60
    /// The cancellation terms of every booking.
    public var cancellation = CancellationPolicy(freeUntilMinutesBefore: 24 * 60, fee: nil)
    /// Reservations are taken only from this party size; smaller parties walk in.
    public var minimumPartySize: Int?
    /// What to say to a party that needs no reservation.
    public var walkInText = "No reservation needed: just come in."
    /// Answers to customers' questions, by topic (`wait-time`, `parking`, …).
    public var answers: [String: String] = [:]
    /// How a person contacts the customer after a hand-off.
    public var handoffChannel = "phone"
    /// The prefix of booking references: `B` gives references such as `B-4X7Q2M9ZTB`, whose ten
    /// base-32 digits are derived from the company and the session, so that every instance of a
    /// fleet, and every retry of a request, names the booking of a session alike.
    public var bookingPrefix = "B"

    /// Creates the default policy.
    public init() {}
}

/// Who a company agent is.
public struct CompanyProfile: Hashable, Sendable, Codable {
    /// The agent id peers address.
    public var id: AgentID
    /// The company's display name.
    public var name: String
    /// The company's IANA time zone.
    public var timeZone: String
    /// Where appointments take place.
    public var location: String?

    /// Creates a company profile from its members.
    public init(id: AgentID, name: String, timeZone: String, location: String? = nil) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.location = location
    }
}
