extension Message {
    /// The company cannot, or need not, do what the customer asked: honour an acceptance (the slot
    /// was taken meanwhile), serve a request (no reservation needed, no availability), move or
    /// cancel a booking. Fresh proposals may come with it.
    public struct Decline: Hashable, Sendable, Codable {
        /// Why, as a name: `slot-taken`, `no-availability`, `no-reservation-needed`, `party-size`,
        /// `unknown-service`, `unknown-booking`, `already-cancelled`, `data-required`, `too-late`, `other`.
        public var reason: String
        /// A sentence for people ("For four, just come in; no reservation needed.").
        public var text: String?
        /// Fresh proposals instead, if any; when present they are on the table as an offer.
        public var proposals: [Proposal]

        /// Creates a decline message body from its members.
        public init(reason: String, text: String? = nil, proposals: [Proposal] = []) {
            self.reason = reason
            self.text = text
            self.proposals = proposals
        }
    }
}

extension Message.Decline: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        reason = try reader.name("reason")
        text = try reader.optionalText("text")
        proposals = try reader.list("proposals", maximum: ProtocolLimits.maximumProposals)
        guard Set(proposals.map(\.id)).count == proposals.count else {
            throw reader.invalid("proposals", "two proposals share an id")
        }
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("reason", reason)
        writer.set("text", text)
        writer.set("proposals", list: proposals)
        return writer.json
    }
}
