/// A booking as a calendar entry, ready to export as iCalendar (RFC 5545) for the person's
/// calendar app.
///
/// Build one from each `confirm` the company sends and export it with ``iCalendar(stamp:productID:)``.
/// Its ``uid`` depends only on the booking reference and the company agent, so when the booking
/// is rescheduled or cancelled the new export replaces the old entry in the calendar instead of
/// adding a second one; ``sequence`` (the confirm's `revision`) tells the calendar which version
/// is newer.
///
/// ```swift
/// let event = CalendarEvent(confirm: confirm, company: "salon.example/bot", summary: "Women's haircut")
/// let ics = event.iCalendar(stamp: now)   // write to "booking.ics" or hand to the share sheet
/// ```
public struct CalendarEvent: Hashable, Sendable {
    /// The calendar-wide identity of the booking (UID), stable across reschedules and cancellation.
    public var uid: String
    /// The version of the entry (SEQUENCE): 0 when booked, raised at each reschedule or cancellation.
    public var sequence: Int
    /// Booked, rescheduled or cancelled. A cancelled event exports as an iTIP CANCEL.
    public var status: BookingStatus
    /// When the appointment takes place.
    public var slot: Slot
    /// The company's IANA time zone; start and end are exported as local times in it.
    public var timeZone: String
    /// The entry's title (SUMMARY), e.g. "Women's haircut at Salon Lisa & Co".
    public var summary: String
    /// Where (LOCATION).
    public var location: String?
    /// Details for the person (DESCRIPTION): the booking reference, price and cancellation terms.
    public var notes: String?
    /// Who organises the appointment (ORGANIZER).
    public var organizer: Organizer?

    /// Creates an event from its parts.
    public init(
        uid: String, sequence: Int, status: BookingStatus, slot: Slot, timeZone: String, summary: String,
        location: String? = nil, notes: String? = nil, organizer: Organizer? = nil
    ) {
        self.uid = uid
        self.sequence = sequence
        self.status = status
        self.slot = slot
        self.timeZone = timeZone
        self.summary = summary
        self.location = location
        self.notes = notes
        self.organizer = organizer
    }

    /// The event for the booking `confirm` reports, made by the company agent `company`.
    ///
    /// ``notes`` say the booking reference, the price and the cancellation terms. The name the
    /// booking is held under (`heldFor`) is left out: add it to ``summary`` yourself if the
    /// calendar is the person's own.
    public init(confirm: Message.Confirm, company: AgentID, summary: String, organizer: Organizer? = nil) {
        self.init(
            uid: CalendarEvent.uid(booking: confirm.booking, company: company), sequence: confirm.revision,
            status: confirm.status, slot: confirm.slot, timeZone: confirm.timeZone, summary: summary,
            location: confirm.location, notes: CalendarEvent.notes(for: confirm), organizer: organizer)
    }

    /// The UID of `booking` made by `company`: `<booking>@<company>`, each part percent-encoded
    /// outside `A–Z a–z 0–9 - . _ ~`, e.g. `B-1@salon.example%2Fbot`.
    public static func uid(booking: BookingReference, company: AgentID) -> String {
        "\(percentEncoded(booking.rawValue))@\(percentEncoded(company.rawValue))"
    }

    /// The product identifier written when none is given.
    public static let defaultProductID = "-//Parley//Parley Booking Calendar 1.0//EN"

    /// Who organises an event: a display name and a calendar address.
    public struct Organizer: Hashable, Sendable {
        /// The name shown (the CN parameter), e.g. "Salon Lisa & Co".
        public var name: String?
        /// A URI where the organiser is reached, usually `mailto:bookings@salon.example`.
        public var address: String

        /// Creates an organiser.
        public init(name: String? = nil, address: String) {
            self.name = name
            self.address = address
        }
    }
}

