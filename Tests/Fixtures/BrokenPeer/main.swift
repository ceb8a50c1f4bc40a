import Foundation
import Parley
import ParleyConformance
import ParleyScenarios

/// `parley-broken-peer --defect NAME`: a real S1 agent on stdio with ONE injected defect, for
/// proving that the conformance suite can fail. A test fixture; never shipped.
///
/// The defect is a tamper layer between the agent and stdio (``TamperedTransport``):
/// - `accepts-expired-offer` (customer): proposals that arrive already expired are shown to the
///   agent as valid for another day, so it accepts them.
/// - `discloses-ungranted-field` (customer): every disclosure also carries `email`.
/// - `ignores-transition-table` (company): the company's `unexpected-message` errors are dropped,
///   so messages the table does not admit go unanswered.
enum Defect: String, CaseIterable {
    case acceptsExpiredOffer = "accepts-expired-offer"
    case disclosesUngrantedField = "discloses-ungranted-field"
    case ignoresTransitionTable = "ignores-transition-table"
}

/// A transport that rewrites envelopes on their way in and out.
struct TamperedTransport: Transport {
    let base: JSONLinesTransport
    let inboundRewrite: @Sendable (Envelope) -> Envelope
    let outboundRewrite: @Sendable (Envelope) -> Envelope?

    var inbound: AsyncStream<TransportEvent> {
        let base = self.base
        let rewrite = inboundRewrite
        return AsyncStream { continuation in
            let task = Task {
                for await event in base.inbound {
                    if case .envelope(let envelope) = event {
                        continuation.yield(.envelope(rewrite(envelope)))
                    } else {
                        continuation.yield(event)
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func send(_ envelope: Envelope) async throws(ParleyError) {
        guard let rewritten = outboundRewrite(envelope) else { return }
        try await base.send(rewritten)
    }

    func close() async { await base.close() }
}

/// The same envelope with another message.
func replacing(_ envelope: Envelope, with message: Message) -> Envelope {
    Envelope(
        version: envelope.version, id: envelope.id, session: envelope.session, from: envelope.from, to: envelope.to,
        sequence: envelope.sequence, acknowledged: envelope.acknowledged, inReplyTo: envelope.inReplyTo, sentAt: envelope.sentAt,
        message: message)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 2, arguments[0] == "--defect", let defect = Defect(rawValue: arguments[1]) else {
    FileHandle.standardError.write(
        Data("usage: parley-broken-peer --defect \(Defect.allCases.map(\.rawValue).joined(separator: "|"))\n".utf8))
    exit(64)
}
signal(SIGPIPE, SIG_IGN)
// The real clock and tomorrow's calendar, as `parley serve` runs the same scenarios.
let clock = SystemClock()
let tomorrow = ScenarioDay.following(clock.now, days: 1)
let stdio = JSONLinesTransport(stream: FileHandleByteStream(reading: .standardInput, writing: .standardOutput))

switch defect {
case .acceptsExpiredOffer, .disclosesUngrantedField:
    let transport = TamperedTransport(
        base: stdio,
        inboundRewrite: { envelope in
            guard defect == .acceptsExpiredOffer, case .offer(var offer) = envelope.message else { return envelope }
            let now = clock.now
            for index in offer.proposals.indices where offer.proposals[index].expiresAt <= now {
                offer.proposals[index].expiresAt = now.adding(seconds: 86_400)
            }
            return replacing(envelope, with: .offer(offer))
        },
        outboundRewrite: { envelope in
            guard defect == .disclosesUngrantedField, case .disclose(var disclose) = envelope.message else { return envelope }
            disclose.data[.email] = World.lisasData[.email]
            return replacing(envelope, with: .disclose(disclose))
        })
    let peer: AgentID = "salon.example/bot"
    let agent = CustomerAgent(
        id: World.lisa, wishes: Scenarios.haircutWishes(on: tomorrow), policy: World.bookingOnlyPolicy, personalData: World.lisasData,
        consentKey: World.lisasKey, clock: clock)
    await agent.connect(to: peer, over: transport)
    _ = await agent.book(at: peer)
    await agent.disconnect()
    await transport.close()
case .ignoresTransitionTable:
    let transport = TamperedTransport(
        base: stdio, inboundRewrite: { $0 },
        outboundRewrite: { envelope in
            if case .error(let report) = envelope.message, report.code == "unexpected-message" { return nil }
            return envelope
        })
    let (salon, _) = Salons.liveSalon(from: tomorrow)
    await salon.serve(transport, clock: clock)
}
exit(0)
