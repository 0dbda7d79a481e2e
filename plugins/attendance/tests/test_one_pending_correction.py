"""One pending correction an attendance cell, kept by the database (issue #13): the shared
tests of ``tests/pending_correction.py`` on attendance's corrections."""

from __future__ import annotations

import pytest

from plugins.attendance import corrections, services
from plugins.attendance.models import Correction
from tests.pending_correction import (  # noqa: F401  (the tests and their world)
    Case,
    test_a_correction_filed_by_another_at_the_same_moment_is_409_and_nothing_is_saved,
    test_a_decided_correction_does_not_block_a_new_one,
    test_the_database_refuses_a_second_pending_correction_of_a_cell,
    world,
)

PAST = 3
REASON = "Был на занятии: ошибка преподавателя, служебная записка № 5"


def shown(made) -> str:
    text, _version = services.cell_state(made.lessons[PAST], made.students[0], 2)
    return text


@pytest.fixture
def case() -> Case:
    return Case(
        prefix="aop", corrections=corrections, save_cells=services.save_cells, model=Correction,
        audit_action="attendance.correction.file",
        pending_exists="По этой отметке уже подана заявка на исправление: дождитесь решения",
        past=PAST, saved="н", shown=shown, reason=REASON, again_reason=REASON,
        reject_note="Записки нет", behind="н1", behind_reason="Ушёл после первого часа",
        behind_fields={"decision_note": ""}, refused="", rejected="", approved="н1", again="",
        indexed="", second="н1")