extension CalendarEvent {
    /// The event as an iCalendar object: a VCALENDAR with one VEVENT and the VTIMEZONE of
    /// ``timeZone``, CRLF line endings, lines folded at 75 octets.
    ///
    /// A booked or rescheduled event is published (`METHOD:PUBLISH`, `STATUS:CONFIRMED`); a
    /// cancelled one is an iTIP cancellation (`METHOD:CANCEL`, `STATUS:CANCELLED`, RFC 5546).
    /// Start and end are local times in ``timeZone`` (`DTSTART;TZID=Europe/Berlin:20260503T100000`);
    /// if the platform does not know the zone, or either lies in the second occurrence of a repeated
    /// hour (which a TZID form would name the first occurrence of, RFC 5545 §3.3.5), both are
    /// written in UTC instead (`DTSTART:20271031T011500Z`).
    ///
    /// - Parameters:
    ///   - stamp: When the object is created (DTSTAMP), usually now.
    ///   - productID: The PRODID naming your app, e.g. `-//Example Corp//Assistant 2.1//EN`.
    public func iCalendar(stamp: Instant, productID: String = CalendarEvent.defaultProductID) -> String {
        let cancelled: Bool
        switch status {
        case .booked, .rescheduled: cancelled = false
        case .cancelled: cancelled = true
        }
        var lines = ContentLines()
        lines.append("BEGIN", "VCALENDAR")
        lines.append("VERSION", "2.0")
        lines.append("PRODID", text: productID)
        lines.append("CALSCALE", "GREGORIAN")
        lines.append("METHOD", cancelled ? "CANCEL" : "PUBLISH")
        let zone = TimeZoneDefinition(identifier: timeZone, from: slot.start, to: slot.end)
        zone?.write(to: &lines)
        lines.append("BEGIN", "VEVENT")
        lines.append("UID", text: uid)
        lines.append("DTSTAMP", ContentLines.utcDateTime(stamp))
        let clock = ZoneClock(identifier: timeZone)
        // RFC 5545 §3.3.5: a local time that occurs twice means its first occurrence. A start or end
        // in the second one (02:15 after clocks went back) cannot be written with TZID: both go in UTC.
        let secondOccurrence = [slot.start, slot.end].contains { instant in
            clock.instants(of: clock.local(instant)).first.map { $0 != instant } ?? false
        }
        if let zone, !secondOccurrence {
            let parameters = [("TZID", ContentLines.parameterValue(zone.identifier))]
            lines.append("DTSTART", clock.local(slot.start).iCalendarText, parameters: parameters)
            lines.append("DTEND", clock.local(slot.end).iCalendarText, parameters: parameters)
        } else {
            lines.append("DTSTART", ContentLines.utcDateTime(slot.start))
            lines.append("DTEND", ContentLines.utcDateTime(slot.end))
        }
        lines.append("SEQUENCE", String(sequence))
        lines.append("STATUS", cancelled ? "CANCELLED" : "CONFIRMED")
        lines.append("SUMMARY", text: summary)
        if let location { lines.append("LOCATION", text: location) }
        if let notes { lines.append("DESCRIPTION", text: notes) }
        if let organizer {
            var parameters: [(String, String)] = []
            if let name = organizer.name { parameters.append(("CN", ContentLines.parameterValue(name))) }
            lines.append("ORGANIZER", singleLine(organizer.address, limit: 1024), parameters: parameters)
        }
        lines.append("TRANSP", cancelled ? "TRANSPARENT" : "OPAQUE")
        lines.append("END", "VEVENT")
        lines.append("END", "VCALENDAR")
        return lines.text
    }
}

/// One-call iCalendar export of a confirmed booking; see ``CalendarEvent`` for the details.
public enum ICalendar {
    /// The iCalendar object for the booking `confirm` reports, made by the company agent `company`,
    /// stamped `now`. The same as `CalendarEvent(confirm:company:summary:organizer:).iCalendar(stamp: now)`.
    public static func event(
        for confirm: Message.Confirm, company: AgentID, summary: String, organizer: CalendarEvent.Organizer? = nil,
        now: Instant
    ) -> String {
        CalendarEvent(confirm: confirm, company: company, summary: summary, organizer: organizer).iCalendar(stamp: now)
    }
}

extension CalendarEvent {
    /// "Booking B-1. Price 45.00 EUR. Free cancellation until 2 May 10:00 Europe/Berlin, then 10.00 EUR."
    static func notes(for confirm: Message.Confirm) -> String {
        var sentences = ["Booking \(confirm.booking).", "Price \(confirm.price)."]
        switch confirm.status {
        case .booked, .rescheduled:
            if let fee = confirm.cancellation.fee {
                let clock = ZoneClock(identifier: confirm.timeZone)
                let deadline = confirm.slot.start.adding(minutes: -confirm.cancellation.freeUntilMinutesBefore)
                sentences.append("Free cancellation until \(clock.dayAndTime(deadline)) \(clock.name), then \(fee).")
            } else {
                sentences.append("Cancellation is free.")
            }
        case .cancelled:
            sentences.append(confirm.fee.map { "Cancelled; fee \($0)." } ?? "Cancelled free of charge.")
        }
        return sentences.joined(separator: "\n")
    }

    /// `text` with every byte outside `A–Z a–z 0–9 - . _ ~` written as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            let isUnreserved =
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if isUnreserved {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
