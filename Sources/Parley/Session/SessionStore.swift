import Foundation

/// Where an agent keeps its sessions between events, so that a session outlives the process that
/// began it and any instance of a fleet can continue it (`Spec/PROTOCOL.md` §10).
///
/// A ``CompanyAgent`` loads a session before it handles each event of it (a message, a timer) and
/// saves it afterwards, before anything it produced is sent. A store is therefore the single
/// source of truth for a session: an agent that restarts with the same store continues every
/// open session exactly where it was — the same replies to duplicates, the same digests, the
/// same timers — and several agents sharing one store (one database behind a fleet of servers)
/// can each take any event of any session.
///
/// A ``CustomerAgent`` saves its sessions the same way (after each event, before sending), but
/// keeps them in memory while it runs: its store is what a restarted assistant continues from
/// (``CustomerAgent/restoreSessions()``, ``CustomerAgent/resume(_:)``). A store is keyed by
/// session id, and both sides of a session share its id: give the company side and the customer
/// side their own stores. A company agent that finds a customer session under an id refuses it
/// (``SessionStoreError/Kind/corrupt``) rather than taking it for its own.
///
/// The contract an implementation must honour:
/// - ``save(_:)`` is a compare-and-set on ``SavedSession/version``: it stores the session only
///   if the stored version is exactly one less (or, for version 1, if no session with that id is
///   stored), and otherwise throws ``SessionStoreError/Kind/conflict`` and changes nothing. Two
///   instances that both advance one session from the same version can therefore never both
///   succeed; the loser reloads and handles its event again.
/// - ``load(_:)`` returns the last saved value, with its version.
/// - ``sessions(withTimersDueBy:limit:)`` finds sessions by ``SavedSession/nextTimer``, so that
///   whichever instance is alive fires the timers of an instance that died.
/// - ``purge(endedBefore:)`` deletes sessions by ``SavedSession/endedAt``.
///
/// ``InMemorySessionStore`` is the default: one process, today's speed. A database-backed store
/// keeps ``SavedSession/encoded()`` as an opaque value next to the indexed columns `id`,
/// `version`, `endedAt` and `nextTimer`; check one with `SessionStoreContract` (in `ParleyConformance`).
public protocol SessionStore: Sendable {
    /// The saved session `id`, or `nil` when none is stored.
    func load(_ id: SessionID) async throws(SessionStoreError) -> SavedSession?
    /// Stores `session` if the stored version of its id is `session.version - 1` (or, when
    /// `session.version` is 1, if none is stored); otherwise throws a
    /// ``SessionStoreError/Kind/conflict`` and changes nothing.
    func save(_ session: SavedSession) async throws(SessionStoreError)
    /// The ids of up to `limit` sessions whose ``SavedSession/nextTimer`` is at or before
    /// `instant`, earliest first.
    func sessions(withTimersDueBy instant: Instant, limit: Int) async throws(SessionStoreError) -> [SessionID]
    /// Deletes every session that ended before `instant`; returns how many were deleted.
    @discardableResult
    func purge(endedBefore instant: Instant) async throws(SessionStoreError) -> Int
    /// The ids of every stored session of `agent` (``SavedSession/agent``), open or ended, in no
    /// particular order: how a restarted ``CustomerAgent`` finds its sessions
    /// (``CustomerAgent/restoreSessions()``).
    ///
    /// Optional: the default implementation throws ``SessionStoreError/Kind/unavailable``. A store
    /// that lists sessions keeps ``SavedSession/agent`` as an indexed column.
    func sessions(of agent: AgentID) async throws(SessionStoreError) -> [SessionID]
}

extension SessionStore {
    /// Throws ``SessionStoreError/Kind/unavailable``: this store does not list sessions by agent.
    public func sessions(of agent: AgentID) async throws(SessionStoreError) -> [SessionID] {
        throw SessionStoreError(.unavailable, "this session store does not list the sessions of an agent")
    }
}

