extension Message {
    /// The customer cancels a booking (of this session or an earlier one). The company answers
    /// with a `confirm` whose status is `cancelled`, or a `decline`.
    public struct Cancel: Hashable, Sendable, Codable {
        /// The booking to cancel.
        public var booking: BookingReference
        /// A sentence for people.
        public var text: String?

        /// Creates a cancel message body from its members.
        public init(booking: BookingReference, text: String? = nil) {
            self.booking = booking
            self.text = text
        }
    }

    /// The customer asks to move a booking into one of new windows. The company answers with
    /// an `offer` (accepting it yields a `confirm` with status `rescheduled`) or a `decline`.
    public struct Reschedule: Hashable, Sendable, Codable {
        /// The booking to move.
        public var booking: BookingReference
        /// Acceptable new start times, most preferred first.
        public var windows: [TimeWindow]
        /// The ideal new start time.
        public var preferredStart: Instant?

        /// Creates a reschedule message body from its members.
        public init(booking: BookingReference, windows: [TimeWindow], preferredStart: Instant? = nil) {
            self.booking = booking
            self.windows = windows
            self.preferredStart = preferredStart
        }

        /// Whether `start` lies in one of the windows.
        public func admits(_ start: Instant) -> Bool { windows.contains { $0.contains(start) } }
    }
}

extension Message.Cancel: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        booking = try reader.required("booking")
        text = try reader.optionalText("text")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("booking", booking)
        writer.set("text", text)
        return writer.json
    }
}

extension Message.Reschedule: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        booking = try reader.required("booking")
        windows = try reader.list("windows", required: true, minimum: 1, maximum: ProtocolLimits.maximumWindows)
        preferredStart = try reader.optional("preferredStart")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("booking", booking)
        writer.set("windows", list: windows)
        writer.set("preferredStart", preferredStart)
        return writer.json
    }
}
