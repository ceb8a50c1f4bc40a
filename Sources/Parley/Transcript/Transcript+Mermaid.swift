extension Transcript {
    /// The session as a Mermaid sequence diagram, for documentation and bug reports:
    ///
    /// ```text
    /// sequenceDiagram
    ///     participant C as assistant.example/lisa
    ///     participant K as salon.example/bot
    ///     Note over C,K: session s-0001, times in Europe/Berlin
    ///     C->>K: request haircut 08:00–18:00
    ///     K->>C: offer p2 10:00
    ///     K-xC: error invalid-field
    /// ```
    ///
    /// `C` is the customer agent and `K` the company agent. Each envelope is one arrow with a short
    /// label; `error` messages use the cross arrow `-x`. Times are local to the company's time
    /// zone, as in ``render()``. Text is escaped with Mermaid entity codes (`#59;` for `;`,
    /// `#35;` for `#`, `#quot;` for `"`), and no personal data appears.
    public func mermaid() -> String {
        let clock = ZoneClock(identifier: companyTimeZone ?? "UTC")
        let labels = DiagramLabeler(clock: clock)
        var lines = [
            "sequenceDiagram",
            "    participant C as \(mermaidEscaped(customer.rawValue))",
            "    participant K as \(mermaidEscaped(company.rawValue))",
            "    Note over C,K: \(mermaidEscaped("session \(session), times in \(clock.name)"))",
        ]
        for envelope in envelopes {
            let (from, to) = envelope.from == customer ? ("C", "K") : ("K", "C")
            let arrow: String
            switch envelope.message {
            case .error: arrow = "-x"
            case .hello, .request, .counterRequest, .question, .answer, .offer, .counterOffer, .accept, .reject, .confirm,
                .decline, .cancel, .reschedule, .consentRequest, .consentGrant, .consentDeny, .consentRevoke, .disclose,
                .handoff, .close:
                arrow = "->>"
            }
            lines.append("    \(from)\(arrow)\(to): \(mermaidEscaped(labels.label(for: envelope.message)))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Writes the short arrow label of each message type for ``Transcript/mermaid()``.
struct DiagramLabeler {
    /// The clock for instants that carry no zone of their own.
    let clock: ZoneClock

    /// `offer p2 10:00`.
    func label(for message: Message) -> String {
        let detail: String
        switch message {
        case .hello(let hello): detail = hello.versions.map { "v\($0)" }.joined(separator: ",")
        case .request(let request), .counterRequest(let request): detail = "\(request.service) \(windows(request.windows))"
        case .question(let question): detail = question.topic
        case .answer(let answer): detail = singleLine(answer.value, limit: 40)
        case .offer(let offer), .counterOffer(let offer): detail = proposals(offer.proposals)
        case .accept(let accept): detail = accept.proposal.rawValue
        case .reject(let reject):
            detail = (reject.proposals.isEmpty ? "all" : reject.proposals.map(\.rawValue).joined(separator: ",")) + " \(reject.reason)"
        case .confirm(let confirm):
            detail = "\(confirm.status) \(confirm.booking) \(ZoneClock(identifier: confirm.timeZone).local(confirm.slot.start).minuteText)"
        case .decline(let decline):
            detail = decline.proposals.isEmpty ? decline.reason : "\(decline.reason) \(proposals(decline.proposals))"
        case .cancel(let cancel): detail = cancel.booking.rawValue
        case .reschedule(let reschedule): detail = "\(reschedule.booking) \(windows(reschedule.windows))"
        case .consentRequest(let request): detail = "\(fields(request.fields)) for \(request.purpose)"
        case .consentGrant(let grant): detail = "\(fields(grant.fields)) for \(grant.purpose)"
        case .consentDeny(let deny): detail = deny.request.rawValue
        case .consentRevoke(let revoke): detail = revoke.tokenID.rawValue
        case .disclose(let disclose): detail = fields(Array(disclose.data.keys))
        case .handoff(let handoff): detail = "\(handoff.reason) via \(handoff.channel)"
        case .error(let report): detail = report.code
        case .close(let close): detail = close.outcome
        }
        return "\(message.kind) \(detail)"
    }

    /// `p1 13:15, p2 14:00`, each in its proposal's zone.
    func proposals(_ proposals: [Proposal]) -> String {
        proposals.map { "\($0.id) \(ZoneClock(identifier: $0.timeZone).local($0.slot.start).minuteText)" }.joined(separator: ", ")
    }

    /// `10:00–12:00` (one time when a window asks for exactly that time).
    func windows(_ windows: [TimeWindow]) -> String {
        windows.map { window in
            let start = clock.local(window.start).minuteText, end = clock.local(window.end).minuteText
            return window.start == window.end ? start : "\(start)–\(end)"
        }.joined(separator: ", ")
    }

    /// `email, givenName`.
    func fields(_ fields: [DataField]) -> String {
        fields.sorted().map(\.rawValue).joined(separator: ", ")
    }
}

/// `text` on one line with the characters Mermaid would read as syntax replaced by entity codes:
/// `#` (entity start), `;` (statement end), `"`, `<` and `>`.
func mermaidEscaped(_ text: String) -> String {
    var out = ""
    for character in singleLine(text, limit: 200) {
        switch character {
        case "#": out += "#35;"
        case ";": out += "#59;"
        case "\"": out += "#quot;"
        case "<": out += "#lt;"
        case ">": out += "#gt;"
        default: out.append(character)
        }
    }
    return out
}
