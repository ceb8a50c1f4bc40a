import Foundation
import ParleyScenarios
import Testing

@testable import Parley

/// An envelope writes its canonical bytes directly from its typed members; these, and the body
/// digest of the duplicate check, must be exactly those of the JSON tree that the members describe. Replay a randomized failure with
/// `PARLEY_ENCODE_SEED=<seed>`.
@Suite("Direct canonical encoding of envelopes")
struct DirectEncodingTests {
    /// Creates `envelope` afresh from its typed members and checks its bytes against the tree's.
    static func check(_ envelope: Envelope, _ context: @autoclosure () -> String) {
        let fresh = Envelope(
            version: envelope.version, id: envelope.id, session: envelope.session, from: envelope.from, to: envelope.to,
            sequence: envelope.sequence, acknowledged: envelope.acknowledged, inReplyTo: envelope.inReplyTo, sentAt: envelope.sentAt,
            message: envelope.message)
        let tree = TreeEncoding.canonical(
            version: envelope.version, id: envelope.id, session: envelope.session, from: envelope.from, to: envelope.to,
            sequence: envelope.sequence, acknowledged: envelope.acknowledged, inReplyTo: envelope.inReplyTo, sentAt: envelope.sentAt,
            message: envelope.message)
        guard fresh.canonical == tree else {
            Issue.record(
                "\(context()): direct \(String(decoding: fresh.canonical, as: UTF8.self)) != tree \(String(decoding: tree, as: UTF8.self))")
            return
        }
        #expect(
            TranscriptDigest.bodyDigest(of: fresh) == TreeEncoding.bodyDigest(of: fresh),
            "\(context()): the duplicate check's body digest differs from the tree's")
        // Foundation reads the same value back from both.
        let direct = try? JSONSerialization.jsonObject(with: Data(fresh.canonical)) as? NSDictionary
        let reference = try? JSONSerialization.jsonObject(with: Data(tree)) as? NSDictionary
        #expect(direct != nil && direct == reference, "\(context()): Foundation parses a different value")
    }

    @Test("Every valid vector of Spec/vectors/messages.json")
    func vectors() throws {
        let vectors = try MessageVector.load().filter(\.valid)
        #expect(vectors.count > 20)
        for vector in vectors {
            let envelope = try WireCodec().decode(vector.bytes)
            Self.check(envelope, "vector \(vector.testDescription)")
        }
    }

    @Test("Every envelope of the reference scenarios' transcripts")
    func scenarios() async throws {
        var count = 0
        for run in [await Scenarios.haircut(), await Scenarios.restaurant(), await Scenarios.handoff(), await Scenarios.threeSalons()] {
            for transcript in run.transcripts {
                for envelope in transcript {
                    Self.check(envelope, "scenario envelope \(envelope)")
                    count += 1
                }
            }
        }
        #expect(count > 30)
    }

    @Test("5,000 random envelopes: direct bytes equal the tree's")
    func randomized() {
        let seed = UInt64(getenvString("PARLEY_ENCODE_SEED").flatMap(UInt64.init) ?? 20_261_202)
        var random = SplitMix64(seed: seed)
        for round in 0..<5_000 {
            let envelope = Self.randomEnvelope(&random)
            Self.check(envelope, "seed \(seed), round \(round)")
        }
    }

    // MARK: - Generator

    static let texts = [
        "", "a", "Hauptstraße 1", "\"quoted\"", "back\\slash", "line\nbreak\ttab\r", "\u{7}\u{1F}\u{0}", "é", "😀 emoji",
        "\u{2028}\u{2029}", "\u{FFFF}\u{E000}", "\u{10FFFF}", "/slash/", "<html>&amp;",
    ]

    static func text(_ random: inout SplitMix64) -> String {
        (0..<random.below(3)).map { _ in texts[random.below(texts.count)] }.joined()
    }

    static func identifier<Kind>(_ random: inout SplitMix64) -> Identifier<Kind> {
        let characters = Array(#"az09-_./"\~{}:,"#)
        let text = String((0..<(1 + random.below(12))).map { _ in characters[random.below(characters.count)] })
        return Identifier(rawValue: text)!
    }

    static func integer(_ random: inout SplitMix64) -> Int64 {
        let edges: [Int64] = [
            0, 1, -1, 9, 10, 99, 100, 4500, 9_007_199_254_740_991, -9_007_199_254_740_991, 9_007_199_254_740_992, .max, .min,
        ]
        return random.oneIn(2) ? edges[random.below(edges.count)] : Int64(bitPattern: random.next()) >> random.below(64)
    }

    static func instant(_ random: inout SplitMix64) -> Instant {
        Instant(secondsSinceEpoch: Int64(random.below(400_000_000_000)) - 100_000_000_000)
    }

    static func money(_ random: inout SplitMix64) -> Money {
        Money(amount: integer(&random), currency: ["EUR", "USD", "JPY"][random.below(3)])
    }

    static func requirement(_ random: inout SplitMix64) -> DataRequirement {
        let fields: [DataField] = [.givenName, .familyName, .email, .phone, .postalAddress, .birthDate]
        let purposes: [Purpose] = [.booking, .reminder, .billing, .marketing]
        return DataRequirement(
            fields: (0..<random.below(4)).map { _ in fields[random.below(fields.count)] }, purpose: purposes[random.below(purposes.count)],
            retentionDays: Int(integer(&random)))
    }

    static func proposal(_ random: inout SplitMix64) -> Proposal {
        let start = instant(&random)
        let addOns = (0..<random.below(3)).map { _ in
            AddOn(
                id: identifier(&random), text: text(&random), price: random.oneIn(2) ? money(&random) : nil,
                discountPercent: random.oneIn(2) ? Int(integer(&random)) : nil,
                requires: (0..<random.below(3)).map { _ in requirement(&random) }, promotional: random.oneIn(2))
        }
        return Proposal(
            id: identifier(&random), service: text(&random), slot: Slot(start: start, end: start.adding(minutes: 1 + random.below(600))),
            timeZone: text(&random), price: money(&random),
            cancellation: CancellationPolicy(freeUntilMinutesBefore: Int(integer(&random)), fee: random.oneIn(2) ? money(&random) : nil),
            requires: (0..<random.below(3)).map { _ in requirement(&random) }, addOns: addOns, expiresAt: instant(&random),
            location: random.oneIn(2) ? text(&random) : nil)
    }

    static func randomEnvelope(_ random: inout SplitMix64) -> Envelope {
        let kind = Message.Kind.allCases[random.below(Message.Kind.allCases.count)]
        let message: Message
        switch kind {
        case .offer, .counterOffer:
            let offer = Message.Offer(proposals: (0..<(1 + random.below(3))).map { _ in proposal(&random) })
            message = kind == .offer ? .offer(offer) : .counterOffer(offer)
        default:
            message = SampleMessages.message(kind, role: random.oneIn(2) ? .customer : .company)
        }
        return Envelope(
            version: Int(integer(&random)), id: identifier(&random), session: identifier(&random), from: identifier(&random),
            to: identifier(&random), sequence: Int(integer(&random)), acknowledged: Int(integer(&random)),
            inReplyTo: random.oneIn(2) ? identifier(&random) : nil, sentAt: instant(&random), message: message)
    }
}

