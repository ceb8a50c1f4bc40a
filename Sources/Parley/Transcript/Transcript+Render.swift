extension Transcript {
    /// The session as a dialogue for people, one line per envelope, each ending in a line feed:
    ///
    /// ```text
    /// 09:00:00  assistant.example/lisa → salon.example/bot  request: haircut, 3 May 08:00–18:00 Europe/Berlin, ideally 12:00
    /// 09:00:01  salon.example/bot → assistant.example/lisa  offer: p2 haircut-women 3 May 10:00–10:45 Europe/Berlin, 45.00 EUR
    /// ```
    ///
    /// Times are shown in the company's time zone (``companyTimeZone``) when the messages state
    /// one, otherwise in UTC; proposals and confirmations use their own `timeZone`. Free text from
    /// the peer is shown on one line and shortened; personal data is left out (see ``Transcript``).
    public func render() -> String {
        render(timeZone: companyTimeZone ?? "UTC")
    }

    /// The dialogue of ``render()`` with send times and request windows shown in `timeZone`
    /// (an IANA name; UTC if the platform does not know it).
    public func render(timeZone: String) -> String {
        let clock = ZoneClock(identifier: timeZone)
        // Dates in the transcript's own year are shown without it; any other year is spelled out.
        let formatter = DialogueFormatter(clock: clock, year: envelopes.first.map { clock.local($0.sentAt).year })
        var text = ""
        for envelope in envelopes {
            text += formatter.line(for: envelope)
            text += "\n"
        }
        return text
    }
}

/// Writes one line of a transcript dialogue: one small formatter per message type.
struct DialogueFormatter {
    /// The clock for send times and for instants that carry no zone of their own.
    let clock: ZoneClock
    /// The transcript's year: dates in another year show it.
    var year: Int? = nil

    /// `09:00:00  from → to  sentence`.
    func line(for envelope: Envelope) -> String {
        let sent = envelope.sentAt
        let offset = clock.isAmbiguous(sent) ? " (UTC\(clock.offsetText(at: sent)))" : ""
        return "\(clock.local(sent).secondText)\(offset)  \(envelope.from) → \(envelope.to)  \(sentence(for: envelope.message))"
    }

    /// `kind: what it says`.
    func sentence(for message: Message) -> String {
        let detail: String
        switch message {
        case .hello(let hello): detail = describe(hello)
        case .request(let request), .counterRequest(let request): detail = describe(request)
        case .question(let question): detail = describe(question)
        case .answer(let answer): detail = describe(answer)
        case .offer(let offer), .counterOffer(let offer): detail = describe(offer.proposals)
        case .accept(let accept): detail = describe(accept)
        case .reject(let reject): detail = describe(reject)
        case .confirm(let confirm): detail = describe(confirm)
        case .decline(let decline): detail = describe(decline)
        case .cancel(let cancel): detail = describe(cancel)
        case .reschedule(let reschedule): detail = describe(reschedule)
        case .consentRequest(let request): detail = describe(request)
        case .consentGrant(let grant): detail = describe(grant)
        case .consentDeny(let deny): detail = describe(deny)
        case .consentRevoke(let revoke): detail = describe(revoke)
        case .disclose(let disclose): detail = describe(disclose)
        case .handoff(let handoff): detail = describe(handoff)
        case .error(let report): detail = describe(report)
        case .close(let close): detail = describe(close)
        }
        return "\(message.kind): \(detail)"
    }

    // MARK: Negotiation

