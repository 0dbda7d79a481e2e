"""Where a sign-in (or a language switch) may send the browser next: only a path of this site.

``/%09/evil.example`` reads as a path, but Werkzeug writes the Location header through
``urlsplit``, which drops tabs and newlines as the WHATWG URL parser does, and browsers read a
backslash as a slash: the browser then goes to ``//evil.example``. So a target is accepted only
when it has none of the characters browsers drop or rewrite and, decoded once, twice, …, still
starts with exactly one slash and names no scheme or host.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

#: C0 controls (tab, CR, LF among them), DEL, and the backslash browsers read as "/"
_REWRITTEN = re.compile(r"[\x00-\x1f\x7f\\]")
#: how many layers of percent-encoding are peeled before a target is given up as not a path
_DECODINGS = 4


def same_site_path(target: str | None) -> str | None:
    """``target`` when every reading of it is a path of this site, else ``None``."""
    if not target:
        return None
    reading = target
    for _ in range(_DECODINGS):
        if not _plain_local_path(reading):
            return None
        decoded = unquote(reading)
        if decoded == reading:
            return target
        reading = decoded
    return None


def _plain_local_path(url: str) -> bool:
    if _REWRITTEN.search(url) or not url.startswith("/") or url.startswith("//"):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc
