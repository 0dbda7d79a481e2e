"""The audit key: an HMAC-SHA256 key kept outside the database (DESIGN §5).

It seals the audit chain, its head and the anchors in the anchor file, so that someone who can
write to the database but has not got the key cannot rewrite the log and recompute the seals.
Anything else that must be sealed the same way (archived documents) uses ``mac()``/``matches()``
with a purpose of its own, so that one kind of seal can never pass for another.

The key is ``AUDIT_KEY`` (``EJOURNAL_AUDIT_KEY`` in the environment, or ``instance/config.py``),
or else ``instance/audit_key``, made once (see ``core.config``). Losing it makes the log
unverifiable: back it up apart from the database.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from flask import current_app

MIN_LENGTH = 32


def key() -> bytes:
    """The current app's audit key."""
    return str(current_app.config["AUDIT_KEY"]).encode()


def mac(data: bytes, purpose: str) -> str:
    """The hex HMAC-SHA256 of ``data`` with the audit key; ``purpose`` (``"entry"``,
    ``"anchor"``, ``"archive"``...) separates the kinds of seal."""
    return mac_with(key(), data, purpose)


def matches(data: bytes, expected: str, purpose: str) -> bool:
    """Whether ``expected`` is ``mac(data, purpose)`` (compared in constant time)."""
    return hmac.compare_digest(mac(data, purpose), expected or "")


def mac_with(key_bytes: bytes, data: bytes, purpose: str) -> str:
    """``mac()`` with a key already read, for a loop over many rows."""
    sealer = _keyed(key_bytes, purpose).copy()
    sealer.update(data)
    return sealer.hexdigest()


@lru_cache(maxsize=16)
def _keyed(key_bytes: bytes, purpose: str) -> hmac.HMAC:
    # an HMAC already fed the key and the purpose: copying it costs less than a new one a row
    return hmac.new(key_bytes, purpose.encode() + b"|", "sha256")


def fingerprint() -> str:
    """A short public name of the key, kept in the log, to tell «wrong key» from «forged»."""
    return hashlib.sha256(b"ejournal audit key|" + key()).hexdigest()[:16]
