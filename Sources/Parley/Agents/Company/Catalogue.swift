/// One service a company offers.
public struct Service: Hashable, Sendable, Codable, Identifiable {
    /// The exact service name on the wire, e.g. `haircut-women`.
    public var id: String
    /// The category it belongs to, e.g. `haircut`; a request may name the category.
    public var category: String
    /// A label for people, e.g. "Women's haircut".
    public var title: String
    /// How long it takes.
    public var durationMinutes: Int
    /// What it costs.
    public var price: Money
    /// The personal data a booking of it needs, and why.
    public var requires: [DataRequirement]
    /// Whether a person must decide (a consultation): requests for it are handed off.
    public var needsConsultation: Bool
    /// Optional extras offered with it (promotional ones trade value for data).
    public var addOns: [AddOn]

    /// Creates a service from its members.
    public init(
        id: String, category: String, title: String, durationMinutes: Int, price: Money, requires: [DataRequirement] = [],
        needsConsultation: Bool = false, addOns: [AddOn] = []
    ) {
        self.id = id
        self.category = category
        self.title = title
        self.durationMinutes = durationMinutes
        self.price = price
        self.requires = requires
        self.needsConsultation = needsConsultation
        self.addOns = addOns
    }
}

/// What a company offers.
public struct Catalogue: Hashable, Sendable, Codable {
    /// The services, in the order the company prefers to present them.
    public var services: [Service]

    /// Creates a catalogue of `services`.
    public init(services: [Service]) {
        self.services = services
    }

    /// The services a request for `name` may mean: the service itself, or every service of the category `name`.
    public func candidates(for name: String) -> [Service] {
        if let exact = services.first(where: { $0.id == name }) { return [exact] }
        return services.filter { $0.category == name }
    }

    /// The service named `id`.
    public func service(_ id: String) -> Service? { services.first { $0.id == id } }

    /// Every service and category name, for `hello`.
    public var names: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for service in services {
            for name in [service.category, service.id] where seen.insert(name).inserted { names.append(name) }
        }
        return names
    }
}
