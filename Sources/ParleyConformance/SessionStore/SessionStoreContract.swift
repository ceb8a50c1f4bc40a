public import Parley

/// The contract every `SessionStore` must honour, as a suite of named checks that you run
/// against your own store: values come back exactly as saved (also through `encoded()` and
/// `init(decoding:)`), version 1 is inserted only when absent, every later save is a
/// compare-and-set that refuses a stale version and changes nothing, of N concurrent savers of
/// one version exactly one wins, due timers are found earliest first within a limit, purging
/// deletes only sessions that ended before the instant, and unreadable state is reported as
/// `SessionStoreError.Kind.corrupt`.
///
/// The values it saves are real sessions: each check drives a real `CompanyAgent` over the
/// store under test (hello, request, accept, consent, disclosure, close) on fixed instants, and
/// starts a second agent on the same store where a restart or another instance is part of the
/// check.
///
/// ```swift
/// let contract = SessionStoreContract { fixture in InMemorySessionStore() }
/// let report = await contract.run()
/// print(report.text)            // one line per check, then "N passed, N failed"
/// #expect(report.failed == 0, "\(report.text)")
/// ```
///
/// The suite needs a fresh, empty store for every check, built from a ``Fixture``; a store backed
/// by a database gives each check its own namespace (or empties its table) in the factory. The
/// suite has no test-framework dependency: it returns a ``SessionStoreContractReport`` and your
/// test target asserts on it. Every instant it uses is fixed (June 2030) and passed in, so the
/// store must take time from its arguments, never from a clock of its own.
public struct SessionStoreContract: Sendable {
    /// What a check's store starts with: nothing but its name.
    public struct Fixture: Sendable {
        /// The check's name (see ``SessionStoreContract/checkNames``), unique in a run: a store
        /// backed by a database can use it to name the check's namespace.
        public var check: String
    }

    /// Builds a fresh, empty store for one check. A thrown error fails that check with the error as the reason.
    public typealias StoreFactory = @Sendable (Fixture) async throws -> any SessionStore

    /// Replaces the stored state of one session with raw bytes, bypassing `SessionStore.save(_:)`:
    /// how the `corrupt` check damages a stored session (a database store writes the bytes into
    /// its state column). It is given the store the factory built.
    public typealias StateOverwriter = @Sendable (_ store: any SessionStore, _ session: SessionID, _ bytes: [UInt8]) async throws -> Void

    /// How many concurrent tasks race to save one version in the race checks.
    public var racers: Int
    private let makeStore: StoreFactory
    private let overwriteState: StateOverwriter?

    /// A contract run that builds each check's store with `makeStore`.
    ///
    /// - Parameters:
    ///   - racers: how many concurrent tasks (at least 2) race to save one version in the race checks.
    ///   - makeStore: builds a fresh, empty store for each check.
    ///   - overwriteState: writes raw bytes as a session's stored state. With it, the `corrupt`
    ///     check also proves that the store reports damaged state as
    ///     `SessionStoreError.Kind.corrupt` (and the agent refuses the event instead of crashing);
    ///     without it (a store that keeps values, not bytes) the check covers decoding only.
    public init(racers: Int = 16, makeStore: @escaping StoreFactory, overwriteState: StateOverwriter? = nil) {
        self.racers = max(2, racers)
        self.makeStore = makeStore
        self.overwriteState = overwriteState
    }

    /// The names of the checks, in run order.
    public static var checkNames: [String] { checks.map(\.name) }

    /// Runs the checks (those in `only` when it is given), one after another, each on a fresh store.
    public func run(only names: Set<String>? = nil) async -> SessionStoreContractReport {
        await StoreContractReport.run(Self.checks, only: names) { check in
            let store = try await makeStore(Fixture(check: check.name))
            let context = SessionContractContext(
                store: store, driver: SessionDriver(store: store), racers: racers, overwriteState: overwriteState)
            try await check.body(context)
        }
    }
}

/// One check of the session store contract.
struct SessionContractCheck: StoreContractCheck {
    var name: String
    var title: String
    var body: @Sendable (SessionContractContext) async throws -> Void
}

/// What a check works with: the store under test, the agent driver and helpers for expectations.
struct SessionContractContext: Sendable {
    /// The store as the factory built it (saves through it are not recorded).
    var store: any SessionStore
    /// The driver, whose agents save through a recording wrapper of `store`.
    var driver: SessionDriver
    var racers: Int
    var overwriteState: SessionStoreContract.StateOverwriter?

    /// Fails the check with `reason` unless `condition` holds.
    func expect(_ condition: Bool, _ reason: @autoclosure () -> String) throws {
        if !condition { throw ContractFailure(reason: reason()) }
    }

    /// Loads `id`, failing the check when the store throws.
    func load(_ id: SessionID) async throws -> SavedSession? {
        do {
            return try await store.load(id)
        } catch {
            throw ContractFailure(reason: "load(\(id)) threw \(error)")
        }
    }

    /// Loads `id`, failing the check when it is missing or the store throws.
    func stored(_ id: SessionID) async throws -> SavedSession {
        guard let saved = try await load(id) else { throw ContractFailure(reason: "load(\(id)) is nil after the agent saved it") }
        return saved
    }

    /// The last value of `id` the agent saved.
    func lastSaved(_ id: SessionID) async throws -> SavedSession {
        guard let last = await driver.store.saved(id).last else { throw ContractFailure(reason: "the agent saved no value of \(id)") }
        return last
    }

    /// Saves `session`; the error it was refused with, or `nil` when it was stored.
    func trySave(_ session: SavedSession) async -> SessionStoreError? {
        do {
            try await store.save(session)
            return nil
        } catch {
            return storeError(error)
        }
    }

    /// Fails unless the stored value of `expected.id` is `expected`, byte for byte.
    func expectStored(_ expected: SavedSession, _ what: String) async throws {
        let loaded = try await load(expected.id)
        try expect(loaded != nil, "\(what): load(\(expected.id)) is nil")
        try expect(
            loaded?.version == expected.version,
            "\(what): load(\(expected.id)) is at version \(loaded?.version ?? 0), not \(expected.version)")
        try expect(
            loaded?.encoded() == expected.encoded(),
            "\(what): load(\(expected.id)) differs from the value saved at version \(expected.version)")
    }
}
