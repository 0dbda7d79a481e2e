"""Password hashing with argon2id, rehash when parameters change, one-time passwords."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

#: no 0/O, 1/l/I: a one-time password is read off a printed slip
SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MIN_LENGTH = 8


def hasher() -> PasswordHasher:
    """The app's hasher (argon2id); parameters may be raised in config, old hashes are rehashed."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
        parallelism=config.get("ARGON2_PARALLELISM", 4),
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(user, password: str) -> bool:
    """Check ``password``; on success rehash in place if the parameters changed."""
    if not user.password_hash:
        return False
    ph = hasher()
    try:
        ph.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if ph.check_needs_rehash(user.password_hash):
        user.password_hash = ph.hash(password)
    return True


def one_time_password(length: int = 10) -> str:
    return "".join(secrets.choice(SLIP_ALPHABET) for _ in range(length))


def password_problem(password: str, login: str) -> str | None:
    """A Russian reason why ``password`` is too weak, or ``None``."""
    if len(password) < MIN_LENGTH:
        return f"Пароль должен быть не короче {MIN_LENGTH} символов."
    if password.lower() == login.lower():
        return "Пароль не должен совпадать с логином."
    if password.isdigit():
        return "Пароль не должен состоять только из цифр."
    return None
