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
    /// The resource (chair, room, table) it occupies, when the store has several; `nil` when the
    /// store assigns it (``InMemoryBookingStore`` then uses its first suitable resource).
    public var resource: String?
    /// The consents the booking was made with: tokens, receipts and the data disclosed under
    /// them, kept with the booking so that any instance can read them within their scope.
    public var consents: [BookingConsent]

    /// Creates a booking record from its members.
    public init(
        id: BookingReference, customer: AgentID, session: SessionID, service: String, slot: Slot, price: Money,
        heldFor: String?, revision: Int = 0, isCancelled: Bool = false, resource: String? = nil, consents: [BookingConsent] = []
    ) {
        self.consents = consents
        self.id = id
        self.customer = customer
        self.session = session
        self.service = service
        self.slot = slot
        self.price = price
        self.heldFor = heldFor
        self.revision = revision
        self.isCancelled = isCancelled
        self.resource = resource
    }
}

/// The company's calendar and booking backend.
///
/// The contract a real database must honour: ``hold(_:service:for:until:now:)`` is an atomic
/// check-and-reserve — of any number of concurrent holds that need the same resource for
/// overlapping slots, at most one succeeds — and a held or booked resource is never free for
/// an overlapping slot. Holds expire on their own, so a customer that vanishes never blocks a
/// slot for longer than the hold time. ``commit(_:now:)`` turns a hold into a booking,
/// ``update(_:now:)`` moves or cancels one, ``release(session:)`` drops a hold.
///
/// The company agent uses the variants that name the service, so that a store with several
/// resources (chairs, rooms, tables) picks one able to provide it; a store with one resource
/// implements them by ignoring the service. The plain variants mean "on any resource".
///
/// Check an implementation with `BookingStoreContract` (in `ParleyConformance`), which runs
/// these rules — racers included — against a store you build.
public protocol BookingStore: Sendable {
    /// Whether `slot` is inside opening hours and overlaps no booking and no live hold
    /// (holds of `ignoring` excepted, so a session can look at its own slot), on some resource.
    func isFree(_ slot: Slot, ignoring session: SessionID?, now: Instant) async -> Bool
    /// Whether some resource able to provide `service` is open and free for `slot`, as ``isFree(_:ignoring:now:)``.
    func isFree(_ slot: Slot, service: String, ignoring session: SessionID?, now: Instant) async -> Bool
    /// Which of `slots` ``isFree(_:service:ignoring:now:)`` would call free, in the same order:
    /// what the company agent asks when it looks for starts to offer, a window's worth at a time.
    /// A store on a database answers them in one query (the protocol's default asks
    /// ``isFree(_:service:ignoring:now:)`` once per slot). A read: holding stays atomic.
    func freeSlots(_ slots: [Slot], service: String, ignoring session: SessionID?, now: Instant) async -> [Bool]
    /// Atomically reserves `slot` for `session` until `until`, replacing that session's earlier hold.
    /// Returns `false`, changing nothing, when the slot is not free.
    func hold(_ slot: Slot, for session: SessionID, until: Instant, now: Instant) async -> Bool
    /// Atomically reserves `slot` on a resource able to provide `service`, for `session` until
    /// `until`, replacing that session's earlier hold. Returns `false`, changing nothing, when no
    /// such resource is free.
    func hold(_ slot: Slot, service: String, for session: SessionID, until: Instant, now: Instant) async -> Bool
    /// Turns the session's live hold into `booking`. Returns `false` when the hold has expired
    /// and the slot was taken meanwhile. Idempotent: committing a booking that is already stored
    /// unchanged returns `true` and changes nothing (a retried request); another booking under an
    /// existing reference returns `false`.
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

extension BookingStore {
    /// Asks ``isFree(_:service:ignoring:now:)`` once per slot.
    public func freeSlots(_ slots: [Slot], service: String, ignoring session: SessionID?, now: Instant) async -> [Bool] {
        var free: [Bool] = []
        free.reserveCapacity(slots.count)
        for slot in slots { free.append(await isFree(slot, service: service, ignoring: session, now: now)) }
        return free
    }
}