/// Why a ``SessionStore`` could not do what was asked.
public struct SessionStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure it is, which decides what the caller does next.
    public enum Kind: String, Hashable, Sendable {
        /// Another writer saved the session first (the compare-and-set failed): reload and retry.
        case conflict
        /// The store cannot be reached or refused the operation: nothing was changed, try later.
        case unavailable
        /// A stored session cannot be read (a corrupt value, or a format this version does not know).
        case corrupt
    }

    /// The kind of failure.
    public var kind: Kind
    /// What happened, in words, for logs.
    public var message: String

    /// Creates an error of `kind`, explained by `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The kind and the message, e.g. `conflict: session 's-1' is at version 4, not 3`.
    public var description: String { "\(kind.rawValue): \(message)" }
}

/// One session as a ``SessionStore`` keeps it: an opaque state, with the few values a store
/// indexes by (``id``, ``version``, ``endedAt``, ``nextTimer``, and ``agent`` for
/// ``SessionStore/sessions(of:)``).
///
/// The state is either role's: a ``CompanyAgent``'s session or a ``CustomerAgent``'s (``role``
/// says which). It is a plain value: an in-memory store keeps it as it is, a database stores
/// ``encoded()`` and reads it back with ``init(decoding:)``. The encoding is private to the
/// library (JSON with a format number); it changes only with a version that reads the old one.
public struct SavedSession: Sendable, Hashable {
    /// The session.
    public let id: SessionID
    /// The version of this value: 1 for the first save, one more for every later save. A store
    /// accepts a save only over the version just before it (compare-and-set).
    public internal(set) var version: Int64
    /// When the session ended, once it has: finished sessions are kept for the idempotency window
    /// (to answer duplicates) and then purged.
    public var endedAt: Instant? {
        switch state {
        case .company(let company): company.endedAt
        case .customer(let customer): customer.endedAt
        }
    }
    /// The earliest instant one of the session's timers is due, if any is set.
    public var nextTimer: Instant? {
        switch state {
        case .company(let company): company.timers.values.min()
        case .customer(let customer): customer.timers.values.min()
        }
    }
    /// Which side's session it is: a company agent's or a customer agent's.
    public var role: Role {
        switch state {
        case .company: .company
        case .customer: .customer
        }
    }
    /// The agent whose session it is (the company agent's or the assistant's own id).
    public var agent: AgentID {
        switch state {
        case .company(let company): company.machine.local
        case .customer(let customer): customer.machine.local
        }
    }

    /// One role's state of a session.
    enum State: Sendable {
        case company(CompanySession)
        case customer(CustomerSession)
    }

    /// The agent's state of the session.
    var state: State

    /// The company agent's state of the session; `nil` for a customer session.
    var company: CompanySession? {
        if case .company(let company) = state { return company }
        return nil
    }

    /// The customer agent's state of the session; `nil` for a company session.
    var customer: CustomerSession? {
        if case .customer(let customer) = state { return customer }
        return nil
    }

    init(id: SessionID, version: Int64, company: CompanySession) {
        self.id = id
        self.version = version
        self.state = .company(company)
    }

    init(id: SessionID, version: Int64, customer: CustomerSession) {
        self.id = id
        self.version = version
        self.state = .customer(customer)
    }

    /// The format number written by ``encoded()``. Format 1 holds exactly one of `company` (a
    /// company agent's session) and `customer` (a customer agent's session).
    static let format = 1

    private struct Encoded: Codable {
        var format: Int
        var id: SessionID
        var version: Int64
        var company: CompanySession?
        var customer: CustomerSession?
    }

