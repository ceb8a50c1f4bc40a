import Foundation
import ParleyCrypto
import ParleyFuzzTargets
import Testing

@testable import Parley

/// Inputs for the fuzz targets (`Tests/Fuzz/README.md`): the committed files under `Tests/Fuzz`,
/// and seeds made from `Spec/vectors` as `Tests/Fuzz/make-corpus.py` makes them.
enum FuzzInputs {
    /// The files in `Tests/Fuzz/<folder>/<target>`, by name. A missing folder is empty.
    static func files(_ folder: String, _ target: FuzzTarget) -> [(name: String, bytes: [UInt8])] {
        let url = Repository.root.appendingPathComponent("Tests/Fuzz/\(folder)/\(target.rawValue)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
            (try? Data(contentsOf: url.appendingPathComponent(name))).map { (name, [UInt8]($0)) }
        }
    }

    /// The seeds of `target` made from the test vectors.
    static func vectorSeeds(_ target: FuzzTarget) throws -> [[UInt8]] {
        switch target {
        case .envelope:
            let transitions = try TransitionVectors.load().flatMap { $0.given.map(\.envelope) + [$0.incoming] }
            return try MessageVector.load().map(\.bytes) + transitions.map(CanonicalJSON.canonicalBytes)
        case .token:
            let vectors = ConsentVectors.shared
            let texts = Set(
                vectors.macaroons.map(\.serialized) + vectors.macaroonVerify.map(\.serialized) + vectors.mint.map(\.serialized)
                    + vectors.attenuate.flatMap { [$0.token, $0.serialized] } + vectors.verify.map(\.token)
            ).sorted()
            return texts.map { Array($0.utf8) } + texts.compactMap(Base64URL.decode)
        case .session:
            return try TransitionVectors.load().map { vector in
                let lines = (vector.given.map(\.envelope) + [vector.incoming]).map(CanonicalJSON.canonicalBytes)
                return Array(lines.joined(separator: [0x0A]))
            }
        }
    }
}

@Suite("Fuzz targets replay their seed corpus")
struct FuzzReplayTests {
    @Test("Every seed made from Spec/vectors runs through its target without breaking an invariant", arguments: FuzzTarget.allCases)
    func vectorSeeds(_ target: FuzzTarget) throws {
        let seeds = try FuzzInputs.vectorSeeds(target)
        #expect(seeds.count >= 40, "the vectors give \(target) only \(seeds.count) seeds")
        for seed in seeds { target.run(seed) }
    }

    @Test("Every committed seed (Tests/Fuzz/seeds) runs through its target, and every envelope of it through the envelope target")
    func committedSeeds() throws {
        let transcripts = FuzzInputs.files("seeds", .session)
        #expect(transcripts.count >= 4, "the scenario transcripts are seeds of the session target")
        for target in FuzzTarget.allCases {
            for (_, bytes) in FuzzInputs.files("seeds", target) { target.run(bytes) }
        }
        for (_, bytes) in transcripts {
            for line in bytes.split(separator: 0x0A) { FuzzTarget.envelope.run(Array(line)) }
        }
    }

    @Test("Every line of the scenario transcript seeds is an envelope, and each transcript ends with a close")
    func transcriptsDecode() throws {
        let codec = WireCodec()
        for (name, bytes) in FuzzInputs.files("seeds", .session) {
            let lines = bytes.split(separator: 0x0A)
            let decoded = lines.compactMap { try? codec.decode(Array($0)) }
            #expect(decoded.count == lines.count, "\(name): every line of a transcript seed is an envelope")
            #expect(decoded.contains { $0.kind == .close }, "\(name): the transcript ends with a close")
        }
    }
}

@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// The inputs that broke an invariant once (`Tests/Fuzz/regressions/<target>/`) and the fix they check.
    static let known: [(target: FuzzTarget, file: String)] = [
        (.session, "fatal-rejection-after-eight-errors.jsonl"),  // ErrorLimitTests
        (.session, "error-text-quoting-3000-byte-name.jsonl"),  // ErrorTextTests
    ]

    @Test("Every regression input replays through its target without breaking an invariant", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) {
        for (_, bytes) in FuzzInputs.files("regressions", target) { target.run(bytes) }
    }

    @Test("The known regression inputs are all still there")
    func knownInputsPresent() {
        for (target, file) in Self.known {
            #expect(FuzzInputs.files("regressions", target).contains { $0.name == file }, "Tests/Fuzz/regressions/\(target)/\(file)")
        }
    }
}
