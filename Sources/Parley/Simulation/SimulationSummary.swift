/// What a deterministic simulation run found. Its ``description`` is byte-identical for the same
/// configuration and seed.
public struct SimulationSummary: Hashable, Sendable, CustomStringConvertible {
    /// The configuration that was run.
    public var configuration: SimulationConfiguration
    /// Sessions that ended with a confirmed booking.
    public var agreements = 0
    /// Sessions that ended cleanly without a booking, by reason.
    public var cleanEndings: [String: Int] = [:]
    /// Two active bookings overlapping in the store.
    public var doubleBookings = 0
    /// Fields a company admitted without a grant covering them.
    public var disclosuresOutsideGrant = 0
    /// Sessions that never reached an outcome.
    public var hungSessions = 0
    /// Bookings the customer believes in that the store does not hold (or holds differently).
    public var disagreements = 0
    /// Envelopes sent, and what the network did to them.
    public var envelopesSent = 0
    /// Envelopes the network dropped.
    public var dropped = 0
    /// Envelopes the network delivered twice.
    public var duplicated = 0
    /// Envelopes the network delivered out of order.
    public var reordered = 0
    /// Envelopes the network corrupted.
    public var corrupted = 0
    /// Virtual seconds the run took.
    public var virtualSeconds: Int64 = 0

    /// The sum of all violations; must be 0.
    public var violations: Int { doubleBookings + disclosuresOutsideGrant + hungSessions + disagreements }

    public var description: String {
        var lines = [
            "simulation: \(configuration.sessions) sessions, seed \(configuration.seed), drop \(configuration.drop), "
                + "duplicate \(configuration.duplicate), reorder \(configuration.reorder), corrupt \(configuration.corrupt)",
            "network: \(envelopesSent) envelopes sent, \(dropped) dropped, \(duplicated) duplicated, \(reordered) reordered, "
                + "\(corrupted) corrupted; \(virtualSeconds) virtual seconds",
            "agreements: \(agreements)",
            "clean endings without agreement: \(cleanEndings.values.reduce(0, +))",
        ]
        for (reason, count) in cleanEndings.sorted(by: { $0.key < $1.key }) { lines.append("  \(reason): \(count)") }
        lines.append("violations: \(violations)")
        lines.append("  double bookings: \(doubleBookings)")
        lines.append("  disclosures outside a grant: \(disclosuresOutsideGrant)")
        lines.append("  hung sessions: \(hungSessions)")
        lines.append("  booking disagreements: \(disagreements)")
        return lines.joined(separator: "\n")
    }
}

/// What to simulate.
public struct SimulationConfiguration: Hashable, Sendable {
    /// How many customer sessions.
    public var sessions: Int
    /// The seed every random choice derives from.
    public var seed: UInt64
    /// Fault probabilities per envelope.
    public var drop: Double
    /// The probability that an envelope is delivered twice.
    public var duplicate: Double
    /// The probability that an envelope is delayed behind later ones.
    public var reorder: Double
    /// The probability that an envelope is corrupted on the way.
    public var corrupt: Double
    /// How many sessions run at the same time.
    public var concurrency: Int

    /// Creates a configuration; the fault probabilities must add up to at most 1.
    public init(
        sessions: Int, seed: UInt64, drop: Double = 0, duplicate: Double = 0, reorder: Double = 0, corrupt: Double = 0,
        concurrency: Int = 64
    ) {
        self.sessions = sessions
        self.seed = seed
        self.drop = drop
        self.duplicate = duplicate
        self.reorder = reorder
        self.corrupt = corrupt
        self.concurrency = concurrency
    }
}
