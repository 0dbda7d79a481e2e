"""One sign-in attempt: the login looked up, the lock consulted, the password checked, the
outcome counted and audited.

Every attempt with a filled-in form costs one argon2 verification with the app's parameters,
whatever the outcome: an unknown login, a deactivated account, a user without a password and
a locked login are checked against a dummy hash instead, so their answer takes as long as a
wrong password for a real user and timing tells nobody which logins exist.
"""

from __future__ import annotations

import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import VerificationError
from sqlalchemy import func, select

from core import audit, events
from core.auth import lockout
from core.auth.events import SignedIn
from core.auth.passwords import hasher, verify_password
from core.extensions import db
from core.models import utcnow
from core.people.models import User


@dataclass(frozen=True)
class Outcome:
    """``user`` when signed in (``earlier``: the failures the owner is to be told of);
    otherwise refused, ``locked_until`` set when the login is locked now, ``was_locked`` when
    it already was, so the password was not checked at all."""

    user: User | None = None
    earlier: lockout.Failures | None = None
    locked_until: datetime | None = None
    was_locked: bool = False


def attempt(login_name: str, password: str) -> Outcome:
    """Try to sign ``login_name`` in with ``password``; the caller commits."""
    now = utcnow()
    key = lockout.login_key(login_name)
    locked = lockout.locked_until(key, now)
    user = db.session.scalar(select(User).where(func.lower(User.login) == login_name.lower()))
    if locked is None and user is not None and user.active and user.password_hash:
        if verify_password(user, password):
            user.last_login_at = now
            audit.record("auth.login", user, actor=user)
            events.emit(SignedIn(user_id=user.id, at=now))
            return Outcome(user=user, earlier=lockout.clear(key))
        note = "неверный пароль"
    else:
        _verify_dummy(password)
        note = _refusal_note(user, locked)
    started = lockout.record_failure(key, now) if locked is None else None
    # an unknown login is not stored: what was typed may be a password
    audit.record("auth.login_failed", user, actor=None, note=note,
                 after={"locked_until": started} if started else None)
    return Outcome(locked_until=locked or started, was_locked=locked is not None)


def _refusal_note(user: User | None, locked: datetime | None) -> str:
    if locked is not None:
        return "вход под этим логином временно закрыт"
    if user is None:
        return "неизвестный логин"
    if not user.active:
        return "учётная запись отключена"
    return "пароль не задан"


def _verify_dummy(password: str) -> None:
    ph = hasher()
    dummy = _dummy_hash(ph.time_cost, ph.memory_cost, ph.parallelism, ph.hash_len, ph.salt_len,
                        ph.type)
    with suppress(VerificationError):
        ph.verify(dummy, password)


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int, hash_len: int,
                salt_len: int, kind: Type) -> str:
    """A hash of a random secret with these parameters, made once per process."""
    return PasswordHasher(time_cost, memory_cost, parallelism, hash_len, salt_len,
                          type=kind).hash(secrets.token_urlsafe(32))
