"""iCalendar (RFC 5545) text for a webinar, written by hand: one VEVENT, nothing more.

Times are written in UTC (``...Z``), which every calendar converts to its own zone, so no
VTIMEZONE block is needed. Text values are escaped, lines end in CRLF and lines longer than
75 octets are folded, as the RFC requires.
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

CRLF = "\r\n"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a character."""
    pieces: list[str] = []
    current, size = "", 0
    limit = MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # continuation lines start with a space
        current += char
        size += octets
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def duration(minutes: int) -> str:
    """An RFC 5545 DURATION such as PT1H30M."""
    hours, mins = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins or not hours else "")


def event_calendar(
    *,
    uid: str,
    starts_at: datetime,
    length: timedelta,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    stamp: datetime | None = None,
) -> str:
    """A VCALENDAR with one VEVENT, as the text of an ``.ics`` file."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Portali di welfare territoriale//Webinar//IT",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc_stamp(stamp or timezone.now())}",
        f"DTSTART:{utc_stamp(starts_at)}",
        f"DURATION:{duration(int(length.total_seconds() // 60))}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
