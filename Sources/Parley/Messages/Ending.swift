extension Message {
    /// The company hands the session to a person: a decision needs human judgement (a colour
    /// treatment that needs a consultation), or the customer asked for one.
    public struct Handoff: Hashable, Sendable, Codable {
        /// Why, as a name: `needs-consultation`, `customer-request`, `policy`, `other`.
        public var reason: String
        /// How the person will be contacted, as a name: `phone`, `email`, `in-person`, `chat`, `callback`.
        public var channel: String
        /// Details for people ("A stylist calls you back within a day at the number you gave.").
        public var text: String?
        /// What the human taking over has been told: the context so far, in words.
        public var summary: String

        /// Creates a handoff message body from its members.
        public init(reason: String, channel: String, text: String? = nil, summary: String) {
            self.reason = reason
            self.channel = channel
            self.text = text
            self.summary = summary
        }
    }

    /// A rejected message, or a failure, reported to the peer.
    public struct ErrorReport: Hashable, Sendable, Codable {
        /// The error code's wire value (`Spec/PROTOCOL.md` §8). Codes a receiver does not know are kept as text.
        public var code: String
        /// A sentence for people.
        public var text: String
        /// The message that was rejected, if any.
        public var offending: MessageID?
        /// Whether sending the same message again later may succeed.
        public var retryable: Bool

        /// Creates a report. A `text` longer than `MAX_TEXT_BYTES` (it may quote the offending
        /// input) is cut to that many UTF-8 bytes between characters, so the peer can decode the report.
        public init(code: String, text: String, offending: MessageID? = nil, retryable: Bool) {
            self.code = code
            self.text = text.prefix(utf8Bytes: ProtocolLimits.maximumTextBytes)
            self.offending = offending
            self.retryable = retryable
        }

        /// The report of `error`.
        public init(_ error: ParleyError) {
            self.init(code: error.code.wireValue, text: error.message, offending: error.offendingMessage, retryable: error.isRetryable)
        }

        /// The code as a ``ParleyError/Code``, if this version knows it.
        public var knownCode: ParleyError.Code? { ParleyError.Code(wireValue: code) }
    }

    /// The sender ends the session; nothing more is processed in it.
    public struct Close: Hashable, Sendable, Codable {
        /// How the session ended, as a name: `booked`, `no-reservation-needed`, `handed-off`,
        /// `no-agreement`, `cancelled`, `rescheduled`, `failed`, `timeout`, `done`.
        public var outcome: String
        /// A sentence for people.
        public var text: String?

        /// Creates a close message body from its members.
        public init(outcome: String, text: String? = nil) {
            self.outcome = outcome
            self.text = text
        }
    }
}

extension Message.Handoff: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        reason = try reader.name("reason")
        channel = try reader.name("channel")
        text = try reader.optionalText("text")
        summary = try reader.text("summary", maximumBytes: ProtocolLimits.maximumTextBytes)
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("reason", reason)
        writer.set("channel", channel)
        writer.set("text", text)
        writer.set("summary", summary)
        return writer.json
    }
}

extension Message.ErrorReport: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        code = try reader.name("code")
        text = try reader.text("text", maximumBytes: ProtocolLimits.maximumTextBytes)
        offending = try reader.optional("offending")
        retryable = try reader.required("retryable")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("code", code)
        writer.set("text", text)
        writer.set("offending", offending)
        writer.set("retryable", retryable)
        return writer.json
    }
}

extension Message.Close: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        outcome = try reader.name("outcome")
        text = try reader.optionalText("text")
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("outcome", outcome)
        writer.set("text", text)
        return writer.json
    }
}
