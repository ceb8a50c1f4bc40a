extension Money: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        let amount = try reader.integer("amount", in: -JSONValue.maximumSafeInteger...JSONValue.maximumSafeInteger)
        let currency: String = try reader.required("currency")
        guard Money.isValidCurrency(currency) else {
            throw reader.invalid("currency", "'\(currency)' is not an ISO 4217 code (three uppercase letters)")
        }
        self.init(amount: amount, currency: currency)
    }

    var json: JSONValue { .object(["amount": amount.json, "currency": .string(currency)]) }
}

extension TimeWindow: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        let start: Instant = try reader.required("start")
        let end: Instant = try reader.required("end")
        guard start <= end else { throw reader.invalid("end", "a window must not end before it starts") }
        self.init(start: start, end: end)
    }

    var json: JSONValue { .object(["start": start.json, "end": end.json]) }
}

extension Slot: WireCodable {
    init(json: JSONValue, path: @autoclosure () -> String) throws(ParleyError) {
        let reader = try ObjectReader(json, path: path())
        let start: Instant = try reader.required("start")
        let end: Instant = try reader.required("end")
        guard start < end else { throw reader.invalid("end", "a slot must end after it starts") }
        self.init(start: start, end: end)
    }

    var json: JSONValue { .object(["start": start.json, "end": end.json]) }
}
