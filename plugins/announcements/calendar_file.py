"""An event as an iCalendar file (RFC 5545) to add it to a calendar: one VEVENT with a stable
UID, times in UTC (``Z``), texts escaped and lines folded at 75 octets, CRLF line ends."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from core import markup
from plugins.announcements.models import Announcement

#: control characters a TEXT value may not hold (RFC 5545 §3.3.11; a tab may stay)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as ``\\n``."""
    text = _CONTROLS.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """A content line cut into lines of at most 75 octets, never inside a UTF-8 character; each
    continuation starts with a space (§3.1)."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render(item: Announcement, host: str, url: str) -> str:
    """The calendar file of the event ``item``; ``url`` opens it in the journal."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ejournal//announcements//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:announcement-{item.id}@{host}",
        f"DTSTAMP:{stamp(item.updated_at)}",
        f"SEQUENCE:{max(item.version - 1, 0)}",
        f"DTSTART:{stamp(item.starts_at)}",
    ]
    if item.ends_at is not None:
        lines.append(f"DTEND:{stamp(item.ends_at)}")
    lines.append(f"SUMMARY:{escape(item.title)}")
    description = markup.plain(item.body, limit=1500)
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if item.place:
        lines.append(f"LOCATION:{escape(item.place)}")
    lines += [f"URL:{url}", "STATUS:CANCELLED" if item.withdrawn_at else "STATUS:CONFIRMED",
              "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
