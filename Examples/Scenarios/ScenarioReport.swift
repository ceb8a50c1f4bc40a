public import Parley

/// Plain-text reports of a scenario run, for the examples and `parley demo`.
public enum ScenarioReport {
    /// The dialogue of every session, one line per message.
    public static func dialogue(of run: ScenarioRun) -> String {
        run.transcripts.compactMap { try? Transcript(envelopes: $0).render() }.joined(separator: "\n\n")
    }

    /// One line on the booking receipt: whether the company's signature verifies with its key.
    public static func receiptLine(_ booking: Booking) -> String {
        guard let receipt = booking.receipt else { return "Booking receipt: none (the company did not sign its confirmation)." }
        guard receipt.publicKey != nil else {
            return "Booking receipt: signed with key \(receipt.signature.keyID), not checked (no key trusted for \(booking.company))."
        }
        do {
            let key = try receipt.verify()
            return "Booking receipt: signed by \(booking.company) with key \(key.keyID); the signature verifies."
        } catch {
            return "Booking receipt: does NOT verify (\(error.code))."
        }
    }

    /// One paragraph: the outcome and what each company received.
    public static func summary(of run: ScenarioRun) -> String {
        var lines: [String] = []
        switch run.outcome {
        case .booked(let booking):
            let local = LocalTime(timeZone: booking.confirmation.timeZone)
            let when = local?.dayAndClock(booking.confirmation.slot.start) ?? booking.confirmation.slot.start.rfc3339
            lines.append(
                "Outcome: booked \(booking.confirmation.service) at \(booking.company), \(when) \(booking.confirmation.timeZone), "
                    + "\(booking.confirmation.price), reference \(booking.reference)"
                    + (booking.confirmation.heldFor.map { ", held for \($0)" } ?? "") + ".")
            lines.append(receiptLine(booking))
        case .noReservationNeeded(let text, let answers):
            lines.append("Outcome: no reservation needed — \(text)")
            for (topic, answer) in answers.sorted(by: { $0.key < $1.key }) { lines.append("  \(topic): \(answer)") }
        case .handedOff(let handoff):
            lines.append("Outcome: handed off to a person (\(handoff.reason), by \(handoff.channel)). \(handoff.text ?? "")")
        case .cancelled(let booking):
            lines.append(
                "Outcome: cancelled \(booking.reference) at \(booking.company)"
                    + (booking.confirmation.fee.map { ", fee \($0)" } ?? ", no fee") + ".")
        case .revocationDelivered(let token):
            lines.append("Outcome: the revocation of consent \(token) was delivered.")
        case .noAgreement(let reason):
            lines.append("Outcome: no agreement — \(reason.summary)")
        case .failed(let error):
            lines.append("Outcome: failed — \(error)")
        }
        for transcript in run.transcripts {
            let disclosed = PrivacyFacts(transcript: transcript)
            guard let company = transcript.first?.to else { continue }
            let fields = disclosed.disclosedFields.map(\.rawValue).sorted()
            lines.append("Data \(company) received: \(fields.isEmpty ? "none" : fields.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }
}

/// The privacy facts a transcript shows: which fields were disclosed, under which grants.
public struct PrivacyFacts: Sendable {
    /// Every grant in the transcript.
    public var grants: [Message.ConsentGrant] = []
    /// Every disclosure in the transcript.
    public var disclosures: [Message.Disclose] = []

    /// Collects the facts of `transcript`.
    public init(transcript: [Envelope]) {
        for envelope in transcript {
            switch envelope.message {
            case .consentGrant(let grant): grants.append(grant)
            case .disclose(let disclose): disclosures.append(disclose)
            case .accept(let accept):
                grants += accept.grants
                disclosures += accept.disclosures
            default: break
            }
        }
    }

    /// The fields disclosed, across all disclosures.
    public var disclosedFields: Set<DataField> { Set(disclosures.flatMap(\.data.keys)) }

    /// Whether every disclosed field is covered by the grant it was disclosed under.
    public var everyDisclosureIsGranted: Bool {
        disclosures.allSatisfy { disclose in
            guard let grant = grants.first(where: { $0.tokenID == disclose.tokenID }) else { return false }
            return disclose.data.keys.allSatisfy(grant.fields.contains)
        }
    }
}
