extension Message {
    /// One or more proposals from the company: sent as `offer` when every proposal starts inside
    /// a window of the request it answers, and as `counter-offer` for alternatives outside them
    /// ("12:00 is taken; 13:15 is free").
    public struct Offer: Hashable, Sendable, Codable {
        /// The proposals, best first (1 to `MAX_PROPOSALS`).
        public var proposals: [Proposal]

        /// Creates an offer message body from its members.
        public init(proposals: [Proposal]) {
            self.proposals = proposals
        }

        /// The proposal with `id`, if the offer has it.
        public func proposal(_ id: ProposalID) -> Proposal? { proposals.first { $0.id == id } }
    }
}

/// One concrete thing the company will do: a service at a time, at a price, on terms.
public struct Proposal: Hashable, Sendable, Codable, Identifiable {
    /// Unique within the session; an `accept` names it.
    public var id: ProposalID
    /// The exact service (`haircut-women`).
    public var service: String
    /// When the appointment takes place.
    public var slot: Slot
    /// The company's IANA time zone, for showing ``slot`` in local time (`Europe/Berlin`).
    public var timeZone: String
    /// The price of the service without add-ons.
    public var price: Money
    /// Cancellation terms.
    public var cancellation: CancellationPolicy
    /// Data the company needs to book this proposal.
    public var requires: [DataRequirement]
    /// Optional extras; some trade value for data (promotional).
    public var addOns: [AddOn]
    /// After this instant the company no longer honours an acceptance.
    public var expiresAt: Instant
    /// Where the appointment takes place (free text).
    public var location: String?

    /// Creates a proposal from its members.
    public init(
        id: ProposalID, service: String, slot: Slot, timeZone: String, price: Money,
        cancellation: CancellationPolicy = CancellationPolicy(freeUntilMinutesBefore: 0, fee: nil),
        requires: [DataRequirement] = [], addOns: [AddOn] = [], expiresAt: Instant, location: String? = nil
    ) {
        self.id = id
        self.service = service
        self.slot = slot
        self.timeZone = timeZone
        self.price = price
        self.cancellation = cancellation
        self.requires = requires
        self.addOns = addOns
        self.expiresAt = expiresAt
        self.location = location
    }

    /// The add-on with `id`, if the proposal has it.
    public func addOn(_ id: AddOnID) -> AddOn? { addOns.first { $0.id == id } }

    /// The price to pay when the proposal is accepted with `addOns` (`Spec/PROTOCOL.md` §5.2): the
    /// proposal's price plus the accepted add-ons' prices, less the sum of their discounts in
    /// percent (at most 100) of that total, rounded toward zero. A `confirm` states exactly this.
    public func price(withAddOns addOns: [AddOnID]) -> Money {
        Self.price(of: self, addOns: addOns)
    }

    static func price(of proposal: Proposal, addOns: [AddOnID]) -> Money {
        var amount = proposal.price.amount
        var discount = 0
        for id in Set(addOns) {
            guard let addOn = proposal.addOn(id) else { continue }
            if let price = addOn.price { amount += price.amount }
            discount += addOn.discountPercent ?? 0
        }
        amount -= amount * Int64(min(discount, 100)) / 100
        return Money(amount: amount, currency: proposal.price.currency)
    }
}

/// How a booking can be cancelled: free until a number of minutes before the start, then for a fee.
public struct CancellationPolicy: Hashable, Sendable, Codable {
    /// Cancelling at least this many minutes before the start is free.
    public var freeUntilMinutesBefore: Int
    /// The fee for a later cancellation; `nil` means later cancellation is free too.
    public var fee: Money?

    /// Creates a cancellation policy from its members.
    public init(freeUntilMinutesBefore: Int, fee: Money?) {
        self.freeUntilMinutesBefore = freeUntilMinutesBefore
        self.fee = fee
    }

    /// The fee due when cancelling at `now` an appointment starting at `start`.
    public func fee(cancellingAt now: Instant, start: Instant) -> Money? {
        now.seconds(to: start) >= Int64(freeUntilMinutesBefore) * 60 ? nil : fee
    }
}