    func describe(_ hello: Message.Hello) -> String {
        var parts = ["\(hello.role), speaks \(hello.versions.map { "v\($0)" }.joined(separator: ", "))"]
        if let name = hello.name { parts.append("named \(quoted(name))") }
        if !hello.services.isEmpty { parts.append("offers \(hello.services.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }

    func describe(_ request: Message.Request) -> String {
        var parts = [request.service]
        parts.append(spans(request.windows))
        if let preferred = request.preferredStart { parts.append("ideally \(clock.timeText(preferred))") }
        if let minutes = request.durationMinutes { parts.append("\(minutes) min") }
        if let size = request.partySize { parts.append("for \(size)") }
        if let ceiling = request.priceCeiling { parts.append("at most \(ceiling)") }
        if let location = request.location { parts.append("at \(quoted(location))") }
        if let deadline = request.concludeBy { parts.append("decide by \(clock.dayAndTime(deadline, year: year))") }
        return parts.joined(separator: ", ")
    }

    func describe(_ question: Message.Question) -> String {
        var text = "\(question.id) about \(question.topic), \(quoted(question.text))"
        if !question.options.isEmpty {
            let options = question.options.map { "\(singleLine($0.value, limit: 60)) \(quoted($0.label))" }
            text += "; options: \(options.joined(separator: ", "))"
        }
        return text
    }

    func describe(_ answer: Message.Answer) -> String {
        "to \(answer.question), \(quoted(answer.value))"
    }

    /// `p2 haircut-women 3 May 10:00–10:45 Europe/Berlin, 45.00 EUR; p3 …`.
    func describe(_ proposals: [Proposal]) -> String {
        proposals.map(describe).joined(separator: "; ")
    }

    func describe(_ proposal: Proposal) -> String {
        let zone = ZoneClock(identifier: proposal.timeZone)
        var text =
            "\(proposal.id) \(proposal.service) \(zone.span(from: proposal.slot.start, to: proposal.slot.end, year: year)), \(proposal.price)"
        for requirement in proposal.requires {
            text += ", needs \(fieldList(requirement.fields)) for \(requirement.purpose)"
        }
        if !proposal.addOns.isEmpty {
            let addOns = proposal.addOns.map { $0.promotional ? "\($0.id) (promotional)" : "\($0.id)" }
            text += ", add-ons \(addOns.joined(separator: ", "))"
        }
        return text
    }

    func describe(_ accept: Message.Accept) -> String {
        var text = "\(accept.proposal)"
        if !accept.addOns.isEmpty { text += " with \(accept.addOns.map(\.rawValue).joined(separator: ", "))" }
        for grant in accept.grants { text += "; grants \(describe(grant))" }
        for disclosure in accept.disclosures { text += "; discloses \(describe(disclosure))" }
        return text
    }

    func describe(_ reject: Message.Reject) -> String {
        let which = reject.proposals.isEmpty ? "all proposals" : reject.proposals.map(\.rawValue).joined(separator: ", ")
        return "\(which) (\(reject.reason))"
    }

    func describe(_ decline: Message.Decline) -> String {
        var text = decline.reason
        if let reason = decline.text { text += ", \(quoted(reason))" }
        if !decline.proposals.isEmpty { text += "; instead: \(describe(decline.proposals))" }
        return text
    }

    /// The name the booking is held for is personal data: only its presence is shown.
    func describe(_ confirm: Message.Confirm) -> String {
        let zone = ZoneClock(identifier: confirm.timeZone)
        var text =
            "\(confirm.status) \(confirm.booking), \(confirm.service) \(zone.span(from: confirm.slot.start, to: confirm.slot.end, year: year))"
        text += ", \(confirm.price), revision \(confirm.revision)"
        if confirm.heldFor != nil { text += ", held under the disclosed name" }
        if let fee = confirm.fee { text += ", fee \(fee)" }
        return text
    }

    func describe(_ cancel: Message.Cancel) -> String {
        "booking \(cancel.booking)"
    }

    func describe(_ reschedule: Message.Reschedule) -> String {
        var text = "booking \(reschedule.booking) to \(spans(reschedule.windows))"
        if let preferred = reschedule.preferredStart { text += ", ideally \(clock.timeText(preferred))" }
        return text
    }

    // MARK: Consent and data

    func describe(_ request: Message.ConsentRequest) -> String {
        "\(request.id), \(fieldList(request.fields)) for \(request.purpose), kept \(request.retentionDays) days"
    }

    /// The token itself is a bearer credential and is never shown.
    func describe(_ grant: Message.ConsentGrant) -> String {
        var text = "token \(grant.tokenID)"
        if let request = grant.request { text += " for \(request)" }
        text += ", \(fieldList(grant.fields)) for \(grant.purpose), kept \(grant.retentionDays) days"
        text += ", expires \(clock.dayAndTime(grant.expiresAt, year: year)) \(clock.name)"
        return text
    }

    func describe(_ deny: Message.ConsentDeny) -> String {
        "\(deny.request)"
    }

    func describe(_ revoke: Message.ConsentRevoke) -> String {
        "token \(revoke.tokenID)"
    }

    /// Field names only: the values are personal data and must not reach logs.
    func describe(_ disclose: Message.Disclose) -> String {
        "\(fieldList(Array(disclose.data.keys))) under token \(disclose.tokenID)"
    }

    // MARK: Ending

    /// The summary for the human taking over may hold personal context, so only reason and channel are shown.
    func describe(_ handoff: Message.Handoff) -> String {
        "\(handoff.reason), via \(handoff.channel)"
    }

    func describe(_ report: Message.ErrorReport) -> String {
        var text = report.code
        if let offending = report.offending { text += " for \(offending)" }
        text += report.retryable ? " (retryable)" : ""
        text += ", \(quoted(report.text))"
        return text
    }

    func describe(_ close: Message.Close) -> String {
        close.outcome
    }

    // MARK: Pieces

    /// `3 May 10:00–12:00 Europe/Berlin or 4 May 09:00–10:00 Europe/Berlin`.
    func spans(_ windows: [TimeWindow]) -> String {
        windows.map { clock.span(from: $0.start, to: $0.end, year: year) }.joined(separator: " or ")
    }

    /// Sorted, comma-separated field names.
    func fieldList(_ fields: [DataField]) -> String {
        fields.sorted().map(\.rawValue).joined(separator: ", ")
    }

    /// Free text on one line in quotes, shortened to 120 characters.
    func quoted(_ text: String) -> String {
        "“\(singleLine(text, limit: 120))”"
    }
}

/// `text` with every control, line or paragraph separator and bidirectional override replaced by
/// a space, cut to `limit` characters with an ellipsis, so that peer text cannot forge log lines.
func singleLine(_ text: String, limit: Int) -> String {
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
            scalars.append(" ")
        default:
            scalars.append(scalar)
        }
    }
    let clean = String(scalars)
    return clean.count > limit ? String(clean.prefix(limit - 1)) + "…" : clean
}
