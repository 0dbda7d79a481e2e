"""An archived period is read-only in the live journal for everyone, the administrator
included (REQUIREMENTS A1), and so is one whose archive is being written: the rule refusing ``lesson.edit``, ``grade.edit``,
``attendance.edit`` and ``grade.final.set`` there, and ``lesson.correct`` (filing a correction)
to all but the administrator, whose correction becomes an addendum to the archive."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from core.people.roles import Role
from core.policy import Decision
from plugins.archive import api

#: the direct writes an archived period refuses
FROZEN = ("lesson.edit", "grade.edit", "attendance.edit", "grade.final.set",
          "attendance.reason.set")
#: filing a correction of a past lesson's cell (``plugins.journal.corrections``)
CORRECT = "lesson.correct"


def day_of(action: str, target: Any) -> date | None:
    """The journal's day ``target`` records: its lesson's, or the end of a final's term."""
    lesson = getattr(target, "lesson", None)
    if lesson is not None:
        return lesson.date
    if action == "grade.final.set":
        load = getattr(target, "load", None)
        return load.term.ends_on if load is not None else None
    day = getattr(target, "date", None)
    return day if isinstance(day, date) else None


def _frozen_of(action: str, target: Any) -> api.ArchivedPeriodInfo | None:
    """The frozen period ``target`` touches: its day's, or the first a range of days reaches
    (the reason of absences over several days)."""
    start, end = getattr(target, "date_from", None), getattr(target, "date_to", None)
    if isinstance(start, date) and isinstance(end, date):
        return next((period for period in api.frozen_periods()
                     if period.starts_on <= end and start <= period.ends_on), None)
    day = day_of(action, target)
    return api.frozen_period_of(day) if day is not None else None


def decide(action: str, user, target: Any) -> Decision | None:
    """The refusal of ``action`` on ``target`` in an archived period, or ``None``."""
    if action not in FROZEN and action != CORRECT:
        return None
    period = _frozen_of(action, target)
    if period is None:
        return None
    if period.state == "closing":  # what is being written must not change under the writer
        return Decision.deny(_("Период «%(period)s» сдаётся в архив: пока архив записывается, "
                               "журнал за него только для чтения.", period=period.title),
                             status=409)
    if action == CORRECT:
        if user.is_authenticated and user.has_role(Role.ADMIN):
            return None
        return Decision.deny(_("Период «%(period)s» сдан в архив: исправление в нём вносит "
                               "только администратор, с указанием причины.",
                               period=period.title), status=409)
    return Decision.deny(_("Период «%(period)s» сдан в архив: журнал за него только для "
                           "чтения. Исправление вносит администратор с указанием причины, оно "
                           "сохраняется дополнением к архиву.", period=period.title),
                         status=409)


def decide_many(action: str, user, targets: list[Any]) -> list[Decision | None] | None:
    """:func:`decide` of each of ``targets`` (the archived periods are read once)."""
    if action not in FROZEN and action != CORRECT:
        return None
    return [decide(action, user, target) for target in targets]