    /// The session as bytes (UTF-8 JSON), for a store that keeps it outside the process. The same
    /// value always gives the same bytes (object keys are sorted).
    public func encoded() -> [UInt8] {
        var value = Encoded(format: Self.format, id: id, version: version)
        switch state {
        case .company(let company): value.company = company
        case .customer(let customer): value.customer = customer
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same state gives the same bytes
        do {
            return Array(try encoder.encode(value))
        } catch {
            // Every member is a value the library built and encodes; nothing here can fail.
            preconditionFailure("a saved session could not be encoded: \(error)")
        }
    }

    /// Reads a session from ``encoded()`` bytes; throws ``SessionStoreError/Kind/corrupt`` for
    /// bytes that are not a saved session of a format this version reads.
    public init(decoding bytes: [UInt8]) throws(SessionStoreError) {
        let value: Encoded
        do {
            value = try JSONDecoder().decode(Encoded.self, from: Data(bytes))
        } catch {
            throw SessionStoreError(
                .corrupt, "the saved session cannot be read (\(bytes.count) bytes): \(SessionStoreError.explain(error))")
        }
        guard value.format == Self.format else {
            throw SessionStoreError(.corrupt, "the saved session has format \(value.format); this version reads format \(Self.format)")
        }
        switch (value.company, value.customer) {
        case (let company?, nil): self.init(id: value.id, version: value.version, company: company)
        case (nil, let customer?): self.init(id: value.id, version: value.version, customer: customer)
        case (nil, nil): throw SessionStoreError(.corrupt, "the saved session holds neither a company nor a customer session")
        case (.some, .some): throw SessionStoreError(.corrupt, "the saved session holds both a company and a customer session")
        }
    }

    /// Whether two saved sessions are the same version of the same session.
    public static func == (lhs: SavedSession, rhs: SavedSession) -> Bool { lhs.id == rhs.id && lhs.version == rhs.version }

    /// Hashes the id and version.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(version)
    }
}

extension SavedSession {
    /// The same state at the next version: what a store must accept exactly once over this
    /// value, and refuse while this value is not the stored one (for store contracts and tests).
    package func advanced() -> SavedSession {
        var next = self
        next.version += 1
        return next
    }

    /// The same state at `version` (for store contracts and tests: a stale or a skipping save).
    package func at(version: Int64) -> SavedSession {
        var copy = self
        copy.version = version
        return copy
    }
}

extension SessionStoreError {
    /// Says why decoding failed in words, without a Swift debug description.
    static func explain(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "a value has the wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: return "not a saved session"
        }
    }
}

/// The default ``SessionStore``: sessions in this process's memory. Fast, and gone when the
/// process ends; use a database-backed store to survive restarts or to run several instances.
public actor InMemorySessionStore: SessionStore {
    private var sessions: [SessionID: SavedSession] = [:]
    /// The next timer of every stored session that has one: open sessions only, so a timer
    /// sweep does not read every session ever stored.
    private var timers: [SessionID: Instant] = [:]

    /// Creates an empty store.
    public init() {}

    /// The saved session `id`, or `nil`.
    public func load(_ id: SessionID) -> SavedSession? { sessions[id] }

    /// Stores `session` over the version before it (compare-and-set); see ``SessionStore/save(_:)``.
    public func save(_ session: SavedSession) throws(SessionStoreError) {
        let stored = sessions[session.id]?.version ?? 0
        guard stored == session.version - 1 else {
            throw SessionStoreError(
                .conflict,
                "session '\(session.id)' is stored at version \(stored); a save of version \(session.version) needs \(session.version - 1)")
        }
        sessions[session.id] = session
        timers[session.id] = session.nextTimer
    }

    /// Up to `limit` sessions with a timer due by `instant`, earliest first.
    public func sessions(withTimersDueBy instant: Instant, limit: Int) -> [SessionID] {
        let due = timers.filter { $0.value <= instant }
        return due.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(max(0, limit)).map(\.key)
    }

    /// Deletes the sessions that ended before `instant`.
    @discardableResult
    public func purge(endedBefore instant: Instant) -> Int {
        let before = sessions.count
        sessions = sessions.filter { session in session.value.endedAt.map { $0 >= instant } ?? true }
        timers = timers.filter { sessions[$0.key] != nil }
        return before - sessions.count
    }

    /// The ids of every stored session of `agent`, in ascending order.
    public func sessions(of agent: AgentID) async throws(SessionStoreError) -> [SessionID] {
        sessions.values.filter { $0.agent == agent }.map(\.id).sorted()
    }

    /// How many sessions are stored, open or ended.
    public var count: Int { sessions.count }
}
