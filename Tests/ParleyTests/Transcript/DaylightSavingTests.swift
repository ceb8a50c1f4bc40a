import Foundation
import Testing

@testable import Parley

/// Issue 13 §D: local times around daylight-saving changes (Europe/Berlin, 2027) are resolved
/// explicitly, exported to iCalendar exactly, and shown unambiguously in transcripts.
@Suite("Daylight saving")
struct DaylightSavingTests {
    static let berlin = LocalTime(timeZone: "Europe/Berlin")!
    /// 31 October 2027: clocks go back from 03:00 CEST to 02:00 CET, so 02:15 happens twice.
    static let firstQuarterPastTwo = Instant(rfc3339: "2027-10-31T00:15:00Z")!  // 02:15 CEST
    static let secondQuarterPastTwo = Instant(rfc3339: "2027-10-31T01:15:00Z")!  // 02:15 CET
    /// 28 March 2027: clocks go forward from 02:00 CET to 03:00 CEST; 03:15 CEST is just after the gap.
    static let afterTheGap = Instant(rfc3339: "2027-03-28T01:15:00Z")!

    static func confirm(at start: Instant, minutes: Int = 45) -> Message.Confirm {
        Message.Confirm(
            booking: "B-1", status: .booked, proposal: "p1", service: "haircut-women",
            slot: Slot(start: start, end: start.adding(minutes: minutes)), timeZone: "Europe/Berlin",
            price: Money(amount: 4500, currency: "EUR"), cancellation: CancellationPolicy(freeUntilMinutesBefore: 1440, fee: nil),
            location: nil, heldFor: nil, revision: 0, agreementDigest: String(repeating: "a", count: 64))
    }

    static func lines(_ start: Instant, minutes: Int = 45) -> [String] {
        CalendarEventTests.unfolded(CalendarEventTests.ics(confirm(at: start, minutes: minutes)))
    }

