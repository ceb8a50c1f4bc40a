#if canImport(FoundationEssentials)
    import FoundationEssentials
    #if canImport(FoundationInternationalization)
        import FoundationInternationalization
    #endif
#else
    import Foundation
#endif

/// A VTIMEZONE (RFC 5545 §3.6.5) for one IANA zone, derived from the platform's time zone data.
///
/// Instead of recurrence rules it lists each observance explicitly: the one in effect at the
/// event's start, then every offset change until the end of the year the event ends in. That is
/// exact for the event whatever the zone's rules were in that year; calendar programs only need
/// the observances around the event.
struct TimeZoneDefinition: Hashable, Sendable {
    /// One STANDARD or DAYLIGHT sub-component.
    struct Observance: Hashable, Sendable {
        /// DAYLIGHT when true, STANDARD otherwise.
        var isDaylight: Bool
        /// When it takes effect, in local time before the change (the component's DTSTART).
        var onset: LocalDateTime
        /// The offset before the change, in seconds.
        var offsetFrom: Int
        /// The offset from the change on, in seconds.
        var offsetTo: Int
        /// The platform's abbreviation (`CEST`, or `GMT+2` where it has none), if any.
        var name: String?
    }

    /// The IANA name, the VTIMEZONE's TZID.
    let identifier: String
    /// The observances in time order; never empty.
    let observances: [Observance]

    /// At most this many offset changes are listed (a year has two in most zones).
    private static let maximumTransitions = 16

    /// The definition of `identifier` covering `start` to `end`, or `nil` if the platform does not know the zone.
    init?(identifier: String, from start: Instant, to end: Instant) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        func offset(_ instant: Instant) -> Int { zone.secondsFromGMT(for: instant.foundationDate) }

        // Up to the first instant of the year after the one the event ends in, local time.
        let endYear = LocalDateTime(secondsSinceEpoch: end.secondsSinceEpoch, offset: offset(end)).year
        let nextYear = Int64(Instant.daysFromCivil(year: endYear + 1, month: 1, day: 1)) * 86_400 - Int64(offset(end))

        // Every change from a year before the start (to find the observance in effect at the start).
        var changes: [Instant] = []
        var cursor = start.adding(seconds: -366 * 86_400)
        while changes.count < Self.maximumTransitions,
            let next = zone.nextDaylightSavingTimeTransition(after: cursor.foundationDate).map(Instant.init(foundationDate:)),
            next > cursor, next.secondsSinceEpoch < nextYear
        {
            changes.append(next)
            cursor = next
        }
        let later = changes.filter { $0 > start }
        var observances: [Observance] = []
        if let inEffect = changes.lastIndex(where: { $0 <= start }) {
            // The observance before the one in effect too: a local time just after a change back
            // (the second 02:15) lies before the new observance's onset in local time, and a reader
            // needs the earlier rule to place it.
            if inEffect > 0, changes[inEffect].seconds(to: start) < 86_400 {
                observances.append(Self.observance(changingAt: changes[inEffect - 1], in: zone))
            }
            observances.append(Self.observance(changingAt: changes[inEffect], in: zone))
        } else {
            // No change within a year before the start: one observance since 1970 at the start's offset.
            let atStart = offset(start)
            observances.append(
                Observance(
                    isDaylight: zone.isDaylightSavingTime(for: start.foundationDate),
                    onset: LocalDateTime(secondsSinceEpoch: 0, offset: 0), offsetFrom: atStart, offsetTo: atStart,
                    name: zone.abbreviation(for: start.foundationDate)))
        }
        observances += later.map { Self.observance(changingAt: $0, in: zone) }
        self.identifier = identifier
        self.observances = observances
    }

    private static func observance(changingAt change: Instant, in zone: TimeZone) -> Observance {
        let before = zone.secondsFromGMT(for: change.adding(seconds: -1).foundationDate)
        return Observance(
            isDaylight: zone.isDaylightSavingTime(for: change.foundationDate),
            onset: LocalDateTime(secondsSinceEpoch: change.secondsSinceEpoch, offset: before), offsetFrom: before,
            offsetTo: zone.secondsFromGMT(for: change.foundationDate), name: zone.abbreviation(for: change.foundationDate))
    }

    /// Writes the VTIMEZONE component.
    func write(to lines: inout ContentLines) {
        lines.append("BEGIN", "VTIMEZONE")
        lines.append("TZID", text: identifier)
        for observance in observances {
            let kind = observance.isDaylight ? "DAYLIGHT" : "STANDARD"
            lines.append("BEGIN", kind)
            lines.append("DTSTART", observance.onset.iCalendarText)
            lines.append("TZOFFSETFROM", ContentLines.utcOffset(observance.offsetFrom))
            lines.append("TZOFFSETTO", ContentLines.utcOffset(observance.offsetTo))
            if let name = observance.name { lines.append("TZNAME", text: name) }
            lines.append("END", kind)
        }
        lines.append("END", "VTIMEZONE")
    }
}
