extension Message {
    /// The company states the booking as it now stands: booked, rescheduled or cancelled.
    ///
    /// ``agreementDigest`` binds the confirmation to the negotiation: it is the SHA-256 of the
    /// session transcript before this message (`Spec/PROTOCOL.md` §5.6); the customer recomputes
    /// it and rejects a confirmation that does not match.
    public struct Confirm: Hashable, Sendable, Codable {
        /// The company's reference for the booking; stays the same across reschedules.
        public var booking: BookingReference
        /// What happened.
        public var status: BookingStatus
        /// The proposal the booking comes from (absent for a cancellation).
        public var proposal: ProposalID?
        /// The booked service.
        public var service: String
        /// The booked time.
        public var slot: Slot
        /// The company's IANA time zone.
        public var timeZone: String
        /// The price to pay, add-ons and discounts applied.
        public var price: Money
        /// The cancellation terms that apply.
        public var cancellation: CancellationPolicy
        /// Add-ons included.
        public var addOns: [AddOnID]
        /// Where (free text).
        public var location: String?
        /// The name the booking is held under, if the customer disclosed one for it.
        public var heldFor: String?
        /// Revision of the booking: 0 when booked, raised by one at each reschedule or cancellation (the iCalendar SEQUENCE).
        public var revision: Int
        /// A cancellation fee charged, if any.
        public var fee: Money?
        /// Lowercase hex SHA-256 of the transcript before this message.
        public var agreementDigest: String
        /// The company's signature over this confirm's statement (`Spec/PROTOCOL.md` §5.7): every
        /// other member, the session and both agents. `nil` when the company signs nothing; a
        /// ``CompanyAgent`` with a signing key fills it in when it sends the confirm.
        public var signature: MessageSignature?

        /// Creates a confirm message body from its members.
        public init(
            booking: BookingReference, status: BookingStatus, proposal: ProposalID?, service: String, slot: Slot,
            timeZone: String, price: Money, cancellation: CancellationPolicy, addOns: [AddOnID] = [],
            location: String? = nil, heldFor: String? = nil, revision: Int = 0, fee: Money? = nil, agreementDigest: String,
            signature: MessageSignature? = nil
        ) {
            self.booking = booking
            self.status = status
            self.proposal = proposal
            self.service = service
            self.slot = slot
            self.timeZone = timeZone
            self.price = price
            self.cancellation = cancellation
            self.addOns = addOns
            self.location = location
            self.heldFor = heldFor
            self.revision = revision
            self.fee = fee
            self.agreementDigest = agreementDigest
            self.signature = signature
        }
    }
}

/// The state of a booking a `confirm` reports.
public enum BookingStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Newly booked.
    case booked
    /// Moved to a new time; same booking reference.
    case rescheduled
    /// Cancelled.
    case cancelled
}

extension BookingStatus: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let text = try String(json: json, path: path())
        guard let status = BookingStatus(rawValue: text) else {
            throw ParleyError(.invalidField, "\(path()): '\(text)' is not booked, rescheduled or cancelled")
        }
        self = status
    }

    var json: JSONValue { .string(rawValue) }
}

/// Whether `text` is 64 lowercase hex digits.
func isHexDigest(_ text: String) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
}

extension Message.Confirm: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        booking = try reader.required("booking")
        status = try reader.required("status")
        proposal = try reader.optional("proposal")
        service = try reader.name("service")
        slot = try reader.required("slot")
        timeZone = try reader.timeZone("timeZone")
        price = try reader.required("price")
        cancellation = try reader.required("cancellation")
        addOns = try reader.list("addOns", maximum: ProtocolLimits.maximumAddOns)
        location = try reader.optionalText("location", maximumBytes: 256)
        heldFor = try reader.optionalText("heldFor", maximumBytes: ProtocolLimits.maximumValueBytes)
        revision = Int(try reader.integer("revision", in: 0...1_000_000))
        fee = try reader.optional("fee")
        agreementDigest = try reader.required("agreementDigest")
        guard isHexDigest(agreementDigest) else {
            throw reader.invalid("agreementDigest", "expected 64 lowercase hex digits")
        }
        signature = try reader.optional("signature")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("booking", booking)
        writer.set("status", status)
        writer.set("proposal", proposal)
        writer.set("service", service)
        writer.set("slot", slot)
        writer.set("timeZone", timeZone)
        writer.set("price", price)
        writer.set("cancellation", cancellation)
        writer.set("addOns", list: addOns)
        writer.set("location", location)
        writer.set("heldFor", heldFor)
        writer.set("revision", revision)
        writer.set("fee", fee)
        writer.set("agreementDigest", agreementDigest)
        writer.set("signature", signature)
        return writer.json
    }
}
