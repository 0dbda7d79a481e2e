"""One pending correction a mark, kept by the database (issue #13): the shared tests of
``tests/pending_correction.py`` on grading's corrections."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.grading import services
from plugins.grading.models import Correction, Mark
from tests.pending_correction import (  # noqa: F401  (the tests and their world)
    Case,
    test_a_correction_filed_by_another_at_the_same_moment_is_409_and_nothing_is_saved,
    test_a_decided_correction_does_not_block_a_new_one,
    test_the_database_refuses_a_second_pending_correction_of_a_cell,
    world,
)


def shown(_made) -> str:
    return db.session.scalar(select(Mark.value))


@pytest.fixture
def case() -> Case:
    return Case(
        prefix="op", corrections=services, save_cells=services.save_cells, model=Correction,
        audit_action="grade.correction.file",
        pending_exists="По этой оценке уже подана заявка на исправление: дождитесь решения",
        past=2, saved="3", shown=shown, reason="Ошибка при вводе оценки",
        again_reason="Пересдача по протоколу", reject_note="Не по правилам", behind="4",
        behind_reason="Ответ у доски", refused="5", rejected="4", approved="5", again="4",
        indexed="4", second="5")
