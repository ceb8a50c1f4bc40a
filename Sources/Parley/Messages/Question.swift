extension Message {
    /// A clarification either side asks, e.g. the company's "which service exactly?" or the
    /// customer's "how long is the wait usually?".
    ///
    /// When ``options`` is not empty the answer must be one of their values.
    public struct Question: Hashable, Sendable, Codable {
        /// Identifies the question; the answer refers to it.
        public var id: QuestionID
        /// What the question is about, as a name (`service`, `wait-time`, `party-size`), so bots can answer without reading ``text``.
        public var topic: String
        /// The question for people.
        public var text: String
        /// The possible answers, if the question is a choice.
        public var options: [Option]

        /// Creates a question message body from its members.
        public init(id: QuestionID, topic: String, text: String, options: [Option] = []) {
            self.id = id
            self.topic = topic
            self.text = text
            self.options = options
        }

        /// One possible answer to a choice question.
        public struct Option: Hashable, Sendable, Codable {
            /// The machine value the answer carries, e.g. `haircut-women`.
            public var value: String
            /// The human label, e.g. "Women's haircut (45 min)".
            public var label: String

            /// Creates an option from its members.
            public init(value: String, label: String) {
                self.value = value
                self.label = label
            }
        }
    }

    /// The answer to a ``Question``.
    public struct Answer: Hashable, Sendable, Codable {
        /// The question answered.
        public var question: QuestionID
        /// The answer: one of the question's option values when it has options, otherwise free text.
        public var value: String

        /// Creates an answer message body from its members.
        public init(question: QuestionID, value: String) {
            self.question = question
            self.value = value
        }
    }
}

extension Message.Question.Option: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        value = try reader.text("value", maximumBytes: 256)
        label = try reader.text("label", maximumBytes: 256)
    }

    var json: JSONValue { .object(["value": .string(value), "label": .string(label)]) }
}

extension Message.Question: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        id = try reader.required("id")
        topic = try reader.name("topic")
        text = try reader.text("text", maximumBytes: ProtocolLimits.maximumTextBytes)
        options = try reader.list("options", maximum: ProtocolLimits.maximumOptions)
        guard Set(options.map(\.value)).count == options.count else {
            throw reader.invalid("options", "two options share a value")
        }
    }

    var json: JSONValue {
        var writer = ObjectWriter()
        writer.set("id", id)
        writer.set("topic", topic)
        writer.set("text", text)
        writer.set("options", list: options)
        return writer.json
    }
}

extension Message.Answer: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        question = try reader.required("question")
        value = try reader.text("value", maximumBytes: ProtocolLimits.maximumTextBytes)
    }

    var json: JSONValue { .object(["question": question.json, "value": .string(value)]) }
}
