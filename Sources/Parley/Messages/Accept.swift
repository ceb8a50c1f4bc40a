extension Message {
    /// The customer takes one proposal of the offer on the table, optionally with add-ons.
    ///
    /// Consent grants and disclosures for the proposal's declared requirements may ride along,
    /// saving a round trip; otherwise the company asks with `consent-request` when it needs data.
    public struct Accept: Hashable, Sendable, Codable {
        /// The proposal taken.
        public var proposal: ProposalID
        /// Add-ons of that proposal taken with it.
        public var addOns: [AddOnID]
        /// Consent granted with the acceptance.
        public var grants: [ConsentGrant]
        /// Data disclosed under those grants.
        public var disclosures: [Disclose]

        /// Creates an accept message body from its members.
        public init(proposal: ProposalID, addOns: [AddOnID] = [], grants: [ConsentGrant] = [], disclosures: [Disclose] = []) {
            self.proposal = proposal
            self.addOns = addOns
            self.grants = grants
            self.disclosures = disclosures
        }
    }

    /// The customer turns proposals down, all of them unless ``proposals`` names some.
    public struct Reject: Hashable, Sendable, Codable {
        /// The proposals rejected; empty means every proposal on the table.
        public var proposals: [ProposalID]
        /// Why, as a name: `no-suitable-proposal`, `price-too-high`, `outside-window`, `chose-another-company`, `other`.
        public var reason: String
        /// A sentence for people.
        public var text: String?

        /// Creates a reject message body from its members.
        public init(proposals: [ProposalID] = [], reason: String, text: String? = nil) {
            self.proposals = proposals
            self.reason = reason
            self.text = text
        }
    }
}

extension Message.Accept: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        proposal = try reader.required("proposal")
        addOns = try reader.list("addOns", maximum: ProtocolLimits.maximumAddOns)
        grants = try reader.list("grants", maximum: ProtocolLimits.maximumRequirements)
        disclosures = try reader.list("disclosures", maximum: ProtocolLimits.maximumRequirements)
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("proposal", proposal)
        writer.set("addOns", list: addOns)
        writer.set("grants", list: grants)
        writer.set("disclosures", list: disclosures)
        return writer.json
    }
}

extension Message.Reject: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        proposals = try reader.list("proposals", maximum: ProtocolLimits.maximumProposals)
        reason = try reader.name("reason")
        text = try reader.optionalText("text")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("proposals", list: proposals)
        writer.set("reason", reason)
        writer.set("text", text)
        return writer.json
    }
}
