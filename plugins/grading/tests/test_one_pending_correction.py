"""One pending correction a mark, kept by the database (issue #13): the shared tests of
``tests/pending_correction.py`` on grading's corrections."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from plugins.grading import services
from plugins.grading.models import Correction, Mark
from tests.pending_correction import *  # noqa: F403  (the tests and their fixtures)
from tests.pending_correction import Case


def shown(_made) -> str:
    return db.session.scalar(select(Mark.value))


CASE = Case(
    prefix="op", corrections=services, save_cells=services.save_cells, model=Correction,
    audit_action="grade.correction.file",
    pending_exists="По этой оценке уже подана заявка на исправление: дождитесь решения",
    past=2, saved="3", shown=shown, reason="Ошибка при вводе оценки",
    again_reason="Пересдача по протоколу", reject_note="Не по правилам", behind="4",
    behind_reason="Ответ у доски", refused="5", rejected="4", approved="5", again="4",
    indexed="4", second="5")
