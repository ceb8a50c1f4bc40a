/// The limits a decoder enforces before it trusts any input. Named in `Spec/PROTOCOL.md` §4.4.
public struct WireLimits: Hashable, Sendable {
    /// The largest envelope, in bytes of UTF-8 JSON (`MAX_ENVELOPE_BYTES`, 65 536).
    public var maximumBytes: Int
    /// The deepest nesting of arrays and objects, the envelope itself counting as 1 (`MAX_DEPTH`, 16).
    public var maximumDepth: Int

    /// Creates limits.
    public init(maximumBytes: Int = 65_536, maximumDepth: Int = 16) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
    }

    /// The limits every conforming implementation must accept at least: 65 536 bytes, depth 16.
    public static let standard = WireLimits()
}
