import Foundation
import Testing

@testable import Parley

@Suite("Calendar export (RFC 5545 / RFC 5546)")
struct CalendarEventTests {
    static let now = Instant(rfc3339: "2026-04-30T09:00:00Z")!
    static let organizer = CalendarEvent.Organizer(name: "Salon \"Schnitt\", Berlin", address: "mailto:bookings@salon.example")

    static func ics(_ confirm: Message.Confirm, summary: String = "Women's haircut") -> String {
        ICalendar.event(for: confirm, company: TranscriptSample.salon, summary: summary, organizer: organizer, now: now)
    }

    /// Unfolded content lines (RFC 5545 §3.1).
    static func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// The lines of the component `name` (first occurrence), BEGIN and END excluded.
    static func component(_ name: String, in lines: [String]) -> [String] {
        guard let begin = lines.firstIndex(of: "BEGIN:\(name)"), let end = lines[begin...].firstIndex(of: "END:\(name)") else { return [] }
        return Array(lines[(begin + 1)..<end])
    }

    @Test("booked: calendar, event, local start in Europe/Berlin, VTIMEZONE with CEST")
    func booked() {
        let text = Self.ics(TranscriptSample.confirm())
        let lines = Self.unfolded(text)
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        for line in [
            "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "PRODID:-//Parley//Parley Booking Calendar 1.0//EN",
        ] {
            #expect(lines.contains(line), "missing \(line)")
        }
        let event = Self.component("VEVENT", in: lines)
        for line in [
            "UID:B-1@salon.example%2Fbot", "DTSTAMP:20260430T090000Z", "DTSTART;TZID=Europe/Berlin:20260503T100000",
            "DTEND;TZID=Europe/Berlin:20260503T104500", "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Women's haircut",
            "LOCATION:Hauptstraße 1\\, Berlin", "ORGANIZER;CN=\"Salon 'Schnitt', Berlin\":mailto:bookings@salon.example",
            "DESCRIPTION:Booking B-1.\\nPrice 45.00 EUR.\\nFree cancellation until 2 May 10:00 Europe/Berlin\\, then 10.00 EUR.",
        ] {
            #expect(event.contains(line), "missing \(line)")
        }
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
        #expect(!text.contains("Lisa"))

        let zone = Self.component("VTIMEZONE", in: lines)
        #expect(zone.first == "TZID:Europe/Berlin")
        let daylight = Self.component("DAYLIGHT", in: zone)
        #expect(daylight.contains("DTSTART:20260329T020000"))
        #expect(daylight.contains("TZOFFSETFROM:+0100"))
        #expect(daylight.contains("TZOFFSETTO:+0200"))
        let standard = Self.component("STANDARD", in: zone)
        #expect(standard.contains("DTSTART:20261025T030000"))
        #expect(standard.contains("TZOFFSETFROM:+0200"))
        #expect(standard.contains("TZOFFSETTO:+0100"))
    }

