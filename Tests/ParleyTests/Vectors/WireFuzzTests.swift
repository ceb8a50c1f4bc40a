import Testing

@testable import Parley

/// Seeded fuzzing of the decoder: every mutation either decodes (and then round-trips) or fails
/// with a typed decoding error. Replay a failure with `PARLEY_FUZZ_SEED=<seed>`.
@Suite("Wire fuzzing")
struct WireFuzzTests {
    static let decodingCodes: Set<ParleyError.Code> = [
        .malformedJSON, .duplicateKey, .tooLarge, .tooDeep, .unsupportedVersion, .unknownMessageType, .missingField, .invalidField,
    ]

    static func corpus() throws -> [[UInt8]] {
        try MessageVector.load().filter(\.valid).map(\.bytes)
    }

    /// One mutation of `input`, chosen by `random`.
    static func mutate(_ input: [UInt8], _ random: inout SeededRandom, corpus: [[UInt8]]) -> [UInt8] {
        var bytes = input
        let position = bytes.isEmpty ? 0 : random.next(below: bytes.count)
        switch random.next(below: 10) {
        case 0: bytes = Array(bytes.prefix(position))
        case 1: if !bytes.isEmpty { bytes[position] ^= UInt8(1 << random.next(below: 8)) }
        case 2: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        case 3: if !bytes.isEmpty { bytes.remove(at: position) }
        case 4:  // swap a value's type
            let replacements = ["1", "\"x\"", "[]", "{}", "null", "true", "-0.5e3", "\"\\ud800\""]
            if let colon = bytes[position...].firstIndex(of: UInt8(ascii: ":")) {
                let end = bytes[colon...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") } ?? bytes.count
                bytes.replaceSubrange((colon + 1)..<end, with: Array(replacements[random.next(below: replacements.count)].utf8))
            }
        case 5:  // deep nesting
            let depth = random.next(below: 40)
            bytes.insert(
                contentsOf: Array(repeating: UInt8(ascii: "["), count: depth) + Array("1".utf8)
                    + Array(repeating: UInt8(ascii: "]"), count: depth), at: position)
        case 6:  // a huge string near or over the limit
            if let quote = bytes.firstIndex(of: UInt8(ascii: "\"")) {
                bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "a"), count: 60_000 + random.next(below: 10_000)), at: quote + 1)
            }
        case 7:  // duplicate a member
            if bytes.count > 2 {
                let copy = Array(bytes[1..<min(bytes.count - 1, 1 + random.next(below: 40))])
                bytes.insert(contentsOf: copy + [UInt8(ascii: ",")], at: 1)
            }
        case 8:  // invalid UTF-8
            let bad: [[UInt8]] = [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x82]]
            bytes.insert(contentsOf: bad[random.next(below: bad.count)], at: position)
        default:  // splice with another envelope
            let other = corpus[random.next(below: corpus.count)]
            let cut = other.isEmpty ? 0 : random.next(below: other.count)
            bytes = Array(bytes.prefix(position)) + Array(other.suffix(from: cut))
        }
        return bytes
    }

    @Test("100,000 mutations of valid envelopes: each decodes and round-trips, or fails with a decoding error code")
    func fuzzDecoder() async throws {
        let seed = UInt64(getenvString("PARLEY_FUZZ_SEED").flatMap(UInt64.init) ?? 20_261_122)
        let corpus = try Self.corpus()
        var random = SeededRandom(seed: seed)
        let codec = WireCodec()
        var decoded = 0
        for iteration in 0..<100_000 {
            if iteration % 1000 == 0 { await Task.yield() }  // share the test threads with the timing-sensitive suites
            var input = corpus[random.next(below: corpus.count)]
            for _ in 0...random.next(below: 3) { input = Self.mutate(input, &random, corpus: corpus) }
            do {
                let envelope = try codec.decode(input)
                decoded += 1
                let again = try codec.decode(codec.encode(envelope))
                guard again == envelope else {
                    Issue.record("seed \(seed) iteration \(iteration): re-encoding changed the envelope; input \(Digest.hex(input))")
                    return
                }
            } catch {
                guard Self.decodingCodes.contains(error.code) else {
                    Issue.record("seed \(seed) iteration \(iteration): unexpected \(error.code); input \(Digest.hex(input))")
                    return
                }
            }
        }
        #expect(decoded > 1000, "seed \(seed): too few mutations still decode (\(decoded)); the fuzzer is not reaching the typed layer")
    }

    @Test("Decoded fuzz envelopes fed to both roles' state machines in every phase give defined results")
    func fuzzStateMachine() async throws {
        let seed = UInt64(getenvString("PARLEY_FUZZ_SEED").flatMap(UInt64.init) ?? 20_261_122)
        let corpus = try Self.corpus()
        var random = SeededRandom(seed: seed &+ 1)
        var delivered = 0
        for iteration in 0..<20_000 {
            if iteration % 1000 == 0 { await Task.yield() }
            let input = Self.mutate(corpus[random.next(below: corpus.count)], &random, corpus: corpus)
            guard let envelope = try? WireCodec().decode(input) else { continue }
            let role: Role = random.next(below: 2) == 0 ? .customer : .company
            var machine = SessionStateMachine(
                role: role, session: envelope.session, local: envelope.to, peer: role == .customer ? envelope.from : nil)
            machine.phase = SessionPhase.allCases[random.next(below: SessionPhase.allCases.count)]
            let actions = machine.messageReceived(envelope, now: Fixtures.now)
            delivered += actions.compactMap(\.delivered).count
            for action in actions {
                if case .rejected(let error) = action { #expect(error.fault == .remote) }
            }
        }
        #expect(delivered > 0)
    }
}
