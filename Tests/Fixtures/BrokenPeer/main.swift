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
/// - `accepts-tampered-confirm` (customer): a confirm's terms are shown to the agent as the
///   agreed ones (price, cancellation, add-ons, location, time zone, revision, fee), as if it
///   checked only proposal, service, slot and digest.
/// - `ignores-transition-table` (company): the company's `unexpected-message` errors are dropped,
///   so messages the table does not admit go unanswered.
enum Defect: String, CaseIterable {
    case acceptsExpiredOffer = "accepts-expired-offer"
    case disclosesUngrantedField = "discloses-ungranted-field"
    case acceptsTamperedConfirm = "accepts-tampered-confirm"
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

/// What the customer agreed to, seen on the wire: the proposals offered and the accept sent.
final class Agreement: @unchecked Sendable {
    private let lock = NSLock()
    private var offered: [ProposalID: Proposal] = [:]
    private var accepted: Message.Accept?

    func saw(_ envelope: Envelope) {
        lock.lock()
        defer { lock.unlock() }
        switch envelope.message {
        case .offer(let offer), .counterOffer(let offer):
            for proposal in offer.proposals { offered[proposal.id] = proposal }
        case .decline(let decline):
            for proposal in decline.proposals { offered[proposal.id] = proposal }
        case .accept(let accept):
            accepted = accept
        default:
            break
        }
    }

    /// `confirm` with every term but proposal, service and slot put back to the agreed one.
    func mended(_ confirm: Message.Confirm) -> Message.Confirm {
        lock.lock()
        defer { lock.unlock() }
        guard let accept = accepted, let proposal = offered[accept.proposal], confirm.status == .booked else { return confirm }
        var mended = confirm
        mended.price = proposal.price(withAddOns: accept.addOns)
        mended.cancellation = proposal.cancellation
        mended.addOns = accept.addOns
        mended.location = proposal.location
        mended.timeZone = proposal.timeZone
        mended.revision = 0
        mended.fee = nil
        return mended
    }
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
case .acceptsExpiredOffer, .disclosesUngrantedField, .acceptsTamperedConfirm:
    let agreement = Agreement()
    let transport = TamperedTransport(
        base: stdio,
        inboundRewrite: { envelope in
            if defect == .acceptsTamperedConfirm {
                agreement.saw(envelope)
                guard case .confirm(let confirm) = envelope.message else { return envelope }
                let mended = agreement.mended(confirm)
                guard mended != confirm else { return envelope }
                // The defect hides the changed terms from the agent; it re-signs with the S1 salon's
                // published test key, so that only the terms check (not the signature) could catch it.
                let resigned = mended.signed(
                    with: World.salonSigningKey, session: envelope.session, company: envelope.from, customer: envelope.to)
                return replacing(envelope, with: .confirm(resigned))
            }
            guard defect == .acceptsExpiredOffer, case .offer(var offer) = envelope.message else { return envelope }
            let now = clock.now
            for index in offer.proposals.indices where offer.proposals[index].expiresAt <= now {
                offer.proposals[index].expiresAt = now.adding(seconds: 86_400)
            }
            return replacing(envelope, with: .offer(offer))
        },
        outboundRewrite: { envelope in
            agreement.saw(envelope)
            guard defect == .disclosesUngrantedField, case .disclose(var disclose) = envelope.message else { return envelope }
            disclose.data[.email] = World.lisasData[.email]
            return replacing(envelope, with: .disclose(disclose))
        })
    let peer: AgentID = "salon.example/bot"
    let agent = CustomerAgent(
        id: World.lisa, wishes: Scenarios.haircutWishes(on: tomorrow), policy: World.bookingOnlyPolicy, personalData: World.lisasData,
        consentKey: World.lisasKey, clock: clock, signingKey: World.lisasSigningKey, trustedCompanyKeys: World.trustedCompanyKeys)
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
