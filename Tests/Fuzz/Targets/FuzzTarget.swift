/// The coverage-guided fuzzing targets (`Tests/Fuzz/README.md`).
///
/// Each target takes one input, drives a part of Parley with it and checks the invariants that
/// part promises. Input that Parley rejects with a typed ``ParleyError`` is fine; a broken
/// invariant stops the process with `fatalError`, which libFuzzer reports as a crash.
/// The same entry points run under libFuzzer (`parley-fuzz <target>`), in the replay tool
/// (`parley-fuzz replay <target> <inputs>`) and in the test suite (`FuzzReplayTests`,
/// `FuzzRegressionTests`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The envelope decoder: `WireCodec.decode`, then the canonical re-encoding.
    case envelope
    /// The consent token parser and verifier: `ConsentToken(serialized:)`, `ConsentIssuer.verify`, narrowing.
    case token
    /// The session state machine of both roles, fed with decoded envelopes (one per input line).
    case session

    /// Runs the target once on `input`.
    public func run(_ input: [UInt8]) {
        switch self {
        case .envelope: EnvelopeFuzzing.run(input)
        case .token: TokenFuzzing.run(input)
        case .session: SessionFuzzing.run(input)
        }
    }

    /// Runs the target once on the bytes of `input`.
    public func run(_ input: UnsafeRawBufferPointer) {
        run(Array(input))
    }
}

/// Stops the process with `message` when `condition` is false: an invariant Parley promises is broken.
@inline(__always)
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant broken: " + message()) }
}