/// An optional extra of a proposal. A promotional add-on trades value (a discount, a gift) for data
/// the customer may or may not grant; the customer's policy decides, never the company.
public struct AddOn: Hashable, Sendable, Codable, Identifiable {
    /// Unique within its proposal.
    public var id: AddOnID
    /// What the add-on is, for people ("10 % off if you allow marketing e-mail").
    public var text: String
    /// Extra price, if the add-on costs something.
    public var price: Money?
    /// Discount on the proposal's price in percent (0–100), if the add-on gives one.
    public var discountPercent: Int?
    /// Data the add-on needs (e.g. `email` for `marketing`).
    public var requires: [DataRequirement]
    /// Whether the add-on is advertising: it exists to obtain data or consent for promotion.
    public var promotional: Bool

    /// Creates an add-on from its members.
    public init(
        id: AddOnID, text: String, price: Money? = nil, discountPercent: Int? = nil, requires: [DataRequirement] = [],
        promotional: Bool
    ) {
        self.id = id
        self.text = text
        self.price = price
        self.discountPercent = discountPercent
        self.requires = requires
        self.promotional = promotional
    }
}

extension CancellationPolicy: WireObject {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        freeUntilMinutesBefore = Int(try reader.integer("freeUntilMinutesBefore", in: 0...525_600))
        fee = try reader.optional("fee")
    }

    func writeMembers<W: MemberWriter>(to writer: inout W) {
        writer.set("freeUntilMinutesBefore", freeUntilMinutesBefore)
        writer.set("fee", fee)
    }
}

extension AddOn: WireObject {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        id = try reader.required("id")
        text = try reader.text("text", maximumBytes: ProtocolLimits.maximumTextBytes)
        price = try reader.optional("price")
        discountPercent = try reader.optionalInteger("discountPercent", in: 0...100).map(Int.init)
        requires = try reader.list("requires", maximum: ProtocolLimits.maximumRequirements)
        promotional = try reader.required("promotional")
    }

    func writeMembers<W: MemberWriter>(to writer: inout W) {
        writer.set("id", id)
        writer.set("text", text)
        writer.set("price", price)
        writer.set("discountPercent", discountPercent)
        writer.set("requires", list: requires)
        writer.set("promotional", promotional)
    }
}

extension Proposal: WireObject {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        id = try reader.required("id")
        service = try reader.name("service")
        slot = try reader.required("slot")
        timeZone = try reader.timeZone("timeZone")
        price = try reader.required("price")
        cancellation = try reader.required("cancellation")
        requires = try reader.list("requires", maximum: ProtocolLimits.maximumRequirements)
        addOns = try reader.list("addOns", maximum: ProtocolLimits.maximumAddOns)
        guard Set(addOns.map(\.id)).count == addOns.count else { throw reader.invalid("addOns", "two add-ons share an id") }
        for addOn in addOns {
            guard let extra = addOn.price, extra.currency != price.currency else { continue }
            throw reader.invalid("addOns", "add-on '\(addOn.id)' is priced in \(extra.currency), the proposal in \(price.currency)")
        }
        expiresAt = try reader.required("expiresAt")
        location = try reader.optionalText("location", maximumBytes: 256)
    }

    func writeMembers<W: MemberWriter>(to writer: inout W) {
        writer.set("id", id)
        writer.set("service", service)
        writer.set("slot", slot)
        writer.set("timeZone", timeZone)
        writer.set("price", price)
        writer.set("cancellation", cancellation)
        writer.set("requires", list: requires)
        writer.set("addOns", list: addOns)
        writer.set("expiresAt", expiresAt)
        writer.set("location", location)
    }
}

extension Message.Offer: WireObject {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        proposals = try reader.list("proposals", required: true, minimum: 1, maximum: ProtocolLimits.maximumProposals)
        guard Set(proposals.map(\.id)).count == proposals.count else {
            throw reader.invalid("proposals", "two proposals share an id")
        }
    }

    func writeMembers<W: MemberWriter>(to writer: inout W) {
        writer.set("proposals", proposals)
    }
}