/// The reference the direct writers are checked against: the envelope as a JSON tree, in
/// canonical form, as the spec defines it.
enum TreeEncoding {
    /// The canonical bytes of the envelope these members make.
    static func canonical(
        version: Int, id: MessageID, session: SessionID, from: AgentID, to: AgentID, sequence: Int, acknowledged: Int,
        inReplyTo: MessageID?, sentAt: Instant, message: Message
    ) -> [UInt8] {
        var members: [String: JSONValue] = [
            "parley": .number(Double(version)),
            "id": .string(id.rawValue),
            "session": .string(session.rawValue),
            "from": .string(from.rawValue),
            "to": .string(to.rawValue),
            "seq": .number(Double(sequence)),
            "ack": .number(Double(acknowledged)),
            "sentAt": .string(sentAt.rfc3339),
            "type": .string(message.kind.rawValue),
            "body": message.bodyJSON,
        ]
        if let inReplyTo { members["inReplyTo"] = .string(inReplyTo.rawValue) }
        return CanonicalJSON.canonicalBytes(.object(members))
    }

    /// SHA-256 of the canonical `{"body": …, "type": …}` (§5.3), through the tree.
    static func bodyDigest(of envelope: Envelope) -> [UInt8] {
        Digest.sha256(CanonicalJSON.canonicalBytes(.object(["type": .string(envelope.kind.rawValue), "body": envelope.message.bodyJSON])))
    }
}
