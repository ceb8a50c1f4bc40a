#!/usr/bin/env python3
"""Checks an iCalendar file written by Parley's calendar export with an independent parser.

Usage:
    python3 -m pip install icalendar
    python3 Tests/interop/check_ics.py FILE [FILE ...] [--expect-start 2026-05-03T10:00 --tz Europe/Berlin]
                                         [--cancelled] [--expect-sequence N] [--expect-uid UID]

For every FILE it checks that:
  * every line ends in CRLF and is at most 75 octets (RFC 5545 section 3.1);
  * the `icalendar` package parses it without errors, VERSION is 2.0 and PRODID is present;
  * there is exactly one VEVENT, with UID, DTSTAMP, DTSTART and SEQUENCE;
  * DTSTART is the expected local time in the expected zone (when --expect-start is given),
    DTEND (if any) comes after it, and a TZID used has a VTIMEZONE whose own rules give the same
    UTC offsets as the system's zone data at DTSTART and DTEND;
  * METHOD and STATUS agree: CANCEL with CANCELLED (a cancelled file, RFC 5546), or PUBLISH with
    CONFIRMED; with --cancelled the file must be a cancellation.

Exits 0 when every file passes, 1 with one message per problem otherwise, 2 on usage errors.
"""

import argparse
import datetime
import sys
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    import icalendar
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit("check_ics: the 'icalendar' package is missing; run: python3 -m pip install icalendar")


class Problems:
    """Collects the problems of one file."""

    def __init__(self, path):
        self.path = path
        self.messages = []

    def add(self, message):
        self.messages.append(f"{self.path}: {message}")

    def expect(self, condition, message):
        if not condition:
            self.add(message)
        return condition


def check_lines(data, problems):
    """CRLF line endings, no bare CR or LF, at most 75 octets per physical line."""
    if not data.endswith(b"\r\n"):
        problems.add("the file does not end with CRLF")
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        if line.endswith(b"\r"):
            line = line[:-1]
        elif number < len(lines) or data.endswith(b"\n"):
            problems.add(f"line {number}: ends in LF without CR")
        if b"\r" in line:
            problems.add(f"line {number}: bare CR inside the line")
        if len(line) > 75:
            problems.add(f"line {number}: {len(line)} octets, more than 75")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.add(f"line {number}: not valid UTF-8 on its own (a fold split a character)")


def component_errors(component):
    """Parse errors icalendar recorded on a component and its children (icalendar >= 4 keeps them)."""
    errors = list(getattr(component, "errors", []) or [])
    for child in getattr(component, "subcomponents", []):
        errors += component_errors(child)
    return errors


def vtimezone_tzinfo(calendar, tzid):
    """A tzinfo built from the file's own VTIMEZONE for tzid (not from the system's zone data)."""
    for vtimezone in calendar.walk("VTIMEZONE"):
        if str(vtimezone.get("TZID")) == tzid:
            try:
                return vtimezone.to_tz(lookup_tzid=False)
            except TypeError:  # icalendar < 6 has no lookup_tzid and always builds from the component
                return vtimezone.to_tz()
    return None


def wall_time(value):
    return value.replace(tzinfo=None)


def check_zone_offsets(calendar, tzid, moments, problems):
    """The VTIMEZONE for tzid gives the system zone's UTC offset at each local wall time."""
    own = vtimezone_tzinfo(calendar, tzid)
    if not problems.expect(own is not None, f"TZID {tzid} is used but there is no VTIMEZONE for it"):
        return
    try:
        system = ZoneInfo(tzid)
    except ZoneInfoNotFoundError:
        problems.add(f"TZID {tzid} is not a zone this system knows")
        return
    for name, moment in moments:
        local = wall_time(moment)
        expected = local.replace(tzinfo=system).utcoffset()
        actual = own.utcoffset(local)
        problems.expect(
            actual == expected, f"VTIMEZONE {tzid} gives offset {actual} at {name} {local}, the zone data says {expected}"
        )


