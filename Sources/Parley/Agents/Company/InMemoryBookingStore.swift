/// Something a booking occupies: a chair, a room, a table, a person.
public struct Resource: Hashable, Sendable, Identifiable {
    /// The resource's id, unique in its store (`chair-1`, `table-4`).
    public var id: String
    /// A name for people.
    public var name: String
    /// The service ids it can provide; empty means every service.
    public var services: Set<String>
    /// Its own opening hours, when they differ from the store's (a stylist who works mornings).
    public var hours: OpeningHours?

    /// Creates a resource that provides `services` (every service when empty), open during the
    /// store's hours unless `hours` says otherwise.
    public init(id: String, name: String? = nil, services: Set<String> = [], hours: OpeningHours? = nil) {
        self.id = id
        self.name = name ?? id
        self.services = services
        self.hours = hours
    }

    /// Whether it can provide `service`.
    public func provides(_ service: String) -> Bool { services.isEmpty || services.contains(service) }
}

/// An in-memory ``BookingStore``: weekly opening hours with closed dates, and any number of
/// resources, each booked at most once at a time.
///
/// ```swift
/// var hours = OpeningHours(timeZone: "Europe/Berlin")
/// hours.open(Weekday.workdays, from: "09:00", to: "18:00")
/// hours.open([.saturday], from: "09:00", to: "14:00")
/// hours.close(on: ["2026-05-01", "2026-12-25", "2026-12-26"])
/// let store = InMemoryBookingStore(
///     hours: hours,
///     resources: [
///         Resource(id: "chair-1"), Resource(id: "chair-2"),
///         Resource(id: "colour-station", services: ["colour"]),
///     ])
/// ```
///
/// A request for a service is served by any resource that provides it and is free: two
/// customers can book 10:00 at the same time when there are two chairs, a third cannot.
/// Atomic by construction: an actor, and no method suspends between its check and its change.
public actor InMemoryBookingStore: BookingStore {
    /// When the store is open: fixed windows (the older form) or weekly hours.
    private enum Calendar: Sendable {
        case windows([TimeWindow])
        case weekly(OpeningHours)

        func contains(_ slot: Slot) -> Bool {
            switch self {
            case .windows(let windows): return windows.contains { $0.start <= slot.start && slot.end <= $0.end }
            case .weekly(let hours): return hours.contains(slot)
            }
        }
    }

    private let calendar: Calendar
    /// The resources, in the order they are tried.
    public nonisolated let resources: [Resource]
    private var bookings: [BookingReference: BookingRecord] = [:]
    private var holds: [SessionID: (slot: Slot, resource: String, until: Instant)] = [:]

    /// A store with one resource, open during `openingHours` (each window: opening to closing
    /// time as instants), with `bookings` already taken.
    public init(openingHours: [TimeWindow], bookings: [BookingRecord] = []) {
        self.calendar = .windows(openingHours)
        self.resources = [Resource(id: "default")]
        self.bookings = Self.placed(bookings, on: resources)
    }

    /// A store open during `hours`, with `resources` (one general resource if none are given)
    /// and `bookings` already taken. A booking without a ``BookingRecord/resource`` is placed on
    /// the first resource that provides its service.
    public init(hours: OpeningHours, resources: [Resource] = [], bookings: [BookingRecord] = []) {
        self.calendar = .weekly(hours)
        self.resources = resources.isEmpty ? [Resource(id: "default")] : resources
        self.bookings = Self.placed(bookings, on: self.resources)
    }

    private static func placed(_ bookings: [BookingRecord], on resources: [Resource]) -> [BookingReference: BookingRecord] {
        var result: [BookingReference: BookingRecord] = [:]
        for var booking in bookings {
            if booking.resource == nil { booking.resource = (resources.first { $0.provides(booking.service) } ?? resources[0]).id }
            result[booking.id] = booking
        }
        return result
    }

    public func isFree(_ slot: Slot, ignoring session: SessionID?, now: Instant) -> Bool {
        firstFree(slot, service: nil, ignoringSession: session, ignoringBooking: nil, now: now) != nil
    }

    public func isFree(_ slot: Slot, service: String, ignoring session: SessionID?, now: Instant) -> Bool {
        firstFree(slot, service: service, ignoringSession: session, ignoringBooking: nil, now: now) != nil
    }

    /// The resources able to provide `service` that are open and free for `slot` now.
    public func freeResources(for slot: Slot, service: String, now: Instant) -> [Resource] {
        resources.filter { isFree(slot, on: $0, service: service, ignoringSession: nil, ignoringBooking: nil, now: now) }
    }

    public func hold(_ slot: Slot, for session: SessionID, until: Instant, now: Instant) -> Bool {
        reserve(slot, service: nil, for: session, until: until, now: now)
    }

    public func hold(_ slot: Slot, service: String, for session: SessionID, until: Instant, now: Instant) -> Bool {
        reserve(slot, service: service, for: session, until: until, now: now)
    }

    private func reserve(_ slot: Slot, service: String?, for session: SessionID, until: Instant, now: Instant) -> Bool {
        guard let resource = firstFree(slot, service: service, ignoringSession: session, ignoringBooking: nil, now: now) else {
            return false
        }
        holds[session] = (slot, resource.id, until)
        return true
    }

    public func commit(_ booking: BookingRecord, now: Instant) -> Bool {
        if let existing = bookings[booking.id] {
            // A repeated commit of the same booking succeeds and changes nothing; another booking
            // under an existing reference is refused.
            var same = booking
            same.resource = booking.resource ?? existing.resource
            return same == existing
        }
        var booking = booking
        if let held = holds[booking.session], held.slot == booking.slot, held.until > now {
            booking.resource = held.resource
        } else if let resource = firstFree(
            booking.slot, service: booking.service, ignoringSession: booking.session, ignoringBooking: nil, now: now)
        {
            booking.resource = resource.id
        } else {
            return false
        }
        holds[booking.session] = nil
        bookings[booking.id] = booking
        return true
    }

    public func release(session: SessionID) {
        holds[session] = nil
    }

    public func booking(_ reference: BookingReference) -> BookingRecord? {
        bookings[reference]
    }

    public func update(_ booking: BookingRecord, now: Instant) -> Bool {
        guard let current = bookings[booking.id] else { return false }
        var booking = booking
        if !booking.isCancelled && current.slot != booking.slot {
            // Stay on the same resource when it is free at the new time, else take another suitable one.
            let same = resources.first { $0.id == current.resource }.flatMap { resource in
                isFree(
                    booking.slot, on: resource, service: booking.service, ignoringSession: booking.session, ignoringBooking: booking.id,
                    now: now)
                    ? resource : nil
            }
            guard
                let resource = same
                    ?? firstFree(
                        booking.slot, service: booking.service, ignoringSession: booking.session, ignoringBooking: booking.id, now: now)
            else { return false }
            booking.resource = resource.id
            holds[booking.session] = nil
        } else {
            booking.resource = current.resource
        }
        bookings[booking.id] = booking
        return true
    }

    public func activeBookings() -> [BookingRecord] {
        bookings.values.filter { !$0.isCancelled }.sorted { ($0.slot.start, $0.id) < ($1.slot.start, $1.id) }
    }

    private func firstFree(
        _ slot: Slot, service: String?, ignoringSession session: SessionID?, ignoringBooking booking: BookingReference?, now: Instant
    ) -> Resource? {
        resources.first { isFree(slot, on: $0, service: service, ignoringSession: session, ignoringBooking: booking, now: now) }
    }

    private func isFree(
        _ slot: Slot, on resource: Resource, service: String?, ignoringSession session: SessionID?,
        ignoringBooking booking: BookingReference?,
        now: Instant
    ) -> Bool {
        if let service, !resource.provides(service) { return false }
        let open = resource.hours.map { $0.contains(slot) } ?? calendar.contains(slot)
        guard open else { return false }
        for record in bookings.values
        where !record.isCancelled && record.id != booking && record.resource == resource.id && record.slot.overlaps(slot) {
            return false
        }
        for (holder, hold) in holds where holder != session && hold.resource == resource.id && hold.until > now && hold.slot.overlaps(slot)
        {
            return false
        }
        return true
    }
}
