"""What a teacher types in an attendance cell, and how absences count in academic hours.

«н» — absent for the whole lesson; «н1» — absent for 1 academic hour of a 2-hour pair;
«оп10» (or «о10») — late by 10 minutes; an empty cell — present. Latin «n» and «op» are taken
too (a keyboard left in English). Lateness is not counted in hours missed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

REASONS: dict[str, object] = {
    "illness": _l("по болезни"),
    "valid": _l("уважительная"),
    "invalid": _l("неуважительная"),
}
#: the letters of the customary sheets: Б, УП, НП
REASON_LETTERS = {"illness": "Б", "valid": "УП", "invalid": "НП", "": "?"}
MAX_LATE_MINUTES = 90

_ABSENT = re.compile(r"^[нНnN]([12])?$")
_LATE = re.compile(r"^(?:[оОoO][пПpP]?)(\d{1,2})$")


class InvalidValue(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Parsed:
    kind: str  # "absent", "late" or "" (present)
    hours: int = 0
    minutes: int = 0


def parse(raw: object, lesson_hours: int) -> Parsed:
    """Parse a cell strictly: «н», «н1», «н2», «оп5» … «оп90», or empty for present."""
    if not isinstance(raw, str):
        raise InvalidValue(str(_l("Неверное значение посещаемости")))
    value = raw.strip()
    if value == "":
        return Parsed("")
    absent = _ABSENT.match(value)
    if absent:
        hours = int(absent[1]) if absent[1] else lesson_hours
        if not 1 <= hours <= lesson_hours:
            raise InvalidValue(str(_l("Занятие длится %(n)s ч: пропущено не больше", n=lesson_hours)))
        return Parsed("absent", hours=hours)
    late = _LATE.match(value)
    if late:
        minutes = int(late[1])
        if not 1 <= minutes <= MAX_LATE_MINUTES:
            raise InvalidValue(str(_l("Опоздание — от 1 до %(n)s минут", n=MAX_LATE_MINUTES)))
        return Parsed("late", minutes=minutes)
    raise InvalidValue(str(_l("«%(value)s» — не отметка посещаемости: «н», «н1» (часов), "
                              "«оп10» (минут опоздания) или пусто", value=value[:10])))


def text_of(kind: str, hours: int, minutes: int, lesson_hours: int) -> str:
    """What a cell shows: «н» for the whole lesson, «н1» for a part, «оп10» for lateness."""
    if kind == "absent":
        return "н" if hours >= lesson_hours else f"н{hours}"
    if kind == "late":
        return f"оп{minutes}"
    return ""


def hours_missed(kind: str, hours: int) -> int:
    """Academic hours an absence counts for; lateness counts none."""
    return hours if kind == "absent" else 0
