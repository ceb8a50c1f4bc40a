extension Money: WireObject {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        let amount = try reader.integer("amount", in: -JSONValue.maximumSafeInteger...JSONValue.maximumSafeInteger)
        let currency: String = try reader.required("currency")
        guard Money.isValidCurrency(currency) else {
            throw reader.invalid("currency", "'\(currency)' is not an ISO 4217 code (three uppercase letters)")
        }
        self.init(amount: amount, currency: currency)
    }

    func writeMembers<W: MemberWriter>(to writer: inout W) {
        writer.set("amount", amount)
        writer.set("currency", currency)
    }
}

extension TimeWindow: WireObject {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        let start: Instant = try reader.required("start")
        let end: Instant = try reader.required("end")
        guard start <= end else { throw reader.invalid("end", "a window must not end before it starts") }
        self.init(start: start, end: end)
    }

    func writeMembers<W: MemberWriter>(to writer: inout W) {
        writer.set("start", start)
        writer.set("end", end)
    }
}

extension Slot: WireObject {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        let start: Instant = try reader.required("start")
        let end: Instant = try reader.required("end")
        guard start < end else { throw reader.invalid("end", "a slot must end after it starts") }
        self.init(start: start, end: end)
    }

    func writeMembers<W: MemberWriter>(to writer: inout W) {
        writer.set("start", start)
        writer.set("end", end)
    }
}
