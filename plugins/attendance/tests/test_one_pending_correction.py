"""One pending correction an attendance cell, kept by the database (issue #13): the shared
tests of ``tests/pending_correction.py`` on attendance's corrections."""

from __future__ import annotations

from plugins.attendance import corrections, services
from plugins.attendance.models import Correction
from tests.pending_correction import *  # noqa: F403  (the tests and their fixtures)
from tests.pending_correction import Case

PAST = 3
REASON = "Был на занятии: ошибка преподавателя, служебная записка № 5"


def shown(made) -> str:
    text, _version = services.cell_state(made.lessons[PAST], made.students[0], 2)
    return text


CASE = Case(
    prefix="aop", corrections=corrections, save_cells=services.save_cells, model=Correction,
    audit_action="attendance.correction.file",
    pending_exists="По этой отметке уже подана заявка на исправление: дождитесь решения",
    past=PAST, saved="н", shown=shown, reason=REASON, again_reason=REASON,
    reject_note="Записки нет", behind="н1", behind_reason="Ушёл после первого часа",
    behind_fields={"decision_note": ""}, refused="", rejected="", approved="н1", again="",
    indexed="", second="н1")