    @Test("CRLF everywhere and no line longer than 75 octets, never splitting UTF-8")
    func lineEndingsAndFolding() {
        let long = String(repeating: "Ümlaut ✂︎ ", count: 30)
        let text = Self.ics(TranscriptSample.confirm(location: long), summary: long)
        let bytes = Array(text.utf8)
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(index > 0 && bytes[index - 1] == 0x0D)
        }
        for (index, byte) in bytes.enumerated() where byte == 0x0D {
            #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A)
        }
        let physical = text.components(separatedBy: "\r\n").dropLast()
        for line in physical {
            #expect(line.utf8.count <= 75, "\(line.utf8.count) octets: \(line)")
            // Each physical line is valid UTF-8 on its own.
            #expect(String(validating: Array(line.utf8), as: UTF8.self) != nil)
        }
        #expect(physical.contains { $0.hasPrefix(" ") })
        #expect(Self.unfolded(text).contains("SUMMARY:\(long)"))
    }

    @Test("folding cuts at 75 octets, continuation lines hold a space and 74 more")
    func foldingExact() {
        let folded = ContentLines.folded(String(repeating: "a", count: 200))
        let parts = folded.components(separatedBy: "\r\n").dropLast()
        #expect(parts.map(\.utf8.count) == [75, 75, 52])
        #expect(ContentLines.folded("short") == "short\r\n")
        // A two-octet character that would straddle octet 75 moves to the next line.
        let straddling = ContentLines.folded(String(repeating: "a", count: 74) + "é" + "b")
        #expect(straddling == String(repeating: "a", count: 74) + "\r\n éb\r\n")
    }

    @Test("TEXT escaping: backslash, semicolon, comma, line breaks")
    func escaping() {
        #expect(ContentLines.escapedText("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng")
        #expect(ContentLines.escapedText("tab\there\u{07}") == "tab\there ")
        let text = Self.ics(TranscriptSample.confirm(location: "Room 1; floor 2, back\\side\nupstairs"))
        #expect(Self.unfolded(text).contains("LOCATION:Room 1\\; floor 2\\, back\\\\side\\nupstairs"))
        #expect(ContentLines.parameterValue("plain") == "plain")
        #expect(ContentLines.parameterValue("a:b") == "\"a:b\"")
        #expect(ContentLines.utcOffset(19_800) == "+0530")
        #expect(ContentLines.utcOffset(-12_600) == "-0330")
        #expect(ContentLines.utcOffset(0) == "+0000")
        #expect(ContentLines.utcOffset(3_208) == "+005328")
    }

    @Test("reschedule keeps the UID and raises SEQUENCE")
    func reschedule() {
        let booked = Self.unfolded(Self.ics(TranscriptSample.confirm()))
        let moved = Self.unfolded(Self.ics(TranscriptSample.confirm(status: .rescheduled, at: 11, revision: 1)))
        let uid = booked.first { $0.hasPrefix("UID:") }
        #expect(uid != nil)
        #expect(moved.first { $0.hasPrefix("UID:") } == uid)
        #expect(moved.contains("SEQUENCE:1"))
        #expect(moved.contains("METHOD:PUBLISH"))
        #expect(moved.contains("STATUS:CONFIRMED"))
        #expect(moved.contains("DTSTART;TZID=Europe/Berlin:20260503T110000"))
    }

    @Test("cancel is an iTIP CANCEL with STATUS:CANCELLED and the same UID")
    func cancel() {
        let cancelled = Self.unfolded(Self.ics(TranscriptSample.confirm(status: .cancelled, at: 11, revision: 2)))
        #expect(cancelled.contains("METHOD:CANCEL"))
        #expect(cancelled.contains("STATUS:CANCELLED"))
        #expect(!cancelled.contains("STATUS:CONFIRMED"))
        #expect(cancelled.contains("SEQUENCE:2"))
        #expect(cancelled.contains("UID:B-1@salon.example%2Fbot"))
    }

    @Test("UIDs percent-encode both parts, so they cannot collide")
    func uid() {
        #expect(CalendarEvent.uid(booking: "B-1", company: "salon.example/bot") == "B-1@salon.example%2Fbot")
        #expect(CalendarEvent.uid(booking: "a@b", company: "c") == "a%40b@c")
    }

    @Test("zones: winter event lists the observance before it; no-DST zones get one STANDARD; unknown zones use UTC")
    func zones() {
        var winter = TranscriptSample.confirm()
        winter.slot = Slot(start: Instant(rfc3339: "2026-02-10T09:00:00Z")!, end: Instant(rfc3339: "2026-02-10T10:00:00Z")!)
        let winterLines = Self.unfolded(Self.ics(winter))
        #expect(winterLines.contains("DTSTART;TZID=Europe/Berlin:20260210T100000"))
        let winterZone = Self.component("VTIMEZONE", in: winterLines)
        #expect(winterZone.filter { $0 == "BEGIN:STANDARD" }.count == 2)
        #expect(winterZone.contains("DTSTART:20251026T030000"))

        var tokyo = TranscriptSample.confirm()
        tokyo.timeZone = "Asia/Tokyo"
        let tokyoLines = Self.unfolded(Self.ics(tokyo))
        #expect(tokyoLines.contains("DTSTART;TZID=Asia/Tokyo:20260503T170000"))
        let tokyoZone = Self.component("VTIMEZONE", in: tokyoLines)
        #expect(tokyoZone.filter { $0.hasPrefix("BEGIN:") } == ["BEGIN:STANDARD"])
        #expect(tokyoZone.contains("TZOFFSETTO:+0900"))

        // Southern hemisphere: in May, Sydney has left DST (5 April 2026) and enters it again on 4 October.
        let sydneyLines = Self.unfolded(Self.ics(Self.sydney))
        #expect(sydneyLines.contains("DTSTART;TZID=Australia/Sydney:20260503T180000"))
        let sydneyZone = Self.component("VTIMEZONE", in: sydneyLines)
        #expect(sydneyZone.filter { $0.hasPrefix("BEGIN:") } == ["BEGIN:STANDARD", "BEGIN:DAYLIGHT"])
        #expect(Self.component("STANDARD", in: sydneyZone).contains("DTSTART:20260405T030000"))
        #expect(Self.component("DAYLIGHT", in: sydneyZone).contains("TZOFFSETTO:+1100"))

        var unknown = TranscriptSample.confirm()
        unknown.timeZone = "Mars/Olympus_Mons"
        let unknownLines = Self.unfolded(Self.ics(unknown))
        #expect(unknownLines.contains("DTSTART:20260503T080000Z"))
        #expect(!unknownLines.contains("BEGIN:VTIMEZONE"))
    }

    /// The S1 booking moved to Australia/Sydney (10:00 Berlin is 18:00 there).
    static var sydney: Message.Confirm {
        var confirm = TranscriptSample.confirm()
        confirm.timeZone = "Australia/Sydney"
        return confirm
    }

    @Test("an event on the day DST starts uses the new offset")
    func dstDay() {
        var confirm = TranscriptSample.confirm()
        confirm.slot = Slot(start: Instant(rfc3339: "2026-03-29T08:00:00Z")!, end: Instant(rfc3339: "2026-03-29T09:00:00Z")!)
        let lines = Self.unfolded(Self.ics(confirm))
        #expect(lines.contains("DTSTART;TZID=Europe/Berlin:20260329T100000"))
        let zone = Self.component("VTIMEZONE", in: lines)
        // Within a day of a change the rule before it is listed too (wall times near the change need it).
        #expect(zone.filter { $0.hasPrefix("BEGIN:") } == ["BEGIN:STANDARD", "BEGIN:DAYLIGHT", "BEGIN:STANDARD"])
        #expect(Self.component("DAYLIGHT", in: zone).contains("DTSTART:20260329T020000"))
    }

    /// Writes sample files for `Tests/interop/check_ics.py` when `PARLEY_ICS_OUT` names a directory.
    @Test("writes S1/S8 samples for the Python interop check when PARLEY_ICS_OUT is set")
    func writeSamples() throws {
        guard let directory = ProcessInfo.processInfo.environment["PARLEY_ICS_OUT"], !directory.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let samples: [(String, Message.Confirm)] = [
            ("s1-booked.ics", TranscriptSample.confirm()),
            ("s8-rescheduled.ics", TranscriptSample.confirm(status: .rescheduled, at: 11, revision: 1)),
            ("s8-cancelled.ics", TranscriptSample.confirm(status: .cancelled, at: 11, revision: 2)),
            ("sydney-booked.ics", Self.sydney),
        ]
        for (name, confirm) in samples {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            try Data(Self.ics(confirm).utf8).write(to: url)
        }
    }
}
