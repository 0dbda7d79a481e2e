"""The control report «Обращения без ответа в срок» (REQUIREMENTS §5, BTT 3.8): families'
messages not answered by their deadline, for the deputy director. Offered only where the policy
sets a term (``messaging.answer_days``): without one nothing can be late."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.calendar.clock import college_day
from core.people.models import short_names
from core.people.roles import ADMINISTRATION
from core.plugins.types import Finding, ReportProvider, ReportQuery, ReportResult, ReportTable
from plugins.messaging import answers


def providers() -> list[ReportProvider]:
    if answers.answer_days() <= 0:
        return []
    return [ReportProvider("messaging.late_answers", _l("Обращения без ответа в срок"),
                           "control", ("period",), frozenset(ADMINISTRATION), late_answers,
                           description=_l("Сообщения родителей и обучающихся, на которые не "
                                          "ответили в срок политики колледжа."), order=60)]


def late_answers(query: ReportQuery) -> ReportResult:
    found = answers.late(query.start, query.end)
    authors = short_names(row.author_id for row in found)
    answerers = short_names(row.answered_by_id for row in found)
    staff = answers.addressees({row.thread_id: row.author_id for row in found})
    rows = []
    for number, row in enumerate(found, 1):
        if row.answered_at is None:
            answer = _("нет ответа")
        elif row.answer_kind == "not_needed":
            answer = _("%(date)s, без ответа (не требуется): %(who)s",
                       date=college_day(row.answered_at).strftime("%d.%m.%Y"),
                       who=answerers.get(row.answered_by_id, ""))
        else:
            answer = _("%(date)s: %(who)s",
                       date=college_day(row.answered_at).strftime("%d.%m.%Y"),
                       who=answerers.get(row.answered_by_id, ""))
        rows.append([number, college_day(row.received_at).strftime("%d.%m.%Y"),
                     authors.get(row.author_id, ""), staff.get(row.thread_id, ""), row.subject,
                     row.due_on.strftime("%d.%m.%Y"), answer, row.days_late])
    lines = [query.period_line,
             _("Срок ответа — %(days)s календарных дн. со дня после получения (политика "
               "колледжа).", days=answers.answer_days())]
    if not rows:
        lines.append(_("Все обращения за период получили ответ в срок."))
    return ReportResult(_("Обращения без ответа в срок"), lines=lines, tables=[ReportTable(
        _("Обращения, на которые не ответили в срок"),
        [_("№"), _("Получено"), _("От кого"), _("Кому"), _("Тема"), _("Срок ответа"),
         _("Ответ"), _("Просрочено, дн.")], rows, label_column=2)] if rows else [])


def findings(teacher_ids, start, end) -> list[Finding]:
    """Families' messages of the period still waiting past their deadline (``answers.late``),
    one finding per staff participant of the conversation among ``teacher_ids``."""
    if answers.answer_days() <= 0:
        return []
    waiting = [row for row in answers.late(start, end) if row.answered_at is None]
    people = answers.others({row.thread_id: row.author_id for row in waiting})
    by_teacher: dict[int, list[answers.Late]] = {}
    for row in waiting:
        for user_id in people.get(row.thread_id, ()):
            if teacher_ids is None or user_id in teacher_ids:
                by_teacher.setdefault(user_id, []).append(row)
    return [Finding(kind="messaging.unanswered", label=_("Обращения без ответа в срок"),
                    teacher_id=user_id, day=min(row.due_on for row in rows), count=len(rows),
                    severity="error",
                    detail=_("просрочено до %(days)s дн.: %(subjects)s",
                             days=max(row.days_late for row in rows),
                             subjects="; ".join(row.subject for row in rows[:3])))
            for user_id, rows in by_teacher.items()]
