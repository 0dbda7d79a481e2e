"""Contact data of students and parents: normalising, validating, changing (audited) and finding
doubtful data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")


def normalize_phone(raw: str | None) -> str | None:
    """A Russian phone as ``+7XXXXXXXXXX``; ``None`` when empty; ``ValueError`` (Russian) if bad.

    Accepts «8 (912) 345-67-89», «+7 912 345 67 89», «9123456789».
    """
    if raw is None or not raw.strip():
        return None
    if re.search(r"[^\d\s()+\-.]", raw):
        raise ValueError(_("Телефон может содержать только цифры, пробелы, скобки, «+» и «-»."))
    digits = re.sub(r"\D", "", raw)
    text = raw.strip()
    if text.startswith("+") and not text.startswith("+7"):
        raise ValueError(_("Номер должен начинаться с +7."))
    if len(digits) == 11 and digits[0] in ("7" if text.startswith("+") else "78"):
        digits = digits[1:]
    elif len(digits) != 10 or text.startswith("+"):
        raise ValueError(_("Введите российский номер из 10 цифр после +7, "
                           "например +7 912 345-67-89."))
    return "+7" + digits


def edit_contacts(person, phone: str | None, email: str | None, actor=None,
                  note: str | None = None) -> dict[str, dict[str, str | None]]:
    """Set the phone and e-mail of a student or guardian (and of their account), normalised
    (``ValueError``, Russian, if bad); audit the change as ``people.contacts.edit`` with
    ``note`` (what it was made on, e.g. a request to the administration). Return what changed:
    field → ``{"old", "new"}`` (empty: nothing changed, nothing audited). Who may edit is the
    caller's to ask (``policy.check("people.contacts.edit", …)``, scope)."""
    from core import audit

    phone, email = normalize_phone(phone), normalize_email(email)
    before = {"phone": person.phone, "email": person.email}
    after = {"phone": phone, "email": email}
    if before == after:
        return {}
    person.phone, person.email = phone, email
    if person.user is not None:
        person.user.phone, person.user.email = phone, email
    audit.record("people.contacts.edit", person, before=before, after=after, actor=actor,
                 note=note)
    return {name: {"old": before[name], "new": after[name]} for name in before
            if before[name] != after[name]}


def normalize_email(raw: str | None) -> str | None:
    """An e-mail address trimmed; ``None`` when empty; ``ValueError`` (Russian) if malformed."""
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise ValueError(_("Адрес электронной почты указан неверно (пример: ivanova@mail.ru)."))
    return value


@dataclass(frozen=True)
class ContactProblem:
    field: str  # "phone" or "email"
    reason: str


def contact_problems(person) -> list[ContactProblem]:
    """What is missing or doubtful in the contacts of a student or guardian (BTT 3.4)."""
    problems: list[ContactProblem] = []
    if not person.phone:
        problems.append(ContactProblem("phone", _("не указан телефон")))
    else:
        try:
            if normalize_phone(person.phone) != person.phone:
                problems.append(ContactProblem("phone", _("телефон не в формате +7XXXXXXXXXX")))
        except ValueError:
            problems.append(ContactProblem("phone", _("телефон указан неверно")))
    if not person.email:
        problems.append(ContactProblem("email", _("не указана электронная почта")))
    else:
        try:
            normalize_email(person.email)
        except ValueError:
            problems.append(ContactProblem("email", _("электронная почта указана неверно")))
    return problems
