/// A booking as the company's store keeps it.
public struct BookingRecord: Hashable, Sendable, Codable, Identifiable {
    /// The booking reference.
    public var id: BookingReference
    /// The customer agent that booked.
    public var customer: AgentID
    /// The session it was booked (or last changed) in.
    public var session: SessionID
    /// The service.
    public var service: String
    /// The booked time.
    public var slot: Slot
    /// The price to pay.
    public var price: Money
    /// The name it is held under, if disclosed.
    public var heldFor: String?
    /// 0 when booked, +1 per change (the iCalendar SEQUENCE).
    public var revision: Int
    /// Whether it is cancelled.
    public var isCancelled: Bool

    /// Creates a booking record from its members.
    public init(
        id: BookingReference, customer: AgentID, session: SessionID, service: String, slot: Slot, price: Money,
        heldFor: String?, revision: Int = 0, isCancelled: Bool = false
    ) {
        self.id = id
        self.customer = customer
        self.session = session
        self.service = service
        self.slot = slot
        self.price = price
        self.heldFor = heldFor
        self.revision = revision
        self.isCancelled = isCancelled
    }
}

/// The company's calendar and booking backend.
///
/// The contract a real database must honour: ``hold(_:for:until:now:)`` is an atomic
/// check-and-reserve — of any number of concurrent holds for overlapping slots, at most one
/// succeeds — and a held or booked slot is never free. Holds expire on their own, so a
/// customer that vanishes never blocks a slot for longer than the hold time.
public protocol BookingStore: Sendable {
    /// Whether `slot` is inside opening hours and overlaps no booking and no live hold
    /// (holds of `ignoring` excepted, so a session can look at its own slot).
    func isFree(_ slot: Slot, ignoring session: SessionID?, now: Instant) async -> Bool
    /// Atomically reserves `slot` for `session` until `until`, replacing that session's earlier hold.
    /// Returns `false`, changing nothing, when the slot is not free.
    func hold(_ slot: Slot, for session: SessionID, until: Instant, now: Instant) async -> Bool
    /// Turns the session's live hold into `booking`. Returns `false` when the hold has expired
    /// and the slot was taken meanwhile.
    func commit(_ booking: BookingRecord, now: Instant) async -> Bool
    /// Drops the session's hold, if any.
    func release(session: SessionID) async
    /// The booking with `reference`.
    func booking(_ reference: BookingReference) async -> BookingRecord?
    /// Replaces a booking (reschedule: new slot and revision) if the new slot is free apart
    /// from the booking itself and the session's hold. Returns `false`, changing nothing, otherwise.
    func update(_ booking: BookingRecord, now: Instant) async -> Bool
    /// Every booking that is not cancelled.
    func activeBookings() async -> [BookingRecord]
}

/// An in-memory ``BookingStore`` for one resource (one chair, one table), with opening hours.
///
/// Atomic by construction: an actor, and no method suspends between its check and its change.
public actor InMemoryBookingStore: BookingStore {
    private var openingHours: [TimeWindow]
    private var bookings: [BookingReference: BookingRecord] = [:]
    private var holds: [SessionID: (slot: Slot, until: Instant)] = [:]

    /// Creates a store open during `openingHours` (each window: opening to closing time) with
    /// `bookings` already taken.
    public init(openingHours: [TimeWindow], bookings: [BookingRecord] = []) {
        self.openingHours = openingHours
        for booking in bookings { self.bookings[booking.id] = booking }
    }

    public func isFree(_ slot: Slot, ignoring session: SessionID?, now: Instant) -> Bool {
        isFree(slot, ignoringSession: session, ignoringBooking: nil, now: now)
    }

    private func isFree(_ slot: Slot, ignoringSession session: SessionID?, ignoringBooking booking: BookingReference?, now: Instant) -> Bool
    {
        guard openingHours.contains(where: { $0.start <= slot.start && slot.end <= $0.end }) else { return false }
        for record in bookings.values where !record.isCancelled && record.id != booking && record.slot.overlaps(slot) {
            return false
        }
        for (holder, hold) in holds where holder != session && hold.until > now && hold.slot.overlaps(slot) {
            return false
        }
        return true
    }

    public func hold(_ slot: Slot, for session: SessionID, until: Instant, now: Instant) -> Bool {
        guard isFree(slot, ignoringSession: session, ignoringBooking: nil, now: now) else { return false }
        holds[session] = (slot, until)
        return true
    }

    public func commit(_ booking: BookingRecord, now: Instant) -> Bool {
        let held = holds[booking.session]
        let stillOurs = held.map { $0.slot == booking.slot && $0.until > now } ?? false
        guard stillOurs || isFree(booking.slot, ignoringSession: booking.session, ignoringBooking: nil, now: now) else {
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
        if !booking.isCancelled && current.slot != booking.slot {
            guard isFree(booking.slot, ignoringSession: booking.session, ignoringBooking: booking.id, now: now) else { return false }
            holds[booking.session] = nil
        }
        bookings[booking.id] = booking
        return true
    }

    public func activeBookings() -> [BookingRecord] {
        bookings.values.filter { !$0.isCancelled }.sorted { $0.slot.start < $1.slot.start }
    }
}