def check_file(path, args):
    problems = Problems(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        problems.add(f"cannot read: {error}")
        return problems.messages
    check_lines(data, problems)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        problems.add(f"icalendar cannot parse it: {error}")
        return problems.messages
    for error in component_errors(calendar):
        problems.add(f"icalendar reports: {error}")

    problems.expect(calendar.name == "VCALENDAR", f"top component is {calendar.name}, not VCALENDAR")
    problems.expect(str(calendar.get("VERSION", "")) == "2.0", "VERSION is not 2.0")
    problems.expect(str(calendar.get("PRODID", "")).strip() != "", "PRODID is missing")

    events = calendar.walk("VEVENT")
    if not problems.expect(len(events) == 1, f"{len(events)} VEVENTs, expected exactly one"):
        return problems.messages
    event = events[0]

    uid = str(event.get("UID", "")).strip()
    problems.expect(uid != "", "UID is missing")
    if args.expect_uid is not None:
        problems.expect(uid == args.expect_uid, f"UID is {uid!r}, expected {args.expect_uid!r}")
    problems.expect("DTSTAMP" in event, "DTSTAMP is missing")

    sequence = event.get("SEQUENCE")
    if problems.expect(sequence is not None, "SEQUENCE is missing") and args.expect_sequence is not None:
        problems.expect(int(sequence) == args.expect_sequence, f"SEQUENCE is {sequence}, expected {args.expect_sequence}")

    start_property = event.get("DTSTART")
    if not problems.expect(start_property is not None, "DTSTART is missing"):
        return problems.messages
    start = start_property.dt
    if not problems.expect(
        isinstance(start, datetime.datetime) and start.tzinfo is not None,
        f"DTSTART {start!r} is not a date-time with a zone (TZID or UTC)",
    ):
        return problems.messages
    tzid = start_property.params.get("TZID")
    moments = [("DTSTART", start)]

    end_property = event.get("DTEND")
    if end_property is not None:
        end = end_property.dt
        if problems.expect(isinstance(end, datetime.datetime) and end.tzinfo is not None, "DTEND is not a zoned date-time"):
            problems.expect(end > start, f"DTEND {end} is not after DTSTART {start}")
            moments.append(("DTEND", end))
            problems.expect(end_property.params.get("TZID") == tzid, "DTSTART and DTEND use different TZIDs")

    if args.expect_start is not None:
        expected = args.expect_start.replace(tzinfo=args.zone)
        problems.expect(start == expected, f"DTSTART is {start.isoformat()}, expected {expected.isoformat()} ({args.tz})")
        if tzid is not None:
            problems.expect(tzid == args.tz, f"DTSTART has TZID {tzid}, expected {args.tz}")
            problems.expect(
                wall_time(start) == args.expect_start,
                f"DTSTART local time is {wall_time(start).isoformat()}, expected {args.expect_start.isoformat()}",
            )

    if args.expect_utc is not None:
        expected = args.expect_utc.replace(tzinfo=datetime.timezone.utc)
        actual = start.astimezone(datetime.timezone.utc)
        if tzid is not None:
            # A TZID form names the first occurrence of a repeated wall time (RFC 5545 section 3.3.5).
            own = vtimezone_tzinfo(calendar, tzid)
            if own is not None:
                actual = wall_time(start).replace(tzinfo=own, fold=0).astimezone(datetime.timezone.utc)
        problems.expect(actual == expected, f"DTSTART is the instant {actual.isoformat()}, expected {expected.isoformat()}")

    if tzid is not None:
        check_zone_offsets(calendar, tzid, moments, problems)

    method = str(calendar.get("METHOD", "")).upper()
    status = str(event.get("STATUS", "")).upper()
    if method == "CANCEL" or status == "CANCELLED" or args.cancelled:
        problems.expect(method == "CANCEL", f"a cancellation needs METHOD:CANCEL, found METHOD:{method or '(none)'}")
        problems.expect(status == "CANCELLED", f"a cancellation needs STATUS:CANCELLED, found STATUS:{status or '(none)'}")
    else:
        problems.expect(method == "PUBLISH", f"expected METHOD:PUBLISH, found METHOD:{method or '(none)'}")
        problems.expect(status == "CONFIRMED", f"expected STATUS:CONFIRMED, found STATUS:{status or '(none)'}")
    return problems.messages


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Check Parley iCalendar exports with the icalendar package.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="an .ics file")
    parser.add_argument("--expect-start", help="expected DTSTART as local time, e.g. 2026-05-03T10:00")
    parser.add_argument("--tz", default="UTC", help="the IANA zone of --expect-start (default UTC)")
    parser.add_argument(
        "--expect-utc", help="expected DTSTART as a UTC instant, e.g. 2027-10-31T01:15 (exact across repeated hours)"
    )
    parser.add_argument("--cancelled", action="store_true", help="the file must be a cancellation")
    parser.add_argument("--expect-sequence", type=int, help="expected SEQUENCE")
    parser.add_argument("--expect-uid", help="expected UID")
    args = parser.parse_args(argv)
    try:
        args.zone = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        parser.error(f"unknown time zone {args.tz!r}")
    if args.expect_start is not None:
        try:
            args.expect_start = datetime.datetime.fromisoformat(args.expect_start)
        except ValueError:
            parser.error(f"--expect-start {args.expect_start!r} is not YYYY-MM-DDTHH:MM[:SS]")
        if args.expect_start.tzinfo is not None:
            parser.error("--expect-start is a local time: give the zone with --tz, not an offset")
    if args.expect_utc is not None:
        try:
            args.expect_utc = datetime.datetime.fromisoformat(args.expect_utc)
        except ValueError:
            parser.error(f"--expect-utc {args.expect_utc!r} is not YYYY-MM-DDTHH:MM[:SS]")
    return args


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    failures = []
    for path in args.files:
        problems = check_file(path, args)
        if problems:
            failures += problems
        else:
            print(f"check_ics: {path}: OK")
    for message in failures:
        print(f"check_ics: {message}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
