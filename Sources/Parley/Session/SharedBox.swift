/// An immutable value in a shared heap box: eight bytes inline however large the value, and
/// copies share one allocation. Encodes, compares and hashes exactly as the value itself.
///
/// For large values that a long-lived struct holds only sometimes (an accepted proposal, a
/// booking being moved): inline, an optional of such a value costs its full size even when empty.
struct SharedBox<Value: Sendable>: Sendable {
    private final class Storage: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private let storage: Storage

    init(_ value: Value) { storage = Storage(value) }

    var value: Value { storage.value }
}

extension SharedBox: Equatable where Value: Equatable {
    static func == (lhs: SharedBox, rhs: SharedBox) -> Bool { lhs.storage === rhs.storage || lhs.value == rhs.value }
}

extension SharedBox: Hashable where Value: Hashable {
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension SharedBox: Codable where Value: Codable {
    init(from decoder: any Decoder) throws { self.init(try Value(from: decoder)) }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