    @Test("a wall-clock time in an overlap or a gap is resolved only as the caller says")
    func resolution() {
        #expect(
            Self.berlin.instants(year: 2027, month: 10, day: 31, hour: 2, minute: 15) == [
                Self.firstQuarterPastTwo, Self.secondQuarterPastTwo,
            ])
        #expect(Self.berlin.instant(year: 2027, month: 10, day: 31, hour: 2, minute: 15, resolving: .earlier) == Self.firstQuarterPastTwo)
        #expect(Self.berlin.instant(year: 2027, month: 10, day: 31, hour: 2, minute: 15, resolving: .later) == Self.secondQuarterPastTwo)
        #expect(Self.berlin.instant(year: 2027, month: 10, day: 31, hour: 2, minute: 15, resolving: .refuse) == nil)
        // 02:30 on 28 March 2027 does not exist.
        #expect(Self.berlin.instants(year: 2027, month: 3, day: 28, hour: 2, minute: 30).isEmpty)
        #expect(Self.berlin.instant(year: 2027, month: 3, day: 28, hour: 2, minute: 30, resolving: .refuse) == nil)
        #expect(
            Self.berlin.instant(year: 2027, month: 3, day: 28, hour: 2, minute: 30, resolving: .earlier)
                == Instant(rfc3339: "2027-03-28T00:30:00Z"))
        #expect(
            Self.berlin.instant(year: 2027, month: 3, day: 28, hour: 2, minute: 30, resolving: .later)
                == Instant(rfc3339: "2027-03-28T01:30:00Z"))
        // The form without `resolving:` is documented as `.later`.
        #expect(Self.berlin.instant(year: 2027, month: 10, day: 31, hour: 2, minute: 15) == Self.secondQuarterPastTwo)
        #expect(Self.berlin.instant(year: 2027, month: 3, day: 28, hour: 2, minute: 30) == Instant(rfc3339: "2027-03-28T01:30:00Z"))
        // An ordinary time has one instant whatever the resolution.
        #expect(
            Self.berlin.instant(year: 2027, month: 10, day: 31, hour: 10, resolving: .refuse) == Instant(rfc3339: "2027-10-31T09:00:00Z"))
        #expect(Self.berlin.isAmbiguous(Self.secondQuarterPastTwo) && !Self.berlin.isAmbiguous(Self.afterTheGap))
    }

    @Test("the second 02:15 is exported in UTC, the first with its TZID and the summer rule")
    func repeatedHourInICalendar() {
        let second = Self.lines(Self.secondQuarterPastTwo)
        #expect(second.contains("DTSTART:20271031T011500Z"), "\(second)")
        #expect(second.contains("DTEND:20271031T020000Z"))
        #expect(!second.contains { $0.hasPrefix("DTSTART;TZID=") })
        // The first 02:15 for 30 minutes: start and end are first occurrences, which TZID names.
        let first = Self.lines(Self.firstQuarterPastTwo, minutes: 30)
        #expect(first.contains("DTSTART;TZID=Europe/Berlin:20271031T021500"))
        #expect(first.contains("DTEND;TZID=Europe/Berlin:20271031T024500"))
        // For 45 minutes it ends at 02:00 CET, the second 02:00: a TZID form would name the first,
        // so both go in UTC.
        #expect(Self.lines(Self.firstQuarterPastTwo).contains("DTSTART:20271031T001500Z"))
        let zone = CalendarEventTests.component("VTIMEZONE", in: second)
        #expect(zone.filter { $0.hasPrefix("BEGIN:") } == ["BEGIN:DAYLIGHT", "BEGIN:STANDARD"], "\(zone)")
    }

    @Test("an event just after the spring gap keeps its TZID and both rules")
    func springGapInICalendar() {
        let lines = Self.lines(Self.afterTheGap)
        #expect(lines.contains("DTSTART;TZID=Europe/Berlin:20270328T031500"))
        let zone = CalendarEventTests.component("VTIMEZONE", in: lines)
        #expect(zone.filter { $0.hasPrefix("BEGIN:") }.prefix(2) == ["BEGIN:STANDARD", "BEGIN:DAYLIGHT"], "\(zone)")
    }

    @Test("transcripts show the year when it differs and the UTC offset of a repeated hour")
    func transcriptText() {
        let zone = ZoneClock(identifier: "Europe/Berlin")
        #expect(
            zone.span(from: Self.secondQuarterPastTwo, to: Self.secondQuarterPastTwo.adding(minutes: 45), year: 2026)
                == "31 Oct 2027 02:15 (UTC+01:00)–03:00 Europe/Berlin")
        #expect(
            zone.span(from: Self.firstQuarterPastTwo, to: Self.firstQuarterPastTwo.adding(minutes: 30), year: 2027)
                == "31 Oct 02:15 (UTC+02:00)–02:45 (UTC+02:00) Europe/Berlin")
        #expect(zone.dayAndTime(Self.afterTheGap, year: 2027) == "28 Mar 03:15")
    }

    @Test("a dialogue sent during the repeated hour shows each send time's UTC offset")
    func dialogueInTheRepeatedHour() throws {
        let envelopes = [Self.firstQuarterPastTwo, Self.secondQuarterPastTwo].enumerated().map { index, instant in
            Envelope(
                id: MessageID(stringLiteral: "c\(index + 1)"), session: "s-dst", from: "assistant.example/lisa", to: "salon.example/bot",
                sequence: index + 1, sentAt: instant,
                message: index == 0 ? .hello(.init(role: .customer)) : .close(.init(outcome: "done")))
        }
        let lines = try Transcript(envelopes: envelopes).render(timeZone: "Europe/Berlin").split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("02:15:00 (UTC+02:00)  ") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("02:15:00 (UTC+01:00)  ") == true, "\(lines)")
    }

    /// Writes the daylight-saving samples for `Tests/interop/check_ics.py` when `PARLEY_ICS_OUT` names a directory.
    @Test("writes the daylight-saving samples for the Python interop check when PARLEY_ICS_OUT is set")
    func writeSamples() throws {
        guard let directory = ProcessInfo.processInfo.environment["PARLEY_ICS_OUT"], !directory.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let samples = [
            ("dst-2027-03-28-0315.ics", Self.afterTheGap), ("dst-2027-10-31-0215-first.ics", Self.firstQuarterPastTwo),
            ("dst-2027-10-31-0215-second.ics", Self.secondQuarterPastTwo),
        ]
        for (name, start) in samples {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            try Data(CalendarEventTests.ics(Self.confirm(at: start, minutes: 30)).utf8).write(to: url)
        }
    }
}
