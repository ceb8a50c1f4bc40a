/// How many sessions a company agent serves at once, and for whom (`Spec/PROTOCOL.md` §4.4,
/// `Spec/SECURITY.md`).
///
/// The agent checks these limits when the first envelope of a new session arrives. A session
/// over a limit is refused before it takes any memory: the peer gets one fatal `error` in that
/// session (`limit-exceeded`, which is retryable) and the agent forgets it.
///
/// A peer is counted twice: by the agent id it claims (`from`) and by the connection it uses
/// (each transport given to ``CompanyAgent/serve(_:clock:)``). Agent ids are not authenticated
/// by Parley, so the per-connection count is what stops one connection from hiding behind many
/// made-up ids.
public struct ServiceLimits: Hashable, Sendable, Codable {
    /// `MAX_PEER_SESSIONS`: open sessions one peer (one agent id, or one connection) may hold at
    /// once. The session that would be one more is refused with `limit-exceeded`.
    public var openSessionsPerPeer = 16
    /// `MAX_OPEN_SESSIONS`: open sessions the agent holds across all peers. The session that
    /// would be one more is refused with `limit-exceeded` (retryable: try again later).
    public var openSessions = 100_000

    /// The defaults: 16 per peer, 100 000 in all.
    public init() {}

    /// Limits with the given values.
    public init(openSessionsPerPeer: Int, openSessions: Int) {
        self.openSessionsPerPeer = openSessionsPerPeer
        self.openSessions = openSessions
    }
}
