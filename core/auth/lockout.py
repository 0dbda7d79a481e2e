"""The lock on a login after repeated failed sign-ins, kept in the database so that every
worker and every server counts the same failures.

Failures are counted per login name as typed (case-insensitively, as sign-in matches logins),
whether or not such a user exists: an unknown login locks exactly like a known one, so the lock
tells nobody which logins exist. The name is stored only as an HMAC under the secret key,
because what someone typed as a login may be their password.

After ``LOGIN_LOCK_AFTER`` failures the login is locked for ``LOGIN_LOCK_SECONDS``; each
further failure after a lock doubles it, up to ``LOGIN_LOCK_MAX_SECONDS``. Tries while locked
are refused unchecked and not counted. A successful sign-in clears the count and hands it to
the owner.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime

#: the doubling stops long before this; it only keeps 2 ** n small
_MAX_DOUBLINGS = 30


class LoginThrottle(db.Model):
    """Failed sign-ins under one login name since its last successful sign-in."""

    __tablename__ = "core_login_throttle"

    #: HMAC-SHA256 of the lower-cased login name under SECRET_KEY
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int]
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Failures:
    """What the owner is told at sign-in: how many tries failed, the last one when."""

    count: int
    last_at: datetime


def login_key(login: str) -> str:
    """The stored stand-in for a typed login name."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, login.strip().lower().encode(), hashlib.sha256).hexdigest()


def locked_until(key: str, now: datetime) -> datetime | None:
    """The end of the lock on ``key`` if it is locked at ``now``."""
    until = db.session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == key))
    return until if until is not None and until > now else None


def record_failure(key: str, now: datetime) -> datetime | None:
    """Count a failed sign-in under ``key``; the end of the lock it starts, if it starts one.

    One atomic upsert, so concurrent failures in other workers are all counted.
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LoginThrottle).values(key=key, failures=1, last_failed_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={"failures": LoginThrottle.failures + 1, "last_failed_at": now},
    ).returning(LoginThrottle.failures)
    failures = db.session.scalar(statement)
    until = lock_end(failures, now)
    if until is not None:
        db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                           .values(locked_until=until))
    return until


def lock_end(failures: int, now: datetime) -> datetime | None:
    """When a login with ``failures`` counted failures, the last at ``now``, opens again."""
    config = current_app.config
    after = config["LOGIN_LOCK_AFTER"]
    if failures < after:
        return None
    seconds = min(config["LOGIN_LOCK_SECONDS"] * 2 ** min(failures - after, _MAX_DOUBLINGS),
                  config["LOGIN_LOCK_MAX_SECONDS"])
    return now + timedelta(seconds=seconds)


def clear(key: str) -> Failures | None:
    """Forget the failures under ``key`` (a successful sign-in); what there was to tell."""
    row = db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.key == key)
        .returning(LoginThrottle.failures, LoginThrottle.last_failed_at)
    ).first()
    return Failures(row.failures, row.last_failed_at) if row is not None else None
