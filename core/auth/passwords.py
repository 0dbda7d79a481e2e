"""Password hashing with argon2id, rehash when parameters change, one-time passwords, and the
one check every password a person chooses goes through (:func:`password_problem`)."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

if TYPE_CHECKING:
    from core.people.models import User

#: no 0/O, 1/l/I: a one-time password is read off a printed slip
SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MIN_LENGTH = 8
#: shorter parts of a name («Ли», «Ян») would refuse too many good passwords
MIN_NAME_PART = 3

#: the same keys on the Russian (ЙЦУКЕН) and the Latin (QWERTY) layout: «Иванова» typed with
#: the wrong layout is «bdfyjdf»
_LATIN_LAYOUT = str.maketrans(
    "йцукенгшщзхъфывапролджэячсмитьбюё",
    "qwertyuiop[]asdfghjkl;'zxcvbnm,.`",
)


#: OWASP Password Storage Cheat Sheet, argon2id: 19 MiB of memory, 2 iterations, 1 lane. About
#: 20 ms of one core a sign-in (argon2-cffi's defaults, 64 MiB × 3 × 4 lanes, cost ~8× that), so
#: a bell's worth of sign-ins does not queue a small server; stronger values may be configured
OWASP_ARGON2 = {"ARGON2_TIME_COST": 2, "ARGON2_MEMORY_COST": 19456, "ARGON2_PARALLELISM": 1}


def hasher() -> PasswordHasher:
    """The app's hasher (argon2id); parameters may be changed in config, and a stored hash made
    with others is rehashed at the next sign-in."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", OWASP_ARGON2["ARGON2_TIME_COST"]),
        memory_cost=config.get("ARGON2_MEMORY_COST", OWASP_ARGON2["ARGON2_MEMORY_COST"]),
        parallelism=config.get("ARGON2_PARALLELISM", OWASP_ARGON2["ARGON2_PARALLELISM"]),
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def _matches(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        return hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user: User, password: str) -> bool:
    """Check ``password``; on success rehash in place if the parameters changed."""
    if not _matches(user.password_hash, password):
        return False
    ph = hasher()
    if ph.check_needs_rehash(user.password_hash):
        user.password_hash = ph.hash(password)
    return True


def set_password(user: User, password: str, *, one_time: bool = False) -> None:
    """Store ``password`` for ``user``. The password the user had chosen is kept as the previous
    one, which :func:`password_problem` refuses; a one-time password never becomes it, so a
    reset does not push the user's own password out."""
    if user.password_hash and not user.must_change_password:
        user.previous_password_hash = user.password_hash
    user.password_hash = hash_password(password)
    user.must_change_password = one_time


def one_time_password(length: int = 10) -> str:
    return "".join(secrets.choice(SLIP_ALPHABET) for _ in range(length))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords (SecLists, shipped in the package), lower-cased."""
    text = resources.files("core.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def name_variants(*names: str | None) -> set[str]:
    """The parts of a person's names (of at least three letters) as a password may carry them:
    as written, in Latin letters (the scheme logins are made with), typed in the Latin layout."""
    from core.people.accounts import transliterate

    variants: set[str] = set()
    for name in names:
        for part in re.split(r"[^\w]+|_", _fold(name or "")):
            if len(part) < MIN_NAME_PART:
                continue
            variants.add(part)
            if re.search(r"[а-я]", part):
                variants.add(transliterate(part))
                variants.add(part.translate(_LATIN_LAYOUT))
    return {variant for variant in variants if len(variant) >= MIN_NAME_PART}


def password_problem(password: str, user: User) -> str | None:
    """A Russian reason why ``user`` may not choose ``password``, or ``None``: too short, only
    digits, among the most common, containing the login or a part of the person's name, or the
    current or the previous password. The cheap checks come first; the last two verify hashes."""
    folded = _fold(password)
    login = _fold(user.login or "")
    if len(password) < MIN_LENGTH:
        return _("Пароль должен быть не короче %(n)s символов.", n=MIN_LENGTH)
    if password.isdigit():
        return _("Пароль не должен состоять только из цифр.")
    if password.lower() in common_passwords():
        return _("Это один из самых распространённых паролей: его подбирают первым. "
                 "Придумайте другой.")
    if len(login) >= MIN_NAME_PART and login in folded:
        return _("Пароль не должен содержать логин.")
    if any(part in folded
           for part in name_variants(user.last_name, user.first_name, user.middle_name)):
        return _("Пароль не должен содержать вашу фамилию, имя или отчество.")
    if _matches(user.password_hash, password):
        return _("Новый пароль должен отличаться от текущего.")
    if _matches(getattr(user, "previous_password_hash", None), password):
        return _("Этот пароль вы уже использовали. Придумайте новый.")
    return None
