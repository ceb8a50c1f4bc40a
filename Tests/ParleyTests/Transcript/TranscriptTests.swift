import Testing

@testable import Parley

@Suite("Transcript: dialogue and sequence diagram")
struct TranscriptTests {
    @Test("render: one line per message, times in the company's zone, sentences per type")
    func renderLines() throws {
        let transcript = try TranscriptSample.transcript()
        #expect(transcript.companyTimeZone == "Europe/Berlin")
        let text = transcript.render()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == TranscriptSample.messages.count)
        #expect(text.hasSuffix("\n"))

        let expected = [
            "11:00:00  assistant.example/lisa → salon.example/bot  hello: customer, speaks v1",
            "11:00:02  assistant.example/lisa → salon.example/bot  request: haircut, 3 May 12:00–12:00 Europe/Berlin, ideally 12:00, at most 60.00 EUR",
            "11:00:03  salon.example/bot → assistant.example/lisa  counter-offer: p1 haircut-women 3 May 13:15–14:00 Europe/Berlin, 45.00 EUR, needs givenName for booking",
            "11:00:04  assistant.example/lisa → salon.example/bot  counter-request: haircut, 3 May 10:00–12:00 Europe/Berlin",
            "11:00:05  salon.example/bot → assistant.example/lisa  question: q1 about service, “Which service exactly?”; options: haircut-women “Women's haircut”, haircut-men “Men's haircut”",
            "11:00:06  assistant.example/lisa → salon.example/bot  answer: to q1, “haircut-women”",
            "11:00:07  salon.example/bot → assistant.example/lisa  offer: p2 haircut-women 3 May 10:00–10:45 Europe/Berlin, 45.00 EUR, needs givenName for booking",
            "11:00:08  assistant.example/lisa → salon.example/bot  accept: p2",
            "11:00:09  salon.example/bot → assistant.example/lisa  consent-request: cr1, givenName for booking, kept 30 days",
            "11:00:10  assistant.example/lisa → salon.example/bot  consent-grant: token t-1 for cr1, givenName for booking, kept 30 days, expires 3 May 23:00 Europe/Berlin",
            "11:00:11  assistant.example/lisa → salon.example/bot  disclose: givenName under token t-1",
            "11:00:12  salon.example/bot → assistant.example/lisa  confirm: booked B-1, haircut-women 3 May 10:00–10:45 Europe/Berlin, 45.00 EUR, revision 0, held under the disclosed name",
            "11:00:13  assistant.example/lisa → salon.example/bot  error: agreement-mismatch for m-13, “digest differs forged line”",
            "11:00:14  assistant.example/lisa → salon.example/bot  close: booked",
        ]
        for line in expected {
            #expect(lines.contains(line), "missing line: \(line)")
        }
    }

    @Test("render: personal data and the token never appear")
    func renderKeepsPersonalDataOut() throws {
        let transcript = try TranscriptSample.transcript()
        for text in [transcript.render(), transcript.render(timeZone: "UTC"), transcript.mermaid()] {
            #expect(!text.contains("Lisa"))
            #expect(!text.contains("AgEOaHR0cDovL215YmFuay8"))
        }
        // Disclosures riding on an accept are shown by field name too.
        let accept = Message.accept(
            .init(proposal: "p2", disclosures: [.init(tokenID: "t-2", data: [.email: "lisa@example.org", .givenName: "Lisa"])]))
        let sentence = DialogueFormatter(clock: .utc).sentence(for: accept)
        #expect(sentence == "accept: p2; discloses email, givenName under token t-2")
    }

    @Test("render: without a stated zone times are UTC; unknown zones fall back to UTC")
    func renderInUTC() throws {
        var transcript = Transcript(session: TranscriptSample.session, customer: TranscriptSample.customer, company: TranscriptSample.salon)
        try transcript.append(TranscriptSample.envelopes[0])
        #expect(transcript.companyTimeZone == nil)
        #expect(transcript.render() == "09:00:00  assistant.example/lisa → salon.example/bot  hello: customer, speaks v1\n")
        #expect(transcript.render(timeZone: "Mars/Olympus_Mons").hasPrefix("09:00:00  "))
    }

    @Test("peer text cannot break the line: controls and separators become spaces")
    func singleLineText() {
        #expect(singleLine("a\nb\r\nc\u{2028}d\u{202E}e", limit: 100) == "a b  c d e")
        #expect(singleLine(String(repeating: "x", count: 10), limit: 5) == "xxxx…")
    }

    @Test("append refuses envelopes of another session or other agents")
    func appendChecksAddress() throws {
        var transcript = Transcript(session: "other", customer: TranscriptSample.customer, company: TranscriptSample.salon)
        let envelope = TranscriptSample.envelopes[0]
        #expect(throws: ParleyError.self) { try transcript.append(envelope) }
        #expect(transcript.envelopes.isEmpty)

        var stranger = Transcript(session: TranscriptSample.session, customer: "someone.example/else", company: TranscriptSample.salon)
        do {
            try stranger.append(envelope)
            Issue.record("expected misaddressed")
        } catch {
            #expect(error.code == .misaddressed)
            #expect(error.fault == .local)
        }

        let derived = try Transcript(envelopes: TranscriptSample.envelopes)
        #expect(derived.customer == TranscriptSample.customer && derived.company == TranscriptSample.salon)
        #expect(derived.envelopes.count == TranscriptSample.messages.count)
        #expect(derived.role(of: TranscriptSample.salon) == .company)
        #expect(derived.role(of: "nobody") == nil)
    }

    @Test("mermaid: participants, one arrow per message, errors as crosses, escaping")
    func mermaidDiagram() throws {
        let transcript = try TranscriptSample.transcript()
        let diagram = transcript.mermaid()
        let lines = diagram.split(separator: "\n").map(String.init)
        #expect(lines.first == "sequenceDiagram")
        #expect(lines.contains("    participant C as assistant.example/lisa"))
        #expect(lines.contains("    participant K as salon.example/bot"))
        let arrows = lines.filter { $0.contains("->>") || $0.contains("-x") }
        #expect(arrows.count == transcript.envelopes.count)
        for line in [
            "    C->>K: request haircut 12:00",
            "    K->>C: counter-offer p1 13:15",
            "    C->>K: counter-request haircut 10:00–12:00",
            "    K->>C: question service",
            "    K->>C: offer p2 10:00",
            "    C->>K: accept p2",
            "    C->>K: disclose givenName",
            "    K->>C: confirm booked B-1 10:00",
            "    C-xK: error agreement-mismatch",
        ] {
            #expect(lines.contains(line), "missing line: \(line)")
        }
        // Only the declared syntax: no raw `;`, `#` (outside entity codes) or quotes in labels.
        #expect(mermaidEscaped("Salon \"Schnitt\"; #1") == "Salon #quot;Schnitt#quot;#59; #35;1")
        for line in lines.dropFirst() {
            #expect(!line.contains("\""))
            #expect(!line.replacing(#/#[a-z0-9]+;/#, with: "").contains(";"))
        }
    }

    @Test("every message type has a sentence and a label")
    func everyKind() {
        let formatter = DialogueFormatter(clock: ZoneClock(identifier: "Europe/Berlin"))
        let labeler = DiagramLabeler(clock: ZoneClock(identifier: "Europe/Berlin"))
        for kind in Message.Kind.allCases {
            let message = SampleMessages.message(kind, role: .customer)
            #expect(formatter.sentence(for: message).hasPrefix("\(kind): "))
            #expect(labeler.label(for: message).hasPrefix("\(kind) "))
            #expect(!formatter.sentence(for: message).contains("Lisa"))
        }
    }
}
