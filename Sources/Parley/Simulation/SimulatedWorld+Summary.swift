extension SimulatedWorld {
    /// Counts outcomes and checks every invariant.
    func summary() async -> SimulationSummary {
        var summary = self.summary
        for injector in injectors.values {
            summary.envelopesSent += injector.counters.sent
            summary.dropped += injector.counters.dropped
            summary.duplicated += injector.counters.duplicated
            summary.reordered += injector.counters.reordered
            summary.corrupted += injector.counters.corrupted
        }
        let bookings = await store.activeBookings()
        for (index, booking) in bookings.enumerated() where index + 1 < bookings.count {
            if booking.slot.overlaps(bookings[index + 1].slot) { summary.doubleBookings += 1 }
        }
        for (customer, session) in sessions {
            guard let agent = customers[customer] else { continue }
            guard let outcome = await agent.outcome(of: session), await agent.isFinished(session) else {
                summary.hungSessions += 1
                continue
            }
            switch outcome {
            case .booked(let booking):
                summary.agreements += 1
                let stored = await store.booking(booking.reference)
                if stored?.slot != booking.confirmation.slot || stored?.customer != customer { summary.disagreements += 1 }
            case .noAgreement(let reason):
                summary.cleanEndings["no agreement: \(Self.reasonKey(reason))", default: 0] += 1
            case .failed(let error):
                summary.cleanEndings["failed: \(error.code.wireValue)", default: 0] += 1
            case .cancelled:
                summary.cleanEndings["cancelled", default: 0] += 1
            case .revocationDelivered:
                summary.cleanEndings["revocation delivered", default: 0] += 1
            case .noReservationNeeded:
                summary.cleanEndings["no reservation needed", default: 0] += 1
            case .handedOff:
                summary.cleanEndings["handed off", default: 0] += 1
            }
            let transcript = await company.transcript(of: session)
            let facts = (grants: transcript.flatMap(Self.grants), disclosures: transcript.flatMap(Self.disclosures))
            for disclosure in facts.disclosures {
                let grant = facts.grants.first { $0.tokenID == disclosure.tokenID }
                summary.disclosuresOutsideGrant += disclosure.data.keys.filter { grant?.fields.contains($0) != true }.count
            }
        }
        return summary
    }

    /// The reason without per-session details (times, ids), so counts group.
    /// The summary's key for a reason: the company's decline reason, else the reason in words.
    static func reasonKey(_ reason: NoAgreementReason) -> String {
        switch reason {
        case .declined(let reason, _): return reason.rawValue
        case .noSuitableProposal: return "no suitable proposal"
        default: return reason.summary
        }
    }

    static func grants(_ envelope: Envelope) -> [Message.ConsentGrant] {
        switch envelope.message {
        case .consentGrant(let grant): return [grant]
        case .accept(let accept): return accept.grants
        default: return []
        }
    }

    static func disclosures(_ envelope: Envelope) -> [Message.Disclose] {
        switch envelope.message {
        case .disclose(let disclose): return [disclose]
        case .accept(let accept): return accept.disclosures
        default: return []
        }
    }
}
