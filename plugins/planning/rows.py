"""A plan's rows as the editor, the import and the copy hand them in: every value checked, each
problem named by its row and column in Russian. A plan is saved only when no row has one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from plugins.journal import api as journal

MAX_ROWS = 400
MAX_HOURS = 200
MAX_TEXT = 2000
MAX_SECTION = 300
MAX_WEEK = 60

#: (key, header, required) in the order of the template; the headers are the file format
#: (Russian whatever the interface language), so they are not translated
COLUMNS: list[tuple[str, str, bool]] = [
    ("number", "№", False),
    ("section", "Раздел", False),
    ("topic", "Тема", True),
    ("hours", "Часы", True),
    ("work_type", "Вид занятия", False),
    ("self_study", "Самостоятельная работа", False),
    ("week", "Неделя", False),
]
TITLES = {
    "number": _l("№"), "section": _l("Раздел"), "topic": _l("Тема"), "hours": _l("Часы"),
    "work_type": _l("Вид занятия"), "self_study": _l("Самостоятельная работа"),
    "week": _l("Неделя"),
}
DEFAULT_WORK_TYPE = "lecture"


@dataclass(frozen=True)
class Row:
    """A checked row of a plan."""

    section: str
    topic: str
    hours: int
    work_type: str
    self_study: str
    week: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "topic": self.topic, "hours": self.hours,
                "work_type": self.work_type, "self_study": self.self_study, "week": self.week}


@dataclass(frozen=True)
class Problem:
    """What is wrong in row ``row`` (1-based, as the user counts them) and column ``column``."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "title": str(TITLES[self.column]),
                "message": self.message}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text or "").replace("\ufeff", "").strip().lower()
                  .replace("ё", "е"))


def work_type_of(raw: str) -> str | None:
    """The ``work_type`` key of a kind of work written by its key or its Russian title («ЛР» and
    other abbreviations are not guessed); ``None`` if unknown."""
    titles = journal.work_type_titles()
    text = norm(raw)
    if not text:
        return DEFAULT_WORK_TYPE
    for key, title in titles.items():
        if text in (key, norm(title)):
            return key
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", str(value)).strip()


def _whole(value: Any) -> int | None:
    text = _text(value).replace(",", ".")
    if re.fullmatch(r"\d{1,4}(\.0+)?", text):
        return int(float(text))
    return None


def check_rows(raw_rows: list[dict[str, Any]], first_row: int = 1
               ) -> tuple[list[Row], list[Problem]]:
    """Check ``raw_rows`` (dicts of ``COLUMNS`` keys, values as typed): the good rows and every
    problem; ``first_row`` is the number the user sees for the first one (2 in a file after its
    header). Wholly empty rows are skipped."""
    rows: list[Row] = []
    problems: list[Problem] = []
    if not isinstance(raw_rows, list):
        return [], [Problem(first_row, "topic", _("Строки плана не прочитаны"))]
    # a row that is not an object (the editor sends objects) is a row with a problem, not skipped
    kept = [raw if isinstance(raw, dict) else {"topic": [raw]} for raw in raw_rows]
    numbered = [(first_row + index, raw) for index, raw in enumerate(kept)
                if any(_text(raw.get(key)) for key, _h, _r in COLUMNS if key != "number")]
    if len(numbered) > MAX_ROWS:
        return [], [Problem(numbered[MAX_ROWS][0], "topic",
                            _("В плане больше %(n)s строк", n=MAX_ROWS))]
    for number, raw in numbered:
        bad = len(problems)

        def problem(column: str, message: str, number=number) -> None:
            problems.append(Problem(number, column, message))

        odd = [key for key, _h, _r in COLUMNS
               if not isinstance(raw.get(key), str | int | float | type(None))]
        if odd:
            for key in odd:
                problem(key, _("Значение не прочитано: нужен текст или число"))
            continue

        section, topic = _text(raw.get("section")), _text(raw.get("topic"))
        self_study = _text(raw.get("self_study"))
        if not topic:
            problem("topic", _("Не указана тема"))
        elif len(topic) > MAX_TEXT:
            problem("topic", _("Тема длиннее %(n)s знаков", n=MAX_TEXT))
        if len(section) > MAX_SECTION:
            problem("section", _("Раздел длиннее %(n)s знаков", n=MAX_SECTION))
        if len(self_study) > MAX_TEXT:
            problem("self_study", _("Задание длиннее %(n)s знаков", n=MAX_TEXT))
        hours = _whole(raw.get("hours"))
        if not _text(raw.get("hours")):
            problem("hours", _("Не указаны часы"))
        elif hours is None or not 1 <= hours <= MAX_HOURS:
            problem("hours", _("Часы — целое число от 1 до %(n)s, а не «%(value)s»",
                               n=MAX_HOURS, value=_text(raw.get("hours"))[:40]))
        work_type = work_type_of(_text(raw.get("work_type")))
        if work_type is None:
            problem("work_type", _("Неизвестный вид занятия «%(value)s»; возможны: %(known)s",
                                   value=_text(raw.get("work_type"))[:60],
                                   known=", ".join(journal.work_type_titles().values())))
        week = None
        if _text(raw.get("week")):
            week = _whole(raw.get("week"))
            if week is None or not 1 <= week <= MAX_WEEK:
                problem("week", _("Неделя — целое число от 1 до %(n)s", n=MAX_WEEK))
        if len(problems) == bad:
            rows.append(Row(section, topic, hours, work_type, self_study, week))
    return rows, problems
