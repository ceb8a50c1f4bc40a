extension Message {
    /// What the customer wants: sent as `request`, and as `counter-request` when the customer
    /// changes its ask after an offer or a question.
    ///
    /// Proposals answering a request must start inside one of its ``windows`` (an `offer`), or
    /// are explicitly alternatives outside them (a `counter-offer`).
    public struct Request: Hashable, Sendable, Codable {
        /// The service asked for, by name (`haircut`, `haircut-women`, `table`). May be a category
        /// the company narrows down with a question.
        public var service: String
        /// Acceptable start times, most preferred first (1 to `MAX_WINDOWS`).
        public var windows: [TimeWindow]
        /// The ideal start time, if any; companies offer the free times nearest to it first.
        public var preferredStart: Instant?
        /// How long the appointment should take, in minutes, if the customer knows.
        public var durationMinutes: Int?
        /// How many people the booking is for (tables, group classes).
        public var partySize: Int?
        /// The most the customer will pay.
        public var priceCeiling: Money?
        /// Where, if the company has several places (free text).
        public var location: String?
        /// After this instant the customer no longer negotiates.
        public var concludeBy: Instant?

        /// Creates a request message body from its members.
        public init(
            service: String, windows: [TimeWindow], preferredStart: Instant? = nil, durationMinutes: Int? = nil,
            partySize: Int? = nil, priceCeiling: Money? = nil, location: String? = nil, concludeBy: Instant? = nil
        ) {
            self.service = service
            self.windows = windows
            self.preferredStart = preferredStart
            self.durationMinutes = durationMinutes
            self.partySize = partySize
            self.priceCeiling = priceCeiling
            self.location = location
            self.concludeBy = concludeBy
        }

        /// Whether `start` lies in one of the windows.
        public func admits(_ start: Instant) -> Bool { windows.contains { $0.contains(start) } }
    }
}

extension Message.Request: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        service = try reader.name("service")
        windows = try reader.list("windows", required: true, minimum: 1, maximum: ProtocolLimits.maximumWindows)
        preferredStart = try reader.optional("preferredStart")
        durationMinutes = try reader.optionalInteger("durationMinutes", in: 1...ProtocolLimits.maximumDurationMinutes).map(Int.init)
        partySize = try reader.optionalInteger("partySize", in: 1...ProtocolLimits.maximumPartySize).map(Int.init)
        priceCeiling = try reader.optional("priceCeiling")
        location = try reader.optionalText("location", maximumBytes: 256)
        concludeBy = try reader.optional("concludeBy")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("service", service)
        writer.set("windows", list: windows)
        writer.set("preferredStart", preferredStart)
        writer.set("durationMinutes", durationMinutes)
        writer.set("partySize", partySize)
        writer.set("priceCeiling", priceCeiling)
        writer.set("location", location)
        writer.set("concludeBy", concludeBy)
        return writer.json
    }
}
